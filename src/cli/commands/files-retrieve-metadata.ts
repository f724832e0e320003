// `sightline files retrieve-metadata --file-id ID` (alias `beta:files`): GET /v1/files/{file_id}.
import { createResourceCommand } from './resource-command.js';

export const filesRetrieveMetadataCommand = createResourceCommand({
  name: 'files retrieve-metadata',
  summary: "a file's metadata (GET /v1/files/{file_id})",
  method: 'GET',
  idFlag: 'file-id',
  idDescription: 'the file',
  path: (id) => `/v1/files/${id}`,
  responseType: 'FileMetadata',
});
