// `sightline catalog [--all] [--json|--markdown] [--config FILE]`: the model catalog Sightline serves —
// ids, aliases, lifecycle, limits, prices and vision tier — with an operator's configured models.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRouter } from '../../backends/registry.js';
import {
  CATALOG_COLUMNS,
  type CatalogModel,
  catalogMarkdown,
  catalogRecord,
  catalogRows,
  createCatalog,
  isCallable,
} from '../../catalog/index.js';
import { parseConfig } from '../../config/index.js';
import { flag, parseArgs, stringOption, UsageError } from '../args.js';
import { type CliIo, print } from '../io.js';
import { alignColumns } from '../text-table.js';

export const CATALOG_HELP = `Usage: sightline catalog [options]

Prints the model catalog: id and aliases, release day, lifecycle (deprecation and retirement days),
context window and output limit, prices, vision tier and images per request. Retired models are
known (and refused like the API refuses them) but listed only with --all.

Options:
  --all            include retired models
  --json           one JSON object per line (the catalog's data)
  --markdown       a Markdown table (the README's catalog section)
  --config FILE    add and override models as this configuration's \`models:\` does (env SIGHTLINE_CONFIG)
  -h, --help       this help
`;

async function loadModels(configPath: string | undefined, io: CliIo): Promise<readonly CatalogModel[]> {
  if (configPath === undefined) return createCatalog().models;
  const config = parseConfig(
    await readFile(resolve(io.cwd, configPath), 'utf8'),
    io.env,
    {},
    { source: configPath },
  );
  const router = createRouter({ backends: config.backends, models: config.models, env: io.env });
  try {
    return router.catalog.models;
  } finally {
    await router.close();
  }
}

export async function catalogCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    all: {},
    json: {},
    markdown: {},
    config: { value: true },
    help: { short: 'h' },
  });
  if (flag(args, 'help')) {
    print(io.stdout, CATALOG_HELP);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  if (flag(args, 'json') && flag(args, 'markdown'))
    throw new UsageError('give --json or --markdown, not both');
  const all = await loadModels(stringOption(args, 'config') ?? io.env.SIGHTLINE_CONFIG, io);
  const models = flag(args, 'all') ? all : all.filter(isCallable);
  if (flag(args, 'json')) {
    for (const model of models) print(io.stdout, JSON.stringify(catalogRecord(model)));
  } else if (flag(args, 'markdown')) {
    io.stdout.write(catalogMarkdown(models));
  } else {
    // a plain-text table for the terminal
    io.stdout.write(`${alignColumns([[...CATALOG_COLUMNS], ...catalogRows(models)]).join('\n')}\n`);
  }
  return 0;
}
