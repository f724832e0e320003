// The Admin API's usage and cost reports (docs/rules/requests.md §5) built from the usage store's aggregates:
// query parameters parsed and checked, time buckets laid out, results grouped as asked, and paging by an
// opaque `page` token. Sightline extension (documented in docs/operations.md): each usage result also
// carries `images` and `image_tokens`.
import { invalidRequest } from '../errors/index.js';
import type { UsageAggregate, UsageQuery, UsageStore } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const WIDTHS: Record<string, { ms: number; defaultLimit: number; maxLimit: number }> = {
  '1d': { ms: DAY, defaultLimit: 7, maxLimit: 31 },
  '1h': { ms: HOUR, defaultLimit: 24, maxLimit: 168 },
  '1m': { ms: MINUTE, defaultLimit: 60, maxLimit: 1440 },
};

const USAGE_GROUPS = [
  'account_id',
  'api_key_id',
  'context_window',
  'inference_geo',
  'model',
  'service_account_id',
  'service_tier',
  'speed',
  'workspace_id',
] as const;
type UsageGroup = (typeof USAGE_GROUPS)[number];
const COST_GROUPS = ['description', 'workspace_id'] as const;
type CostGroup = (typeof COST_GROUPS)[number];
const SERVICE_TIERS = ['batch', 'flex', 'flex_discount', 'priority', 'priority_on_demand', 'standard'];

type Query = Record<string, string | string[] | undefined>;

/** `name[]` (as the Admin API documents) or `name`, repeated or not: a list, or undefined when absent. */
function list(query: Query, name: string): string[] | undefined {
  const values = [query[`${name}[]`], query[name]].flatMap((value) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value],
  );
  return values.length > 0 || `${name}[]` in query || name in query ? values : undefined;
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw invalidRequest(`${name}: give it once`);
  return value;
}

function parseTime(value: string, name: string): number {
  // RFC 3339 with a zone (Z or ±hh:mm)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw invalidRequest(`${name}: expected an RFC 3339 date-time such as 2026-12-01T00:00:00Z`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidRequest(`${name}: not a valid date-time`);
  return ms;
}

export const formatTime = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function parseLimit(query: Query, defaultLimit: number, maxLimit: number): number {
  const text = single(query, 'limit');
  if (text === undefined) return defaultLimit;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw invalidRequest(`limit: expected an integer from 1 to ${maxLimit}`);
  return limit;
}

function checkAll<T extends string>(values: string[] | undefined, allowed: readonly T[], name: string): T[] {
  for (const value of values ?? []) {
    if (!allowed.includes(value as T))
      throw invalidRequest(
        `${name}: unknown value ${JSON.stringify(value)} (expected ${allowed.join(', ')})`,
      );
  }
  return (values ?? []) as T[];
}

const encodePage = (ms: number): string => Buffer.from(`page:${ms}`).toString('base64url');
function decodePage(page: string): number {
  const match = /^page:(\d+)$/.exec(Buffer.from(page, 'base64url').toString());
  if (!match) throw invalidRequest('page: not a page token from a previous response');
  return Number(match[1]);
}

interface Window {
  /** bucket starts, each `widthMs` long (the last may be cut at the end) */
  starts: number[];
  widthMs: number;
  endMs: number;
  hasMore: boolean;
  nextPage: string | null;
}

/** Buckets from `starting_at` (or the page) aligned to the width in UTC, up to `limit` or `ending_at`. */
function window(query: Query, widths: readonly string[], now: number): Window {
  const startText = single(query, 'starting_at');
  if (startText === undefined) throw invalidRequest('starting_at: Field required');
  const widthName = single(query, 'bucket_width') ?? '1d';
  const width = widths.includes(widthName) ? WIDTHS[widthName] : undefined;
  if (!width) throw invalidRequest(`bucket_width: expected ${widths.join(', ')}`);
  const limit = parseLimit(query, width.defaultLimit, width.maxLimit);
  const startingAt = Math.floor(parseTime(startText, 'starting_at') / width.ms) * width.ms;
  const endText = single(query, 'ending_at');
  const endingAt = endText === undefined ? undefined : parseTime(endText, 'ending_at');
  if (endingAt !== undefined && endingAt <= startingAt)
    throw invalidRequest('ending_at: must be after starting_at');
  const page = single(query, 'page');
  const first = page === undefined ? startingAt : decodePage(page);
  // without ending_at, the report runs to the current bucket
  const end = endingAt ?? Math.ceil((now + 1) / width.ms) * width.ms;
  const starts: number[] = [];
  for (let start = first; start < end && starts.length < limit; start += width.ms) starts.push(start);
  const after = first + starts.length * width.ms;
  const hasMore = after < end;
  return { starts, widthMs: width.ms, endMs: end, hasMore, nextPage: hasMore ? encodePage(after) : null };
}

async function aggregates(
  store: UsageStore,
  win: Window,
  filters: Pick<UsageQuery, 'models' | 'apiKeyIds' | 'workspaces'>,
): Promise<UsageAggregate[]> {
  const first = win.starts[0];
  if (first === undefined) return [];
  const endMs = Math.min(first + win.starts.length * win.widthMs, win.endMs);
  return store.queryUsage({ startMs: first, endMs, widthMs: win.widthMs, ...filters });
}

const bucketBounds = (win: Window, index: number) => {
  const start = win.starts[index] as number;
  return { starting_at: formatTime(start), ending_at: formatTime(Math.min(start + win.widthMs, win.endMs)) };
};

export async function usageReport(store: UsageStore, query: Query, now = Date.now()) {
  const win = window(query, ['1d', '1h', '1m'], now);
  const groupBy = new Set<UsageGroup>(checkAll(list(query, 'group_by'), USAGE_GROUPS, 'group_by[]'));
  const tiers = checkAll(list(query, 'service_tiers'), SERVICE_TIERS, 'service_tiers[]');
  const models = list(query, 'models');
  const apiKeyIds = list(query, 'api_key_ids');
  const workspaces = list(query, 'workspace_ids');
  // Sightline serves the standard tier only
  const rows =
    tiers.length > 0 && !tiers.includes('standard')
      ? []
      : await aggregates(store, win, {
          ...(models ? { models } : {}),
          ...(apiKeyIds ? { apiKeyIds } : {}),
          ...(workspaces ? { workspaces } : {}),
        });
  const data = win.starts.map((_, index) => {
    const inBucket = rows.filter((row) => row.bucket === index);
    const grouped = new Map<string, ReturnType<typeof usageResult>>();
    for (const row of inBucket) {
      const key = [
        groupBy.has('model') ? row.model : '',
        groupBy.has('api_key_id') ? row.apiKeyId : '',
        groupBy.has('workspace_id') ? row.workspace : '',
      ].join('\u0000');
      const result = grouped.get(key) ?? usageResult(row, groupBy);
      if (!grouped.has(key)) grouped.set(key, result);
      else {
        result.uncached_input_tokens += row.inputTokens;
        result.output_tokens += row.outputTokens;
        result.images += row.images;
        result.image_tokens += row.imageTokens;
      }
    }
    return { ...bucketBounds(win, index), results: [...grouped.values()] };
  });
  return { data, has_more: win.hasMore, next_page: win.nextPage };
}

function usageResult(row: UsageAggregate, groupBy: ReadonlySet<UsageGroup>) {
  return {
    uncached_input_tokens: row.inputTokens,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: row.outputTokens,
    server_tool_use: { web_search_requests: 0 },
    model: groupBy.has('model') ? row.model : null,
    api_key_id: groupBy.has('api_key_id') ? row.apiKeyId : null,
    account_id: null,
    service_account_id: null,
    workspace_id: groupBy.has('workspace_id') ? row.workspace : null,
    service_tier: groupBy.has('service_tier') ? 'standard' : null,
    context_window: null,
    inference_geo: groupBy.has('inference_geo') ? 'not_available' : null,
    speed: null,
    // Sightline extension
    images: row.images,
    image_tokens: row.imageTokens,
  };
}

/** USD as the Admin API's amount: a decimal string in cents ("123.45" is $1.23). */
export function formatCents(usd: number): string {
  const text = (usd * 100).toFixed(6);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export async function costReport(
  store: UsageStore,
  query: Query,
  displayName: (model: string) => string = (model) => model,
  now = Date.now(),
) {
  const win = window(query, ['1d'], now);
  const groupBy = new Set<CostGroup>(checkAll(list(query, 'group_by'), COST_GROUPS, 'group_by[]'));
  const rows = await aggregates(store, win, {});
  const data = win.starts.map((_, index) => {
    const results = new Map<string, ReturnType<typeof costResult> & { usd: number }>();
    const add = (
      row: UsageAggregate,
      tokenType: 'uncached_input_tokens' | 'output_tokens' | null,
      usd: number,
    ) => {
      const key = [groupBy.has('workspace_id') ? row.workspace : '', tokenType && row.model, tokenType].join(
        '\u0000',
      );
      const result = results.get(key) ?? { ...costResult(row, tokenType, groupBy, displayName), usd: 0 };
      result.usd += usd;
      results.set(key, result);
    };
    for (const row of rows) {
      if (row.bucket !== index) continue;
      if (groupBy.has('description')) {
        add(row, 'uncached_input_tokens', row.inputCostUsd);
        add(row, 'output_tokens', row.outputCostUsd);
      } else add(row, null, row.inputCostUsd + row.outputCostUsd);
    }
    return {
      ...bucketBounds(win, index),
      results: [...results.values()].map(({ usd, ...result }) => ({ ...result, amount: formatCents(usd) })),
    };
  });
  return { data, has_more: win.hasMore, next_page: win.nextPage };
}

function costResult(
  row: UsageAggregate,
  tokenType: 'uncached_input_tokens' | 'output_tokens' | null,
  groupBy: ReadonlySet<CostGroup>,
  displayName: (model: string) => string,
) {
  const described = tokenType !== null;
  return {
    currency: 'USD' as const,
    amount: '0',
    workspace_id: groupBy.has('workspace_id') ? row.workspace : null,
    description: described
      ? `${displayName(row.model)} Usage - ${tokenType === 'output_tokens' ? 'Output' : 'Input'} Tokens`
      : null,
    cost_type: described ? ('tokens' as const) : null,
    context_window: described ? ('0-200k' as const) : null,
    model: described ? row.model : null,
    service_tier: described ? ('standard' as const) : null,
    token_type: tokenType,
    inference_geo: null,
  };
}
