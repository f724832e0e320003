// `sightline models retrieve --model-id ID` (alias `beta:models retrieve`): GET /v1/models/{model_id}.
import { type ApiCommand, printResponse } from '../api-command.js';
import { requiredParameter } from '../api-parameters.js';

export const modelsRetrieveCommand: ApiCommand = {
  name: 'models retrieve',
  summary: 'one model by id or alias (GET /v1/models/{model_id})',
  help: `Usage: sightline [global options] models retrieve --model-id ID

Options:
  --model-id ID           a model id or alias (or model_id in piped YAML)`,
  options: { 'model-id': { value: true } },
  stdin: 'parameters',
  parameterKeys: ['model_id'],
  requiredFlag: 'model-id',
  async execute(context) {
    const modelId = await requiredParameter(context, 'model-id', 'model_id');
    const response = await context.client.send({
      method: 'GET',
      path: `/v1/models/${encodeURIComponent(modelId)}`,
      beta: context.beta,
      betas: context.betas,
    });
    return printResponse(context, response, 'ModelInfo');
  },
};
