// `sightline models list` (alias `beta:models list`): GET /v1/models, newest first.
import type { ApiCommand } from '../api-command.js';
import { LIST_HELP, LIST_OPTIONS, runList } from '../list-pages.js';

export const modelsListCommand: ApiCommand = {
  name: 'models list',
  summary: 'list models, newest first (GET /v1/models)',
  help: `Usage: sightline [global options] models list [options]

Options:
${LIST_HELP}`,
  options: LIST_OPTIONS,
  stdin: 'none',
  execute: (context) => runList(context, '/v1/models', {}, 'ModelInfo'),
};
