// `sightline files list` (alias `beta:files list`): GET /v1/files, one page or --max-items across pages.
import type { ApiCommand } from '../api-command.js';
import { textOption } from '../api-parameters.js';
import { LIST_HELP, LIST_OPTIONS, runList } from '../list-pages.js';

export const filesListCommand: ApiCommand = {
  name: 'files list',
  summary: 'list files, newest first (GET /v1/files)',
  help: `Usage: sightline [global options] files list [options]

Options:
${LIST_HELP}
  --scope-id ID           only files of this scope (beta)`,
  options: { ...LIST_OPTIONS, 'scope-id': { value: true } },
  stdin: 'none',
  execute: (context) =>
    runList(context, '/v1/files', { scope_id: textOption(context, 'scope-id') }, 'FileMetadata'),
};
