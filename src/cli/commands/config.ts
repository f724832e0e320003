// `sightline config check FILE`: reads a configuration as `serve` would (the SIGHTLINE_* environment
// included) without starting anything, and prints either a short summary (exit 0) or every mistake,
// one a line (exit 1).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRouter } from '../../backends/registry.js';
import { ConfigError, parseConfig, type SightlineConfig } from '../../config/index.js';
import { flag, parseArgs, UsageError } from '../args.js';
import { type CliIo, print } from '../io.js';

export const CONFIG_HELP = `Usage: sightline config check FILE

Checks a YAML configuration without starting the server: every key known (a mistyped one is named with
the closest valid key), every value in range, every model routed to a configured backend. The
SIGHTLINE_* environment variables are applied as \`sightline serve\` applies them.

Prints a summary (backends, models, stores) and exits 0, or prints every mistake and exits 1.

Options:
  -h, --help   this help
`;

/** A URL with its password hidden (postgres://user:***@host/db). */
const withoutPassword = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

function describeBackends(config: SightlineConfig): string {
  const configured = Object.entries(config.backends).map(([name, backend]) =>
    backend.type === 'local' ? `${name} (local)` : `${name} (${backend.type}, ${backend.baseUrl})`,
  );
  return [...configured, ...(config.backends.local ? [] : ['local (built in)'])].join(', ');
}

function describeModels(config: SightlineConfig): string {
  const routes = config.models.map(
    (model) => `${model.id} → ${model.backend}${model.upstreamModel ? ` (${model.upstreamModel})` : ''}`,
  );
  return [...routes, `${routes.length === 0 ? 'every' : 'every other'} catalog model → local`].join(', ');
}

function describeStores(config: SightlineConfig): string {
  const { files, operations } = config;
  return [
    files.postgresUrl
      ? `metadata in PostgreSQL (${withoutPassword(files.postgresUrl)})`
      : `metadata in SQLite (${config.dataDir}/sightline.db)`,
    operations.s3
      ? `file contents in s3://${operations.s3.bucket}`
      : `file contents on disk (${config.dataDir}/blobs)`,
    operations.redisUrl
      ? `rate limits${operations.sharedViewCache ? ' and views' : ''} in Redis (${withoutPassword(operations.redisUrl)})`
      : 'rate limits in this process',
  ].join(', ');
}

async function check(path: string, io: CliIo): Promise<number> {
  let config: SightlineConfig;
  try {
    config = parseConfig(await readFile(resolve(io.cwd, path), 'utf8'), io.env, {}, { source: path });
    // the catalog half of `models:` (a `like:` the catalog does not know) is checked by building the routes
    await createRouter({ backends: config.backends, models: config.models, env: io.env }).close();
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems : [`${path}: ${(error as Error).message}`];
    for (const problem of problems) print(io.stderr, problem);
    print(io.stderr, `${path}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    return 1;
  }
  print(
    io.stdout,
    [
      `${path}: valid`,
      `  backends  ${describeBackends(config)}`,
      `  models    ${describeModels(config)}`,
      `  stores    ${describeStores(config)}`,
      `  server    ${config.host}:${config.port}, image rules ${config.vision.rules}`,
    ].join('\n'),
  );
  return 0;
}

export async function configCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { help: { short: 'h' } });
  if (flag(args, 'help')) {
    print(io.stdout, CONFIG_HELP);
    return 0;
  }
  const [action, file, ...extra] = args.positionals;
  if (action !== 'check')
    throw new UsageError(
      action === undefined
        ? 'config: which action? (check FILE)'
        : `config: unknown action "${action}" (known: check)`,
    );
  if (file === undefined) throw new UsageError('config check: which file? (sightline config check FILE)');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  return check(file, io);
}
