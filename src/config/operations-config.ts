// The operations part of the configuration: admin keys, per-key limits, metrics, Redis, S3 blob storage.
// Read from the same YAML document as the rest (the sections below, checked by schema.ts) plus
// SIGHTLINE_REDIS_URL (environment.ts), and gathered into one `OperationsConfig` for ops/operations.ts.
import { z } from 'zod';
import type { S3Settings } from '../files/s3-blob-store.js';
import {
  amount,
  camelize,
  flag,
  list,
  mapping,
  port,
  positiveInteger,
  section,
  text,
} from './schema-fields.js';

const keyLimitsSchema = section({
  requests_per_minute: positiveInteger().exactOptional(),
  input_tokens_per_minute: positiveInteger().exactOptional(),
  output_tokens_per_minute: positiveInteger().exactOptional(),
  images_per_minute: positiveInteger().exactOptional(),
  monthly_budget_usd: amount('an amount in USD').exactOptional(),
}).transform(camelize);

/** One key's limits: `{ requestsPerMinute?, inputTokensPerMinute?, …, monthlyBudgetUsd? }`. */
export type KeyLimits = z.output<typeof keyLimitsSchema>;

export const limitsSchema = section({
  default: keyLimitsSchema.prefault({}),
  /** key id (apikey_…) → its limits, over the defaults */
  keys: mapping(keyLimitsSchema, 'a mapping of key id to limits').prefault({}),
});

export const adminKeysSchema = list(
  section({ key: text('a key'), name: text('a name') }),
  'a list of { key, name }',
);

export const metricsSchema = section({
  enabled: flag().default(false),
  /** its own port (no key); without it, /metrics is on the main port for admin keys */
  port: port().exactOptional(),
});

export const redisSchema = section({
  url: text('a redis:// URL'),
  /** renders shared between replicas through Redis */
  view_cache: flag().default(false),
});

export const s3Schema = section({
  bucket: text('a bucket name'),
  endpoint: text('a URL').exactOptional(),
  region: text().default('us-east-1'),
  access_key_id_env: text('an environment variable name').exactOptional(),
  secret_access_key_env: text('an environment variable name').exactOptional(),
  force_path_style: flag().default(false),
  /** a key prefix, to share a bucket */
  prefix: z.string({ error: 'expected a string' }).default(''),
}).transform((s3): S3Settings => camelize(s3));

export interface OperationsConfig {
  adminKeys: Array<z.output<typeof adminKeysSchema>[number]>;
  limits: z.output<typeof limitsSchema>;
  metrics: { enabled: boolean; port: number | null };
  /** shared rate-limit buckets (and the view cache when `sharedViewCache` is on) */
  redisUrl: string | null;
  /** renders shared between replicas through Redis */
  sharedViewCache: boolean;
  s3: S3Settings | null;
}

export const DEFAULT_OPERATIONS_CONFIG: OperationsConfig = {
  adminKeys: [],
  limits: { default: {}, keys: {} },
  metrics: { enabled: false, port: null },
  redisUrl: null,
  sharedViewCache: false,
  s3: null,
};
