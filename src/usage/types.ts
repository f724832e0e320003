// What is recorded about each messages / count_tokens call, and the one aggregate query the usage and
// cost reports (and spend limits) are built from. Implemented by both metadata stores (SQLite, PostgreSQL).

export type UsageKind = 'messages' | 'count_tokens';

export interface UsageRecord {
  /** epoch milliseconds, when the request arrived */
  timeMs: number;
  requestId: string;
  kind: UsageKind;
  workspace: string;
  /** the API key's id (never the key) */
  apiKeyId: string;
  /** the model id as the client named it; '' when the request failed before naming one */
  model: string;
  backend: string;
  /** the image rules revision that planned the images, when known */
  rules: string | null;
  status: number;
  errorType: string | null;
  inputTokens: number;
  outputTokens: number;
  images: number;
  imageTokens: number;
  latencyMs: number;
  inputCostUsd: number;
  outputCostUsd: number;
}

export interface UsageQuery {
  /** epoch ms, inclusive; bucket 0 starts here */
  startMs: number;
  /** epoch ms, exclusive */
  endMs: number;
  widthMs: number;
  models?: readonly string[];
  apiKeyIds?: readonly string[];
  workspaces?: readonly string[];
}

/** Successful `messages` calls summed per bucket, model, key and workspace. */
export interface UsageAggregate {
  /** bucket index: floor((timeMs − startMs) / widthMs) */
  bucket: number;
  model: string;
  apiKeyId: string;
  workspace: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  images: number;
  imageTokens: number;
  inputCostUsd: number;
  outputCostUsd: number;
}

export interface UsageStore {
  /** stores records in one transaction */
  recordUsage(records: readonly UsageRecord[]): Promise<void>;
  queryUsage(query: UsageQuery): Promise<UsageAggregate[]>;
}

/** The usage table's aggregate row as both stores return it (PostgreSQL sums arrive as strings). */
export interface UsageAggregateRow {
  bucket: number | string;
  model: string;
  api_key_id: string;
  workspace: string;
  requests: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  images: number | string;
  image_tokens: number | string;
  input_cost_usd: number | string;
  output_cost_usd: number | string;
}

export const aggregateFromRow = (row: UsageAggregateRow): UsageAggregate => ({
  bucket: Number(row.bucket),
  model: row.model,
  apiKeyId: row.api_key_id,
  workspace: row.workspace,
  requests: Number(row.requests),
  inputTokens: Number(row.input_tokens),
  outputTokens: Number(row.output_tokens),
  images: Number(row.images),
  imageTokens: Number(row.image_tokens),
  inputCostUsd: Number(row.input_cost_usd),
  outputCostUsd: Number(row.output_cost_usd),
});

/** Columns in insertion order, shared by both stores' INSERT statements. */
export const USAGE_COLUMNS = [
  'time_ms',
  'request_id',
  'kind',
  'workspace',
  'api_key_id',
  'model',
  'backend',
  'rules',
  'status',
  'error_type',
  'input_tokens',
  'output_tokens',
  'images',
  'image_tokens',
  'latency_ms',
  'input_cost_usd',
  'output_cost_usd',
] as const;

export const usageValues = (record: UsageRecord): Array<string | number | null> => [
  record.timeMs,
  record.requestId,
  record.kind,
  record.workspace,
  record.apiKeyId,
  record.model,
  record.backend,
  record.rules,
  record.status,
  record.errorType,
  record.inputTokens,
  record.outputTokens,
  record.images,
  record.imageTokens,
  record.latencyMs,
  record.inputCostUsd,
  record.outputCostUsd,
];
