// `sightline usage`: the Admin API's usage and cost reports as a table (or JSON rows) by day, model and
// key. Needs an admin key (--admin-key, or ANTHROPIC_ADMIN_KEY).
import { printApiError } from '../api-command.js';
import { flag, parseArgs, stringOption, UsageError } from '../args.js';
import { DEFAULT_BASE_URL, GLOBAL_OPTIONS, resolveGlobalSettings } from '../global-options.js';
import { type ApiClient, ApiResponseError, createApiClient } from '../http-client.js';
import { type CliIo, print } from '../io.js';
import { alignColumns } from '../text-table.js';

const HELP = `Usage: sightline usage [options]

Token, image and cost usage recorded by the server, from its Admin API
(GET /v1/organizations/usage_report/messages and /v1/organizations/cost_report).

Options:
  --days N             the last N days, today included (default 7)
  --since DATE         from this day (YYYY-MM-DD, UTC) instead of --days
  --until DATE         up to this day, excluded (YYYY-MM-DD, UTC)
  --by LIST            group by: day, model, key, workspace, comma-separated (default day,model,key)
  --json               JSON rows instead of a table
  --base-url URL       server (env ANTHROPIC_BASE_URL; default ${DEFAULT_BASE_URL})
  --admin-key KEY      an admin key from the server's admin_keys (env ANTHROPIC_ADMIN_KEY)
  --debug              log each request and response status to stderr
  -h, --help           this help

Costs come from the cost report (by day and model); with 'key' or 'workspace' in --by, the cost of
each row is left out and the table ends with the cost of each day.`;

const GROUPS = { day: null, model: 'model', key: 'api_key_id', workspace: 'workspace_id' } as const;
type Group = keyof typeof GROUPS;

export interface UsageRow {
  day: string;
  model?: string;
  api_key_id?: string;
  workspace_id?: string;
  input_tokens: number;
  output_tokens: number;
  images: number;
  image_tokens: number;
  cost_usd?: number;
}

const isDay = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

interface Bucket<T> {
  starting_at: string;
  results: T[];
}
interface Page<T> {
  data: Bucket<T>[];
  has_more: boolean;
  next_page: string | null;
}

type Query = Readonly<Record<string, string | readonly string[]>>;

/** Every page of a report (the CLI's HTTP client: its headers, errors and connection hints). */
async function fetchAll<T>(client: ApiClient, path: string, query: Query): Promise<Bucket<T>[]> {
  const buckets: Bucket<T>[] = [];
  let page: string | undefined;
  do {
    const response = await client.send({ method: 'GET', path, query: { ...query, page } });
    const body = (await response.json()) as Page<T>;
    buckets.push(...body.data);
    page = body.has_more ? (body.next_page ?? undefined) : undefined;
  } while (page);
  return buckets;
}

const formatInteger = (value: number) => value.toLocaleString('en-US');

export function formatUsageTable(
  rows: readonly UsageRow[],
  groups: readonly Group[],
  dayCosts: Map<string, number>,
) {
  const headers = [
    'DAY',
    ...(groups.includes('model') ? ['MODEL'] : []),
    ...(groups.includes('key') ? ['API KEY'] : []),
    ...(groups.includes('workspace') ? ['WORKSPACE'] : []),
    'INPUT',
    'OUTPUT',
    'IMAGES',
    'IMAGE TOKENS',
    ...(rows.some((row) => row.cost_usd !== undefined) ? ['COST (USD)'] : []),
  ];
  const lines = rows.map((row) => [
    row.day,
    ...(groups.includes('model') ? [row.model ?? ''] : []),
    ...(groups.includes('key') ? [row.api_key_id ?? ''] : []),
    ...(groups.includes('workspace') ? [row.workspace_id ?? ''] : []),
    formatInteger(row.input_tokens),
    formatInteger(row.output_tokens),
    formatInteger(row.images),
    formatInteger(row.image_tokens),
    ...(row.cost_usd !== undefined ? [row.cost_usd.toFixed(4)] : []),
  ]);
  const numeric = (column: number) => column >= headers.indexOf('INPUT');
  const out = alignColumns([headers, ...lines], numeric);
  if (lines.length === 0) out.push('(no usage in this period)');
  if (!rows.some((row) => row.cost_usd !== undefined) && dayCosts.size > 0) {
    out.push('', 'DAY         COST (USD)');
    for (const [day, usd] of dayCosts) out.push(`${day}  ${usd.toFixed(4).padStart(10)}`);
  }
  return out.join('\n');
}

export async function usageCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    days: { value: true },
    since: { value: true },
    until: { value: true },
    by: { value: true },
    json: {},
    'base-url': GLOBAL_OPTIONS['base-url']!,
    'admin-key': { value: true },
    debug: GLOBAL_OPTIONS.debug!,
    help: { short: 'h' },
  });
  if (flag(args, 'help')) {
    print(io.stdout, HELP);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const adminKey = stringOption(args, 'admin-key') ?? (io.env.ANTHROPIC_ADMIN_KEY || undefined);
  if (!adminKey)
    throw new UsageError(
      'an admin key is needed: --admin-key KEY or ANTHROPIC_ADMIN_KEY (see admin_keys in the config)',
    );
  const settings = resolveGlobalSettings(args.options, io.env);
  const client = createApiClient({
    baseUrl: settings.baseUrl,
    apiKey: adminKey,
    debug: settings.debug ? (line) => print(io.stderr, line) : undefined,
  });
  const groups = (stringOption(args, 'by') ?? 'day,model,key').split(',').map((name) => name.trim());
  for (const group of groups)
    if (!(group in GROUPS)) throw new UsageError(`--by: unknown "${group}" (use day, model, key, workspace)`);
  const by = groups as Group[];
  const until = stringOption(args, 'until');
  const since = stringOption(args, 'since');
  for (const [name, value] of [
    ['since', since],
    ['until', until],
  ] as const)
    if (value !== undefined && !isDay(value)) throw new UsageError(`--${name}: expected YYYY-MM-DD`);
  const daysText = stringOption(args, 'days') ?? '7';
  const days = Number(daysText);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new UsageError('--days: expected 1 to 366');
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const start = since ?? new Date(today - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const common = {
    starting_at: `${start}T00:00:00Z`,
    ...(until ? { ending_at: `${until}T00:00:00Z` } : {}),
    bucket_width: '1d',
    limit: '31',
  };
  try {
    await printUsage(client, by, common, io, flag(args, 'json'));
  } catch (error) {
    if (!(error instanceof ApiResponseError)) throw error;
    printApiError(io, settings, error);
    return 1;
  }
  return 0;
}

async function printUsage(
  client: ApiClient,
  by: readonly Group[],
  common: Query,
  io: CliIo,
  json: boolean,
): Promise<void> {
  const usage = await fetchAll<{
    uncached_input_tokens: number;
    output_tokens: number;
    images?: number;
    image_tokens?: number;
    model: string | null;
    api_key_id: string | null;
    workspace_id: string | null;
  }>(client, '/v1/organizations/usage_report/messages', {
    ...common,
    'group_by[]': by.flatMap((group) => GROUPS[group] ?? []),
  });
  const costs = await fetchAll<{ amount: string; model: string | null }>(
    client,
    '/v1/organizations/cost_report',
    { ...common, 'group_by[]': ['description'] },
  );
  const dayCosts = new Map<string, number>();
  const modelCosts = new Map<string, number>();
  for (const bucket of costs) {
    const day = bucket.starting_at.slice(0, 10);
    for (const result of bucket.results) {
      const usd = Number(result.amount) / 100;
      dayCosts.set(day, (dayCosts.get(day) ?? 0) + usd);
      const key = `${day} ${result.model ?? ''}`;
      modelCosts.set(key, (modelCosts.get(key) ?? 0) + usd);
    }
  }
  const costPerRow = !by.includes('key') && !by.includes('workspace');
  const rows: UsageRow[] = usage.flatMap((bucket) => {
    const day = bucket.starting_at.slice(0, 10);
    return bucket.results.map((result) => ({
      day,
      ...(by.includes('model') ? { model: result.model ?? '' } : {}),
      ...(by.includes('key') ? { api_key_id: result.api_key_id ?? '' } : {}),
      ...(by.includes('workspace') ? { workspace_id: result.workspace_id ?? '' } : {}),
      input_tokens: result.uncached_input_tokens,
      output_tokens: result.output_tokens,
      images: result.images ?? 0,
      image_tokens: result.image_tokens ?? 0,
      ...(costPerRow
        ? {
            cost_usd: by.includes('model')
              ? (modelCosts.get(`${day} ${result.model ?? ''}`) ?? 0)
              : (dayCosts.get(day) ?? 0),
          }
        : {}),
    }));
  });
  if (json) print(io.stdout, JSON.stringify(rows, null, 2));
  else print(io.stdout, formatUsageTable(rows, by, dayCosts));
}
