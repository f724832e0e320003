// `sightline files retrieve-metadata --file-id ID` (alias `beta:files`): GET /v1/files/{file_id}.
import { type ApiCommand, printResponse } from '../api-command.js';
import { requiredParameter } from '../api-parameters.js';

export const filesRetrieveMetadataCommand: ApiCommand = {
  name: 'files retrieve-metadata',
  summary: "a file's metadata (GET /v1/files/{file_id})",
  help: `Usage: sightline [global options] files retrieve-metadata --file-id ID

Options:
  --file-id ID            the file (or file_id in piped YAML)`,
  options: { 'file-id': { value: true } },
  stdin: 'parameters',
  parameterKeys: ['file_id'],
  requiredFlag: 'file-id',
  async execute(context) {
    const fileId = await requiredParameter(context, 'file-id', 'file_id');
    const response = await context.client.send({
      method: 'GET',
      path: `/v1/files/${encodeURIComponent(fileId)}`,
      beta: context.beta,
      betas: context.betas,
    });
    return printResponse(context, response, 'FileMetadata');
  },
};
