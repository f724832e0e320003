// `sightline models retrieve --model-id ID` (alias `beta:models retrieve`): GET /v1/models/{model_id}.
import { createResourceCommand } from './resource-command.js';

export const modelsRetrieveCommand = createResourceCommand({
  name: 'models retrieve',
  summary: 'one model by id or alias (GET /v1/models/{model_id})',
  method: 'GET',
  idFlag: 'model-id',
  idDescription: 'a model id or alias',
  path: (id) => `/v1/models/${id}`,
  responseType: 'ModelInfo',
});
