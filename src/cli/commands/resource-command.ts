// A command that acts on one resource named by an id flag (`--file-id`, `--model-id`): the shape shared
// by `files retrieve-metadata`, `files delete` and `models retrieve`, declared as data.
import { type ApiCommand, printResponse } from '../api-command.js';
import { requiredParameter } from '../api-parameters.js';

export interface ResourceCommandSpec {
  name: string;
  summary: string;
  method: 'GET' | 'DELETE';
  /** e.g. 'file-id' → `--file-id ID`, read as `file_id` from piped YAML */
  idFlag: string;
  idDescription: string;
  path: (id: string) => string;
  responseType: Parameters<typeof printResponse>[2];
}

export function createResourceCommand(spec: ResourceCommandSpec): ApiCommand {
  const idKey = spec.idFlag.replace('-', '_');
  return {
    name: spec.name,
    summary: spec.summary,
    help: `Usage: sightline [global options] ${spec.name} --${spec.idFlag} ID

Options:
  ${`--${spec.idFlag} ID`.padEnd(24)}${spec.idDescription} (or ${idKey} in piped YAML)`,
    options: { [spec.idFlag]: { value: true } },
    stdin: 'parameters',
    parameterKeys: [idKey],
    requiredFlag: spec.idFlag,
    async execute(context) {
      const id = await requiredParameter(context, spec.idFlag, idKey);
      const response = await context.client.send({
        method: spec.method,
        path: spec.path(encodeURIComponent(id)),
        beta: context.beta,
        betas: context.betas,
      });
      return printResponse(context, response, spec.responseType);
    },
  };
}
