// `sightline files delete --file-id ID` (alias `beta:files delete`): DELETE /v1/files/{file_id}.
import { createResourceCommand } from './resource-command.js';

export const filesDeleteCommand = createResourceCommand({
  name: 'files delete',
  summary: 'delete a file (DELETE /v1/files/{file_id})',
  method: 'DELETE',
  idFlag: 'file-id',
  idDescription: 'the file',
  path: (id) => `/v1/files/${id}`,
  responseType: 'DeletedFile',
});
