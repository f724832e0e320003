// The CLI as a library: `run(argv, io)` dispatches to a command and returns an exit code.
// Only bin/ calls process.exit.

import { didYouMean } from '../config/suggest.js';
import { parseArgs, UsageError } from './args.js';
import { GLOBAL_HELP, GLOBAL_OPTIONS } from './global-options.js';
import { type CliIo, print } from './io.js';
import { RESOURCES, runResource } from './resources.js';
import { VERSION } from './version.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

// Loaded when named: `serve` alone pulls in Fastify, sharp, zod and the stores, which `--version`,
// `--help` and the API commands never need (`--version` took 0.72 s with them, 0.25 s without).
const COMMANDS: Record<string, () => Promise<Command>> = {
  catalog: async () => (await import('./commands/catalog.js')).catalogCommand,
  config: async () => (await import('./commands/config.js')).configCommand,
  estimate: async () => (await import('./commands/estimate.js')).estimateCommand,
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  usage: async () => (await import('./commands/usage.js')).usageCommand,
};

export const HELP = `Usage: sightline [global options] <command> [options]
       sightline [global options] <resource> <command> [options]

Local commands:
  inspect IMAGE...         what each model sees of an image: sizes, tokens, cost
  estimate DIR|GLOB...     tokens and cost of a whole image collection, from headers only
  serve                    start the Messages API server
  catalog                  the model catalog: ids, lifecycle, limits, prices, vision tier (--json, --markdown)
  usage                    tokens, images and cost by day, model and key (admin key)
  config check FILE        check a YAML configuration without starting (every mistake, or a summary)

API commands (the \`ant\` CLI's shape; beta:messages, beta:files, beta:models are aliases):
  messages create          POST /v1/messages (YAML body on stdin and/or flags; @path inlines files)
  messages count-tokens    POST /v1/messages/count_tokens
  files upload             POST /v1/files (--file PATH)
  files list               GET /v1/files
  files retrieve-metadata  GET /v1/files/{id} (--file-id ID)
  files download           GET /v1/files/{id}/content (--file-id ID [-o PATH|-])
  files delete             DELETE /v1/files/{id} (--file-id ID)
  models list              GET /v1/models
  models retrieve          GET /v1/models/{id} (--model-id ID)

${GLOBAL_HELP}

Run 'sightline <command> --help' for a command's options. Exit codes: 0 ok, 1 API or I/O error,
2 usage error. Options: --version, --help
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let name: string | undefined;
  try {
    const leading = parseArgs(
      argv,
      { ...GLOBAL_OPTIONS, help: { short: 'h' }, version: { short: 'v' } },
      { stopAtPositional: true },
    );
    const { help, version, ...globalOptions } = leading.options;
    const [first, ...rest] = leading.positionals;
    name = first;
    if (version === true) {
      print(io.stdout, VERSION);
      return 0;
    }
    if (name === undefined || name === 'help') {
      const wanted = help === true || name === 'help';
      print(wanted ? io.stdout : io.stderr, HELP);
      return wanted ? 0 : 2;
    }
    const restWithHelp = help === true ? [...rest, '--help'] : rest;
    if (RESOURCES[name]) return await runResource(name, restWithHelp, globalOptions, io);
    const loadCommand = COMMANDS[name];
    if (!loadCommand) {
      const known = [...Object.keys(COMMANDS), ...Object.keys(RESOURCES), 'help'];
      print(
        io.stderr,
        `sightline: unknown command "${name}"${didYouMean(name, known)}\nRun 'sightline --help' for the list of commands.`,
      );
      return 2;
    }
    const command = await loadCommand();
    return await command(restWithHelp, io);
  } catch (error) {
    const prefix = name === undefined ? 'sightline' : `sightline ${name}`;
    if (error instanceof UsageError) {
      print(io.stderr, `${prefix}: ${error.message}`);
      return 2;
    }
    print(io.stderr, `${prefix}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
