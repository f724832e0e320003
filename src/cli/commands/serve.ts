// `sightline serve [--port N] [--host H] [--config FILE] [--data-dir DIR] [--allow-private-urls] [--rules R]`:
// starts the server and runs until SIGINT/SIGTERM, then finishes in-flight requests and exits.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, parseConfig, type SightlineConfig } from '../../config/index.js';
import { isVisionRules, VISION_RULES } from '../../imaging/index.js';
import { startServer } from '../../server/main.js';
import { flag, parseArgs, stringOption, UsageError } from '../args.js';
import { type CliIo, print } from '../io.js';
import { formatBanner } from './serve-banner.js';

export const SERVE_HELP = `Usage: sightline serve [options]

Starts the Messages API server (with no configuration: SQLite + local disk under ./.sightline and the
built-in offline engine).

Options:
  --port N               port (default 8787; env SIGHTLINE_PORT)
  --host H               address to listen on (default 127.0.0.1; env SIGHTLINE_HOST)
  --config FILE          YAML configuration (env SIGHTLINE_CONFIG)
  --data-dir DIR         state directory (default ./.sightline; env SIGHTLINE_DATA_DIR)
  --allow-private-urls   let url image sources reach private and loopback addresses
  --rules 2026-04|2026-09  revision of the image rules: sizes, tokens, limits (default 2026-09;
                         config vision.rules; env SIGHTLINE_VISION_RULES)
  --log-format F         pretty (readable lines; the default on a terminal) or json (one JSON object
                         per line; the default otherwise); env SIGHTLINE_LOG_FORMAT
  -h, --help             this help
`;

export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    port: { value: true },
    host: { value: true },
    config: { value: true },
    'data-dir': { value: true },
    'allow-private-urls': {},
    rules: { value: true },
    'log-format': { value: true },
    help: { short: 'h' },
  });
  if (flag(args, 'help')) {
    print(io.stdout, SERVE_HELP);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const port = stringOption(args, 'port');
  // 0: any free port (tests and scripts read the chosen one from the banner)
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) <= 65_535))
    throw new UsageError(`--port takes a port number, 0–65535 (got "${port}")`);
  const rules = stringOption(args, 'rules');
  if (rules !== undefined && !isVisionRules(rules))
    throw new UsageError(`--rules takes ${VISION_RULES.join(' or ')} (got "${rules}")`);
  const logFormat = stringOption(args, 'log-format');
  if (logFormat !== undefined && logFormat !== 'pretty' && logFormat !== 'json')
    throw new UsageError(`--log-format takes pretty or json (got "${logFormat}")`);
  const configPath = stringOption(args, 'config') ?? io.env.SIGHTLINE_CONFIG;
  let config: SightlineConfig;
  try {
    const text = configPath ? await readFile(resolve(io.cwd, configPath), 'utf8') : '';
    const host = stringOption(args, 'host');
    const dataDir = stringOption(args, 'data-dir');
    config = parseConfig(
      text,
      io.env,
      {
        ...(host ? { host } : {}),
        ...(port ? { port: Number(port) } : {}),
        ...(dataDir ? { dataDir: resolve(io.cwd, dataDir) } : {}),
        ...(flag(args, 'allow-private-urls') ? { allowPrivateUrls: true } : {}),
        ...(rules !== undefined ? { vision: { rules } } : {}),
        ...(logFormat ? { logFormat } : {}),
      },
      configPath ? { source: configPath } : {},
    );
    if (config.logFormat === 'auto') config.logFormat = io.stdout.isTTY === true ? 'pretty' : 'json';
  } catch (error) {
    if (error instanceof ConfigError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      // every mistake, one a line (`sightline config check FILE` lists them without starting)
      const problems = error instanceof ConfigError ? error.problems : [(error as Error).message];
      for (const problem of problems) print(io.stderr, `sightline serve: configuration: ${problem}`);
      return 2;
    }
    throw error;
  }
  const server = await startServer(config, { env: io.env, warn: (line) => print(io.stderr, line) });
  print(io.stderr, formatBanner(config, server.url, resolve(io.cwd, config.dataDir)));
  return await closeOnSignal(server, io);
}

/**
 * Waits for SIGINT/SIGTERM, then closes the server; resolves with the exit code (1 when closing failed,
 * which is reported on stderr: never an unhandled rejection, never a hang).
 */
export function closeOnSignal(
  server: { close(): Promise<void> },
  io: Pick<CliIo, 'stderr'>,
  signals: Pick<NodeJS.EventEmitter, 'on' | 'off'> = process,
): Promise<number> {
  return new Promise<number>((done) => {
    const stop = () => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      print(io.stderr, 'Sightline: shutting down (finishing in-flight requests)…');
      server.close().then(
        () => done(0),
        (error: unknown) => {
          print(
            io.stderr,
            `Sightline: shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          done(1);
        },
      );
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
}
