// The CLI as a library: `run(argv, io)` dispatches to a command and returns an exit code.
// Only bin/ calls process.exit.
import { UsageError } from './args.js';
import { inspectCommand } from './commands/inspect.js';
import { serveCommand } from './commands/serve.js';
import { type CliIo, print } from './io.js';
import { VERSION } from './version.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  inspect: inspectCommand,
  serve: serveCommand,
};

export const HELP = `Usage: sightline <command> [options]

Commands:
  inspect IMAGE...    what each model sees of an image: sizes, tokens, cost
  serve               start the Messages API server

Run 'sightline <command> --help' for a command's options.
Options: --version, --help
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    print(name === undefined ? io.stderr : io.stdout, HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    print(io.stdout, VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    print(io.stderr, `sightline: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      print(io.stderr, `sightline ${name}: ${error.message}`);
      return 2;
    }
    print(io.stderr, `sightline ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
