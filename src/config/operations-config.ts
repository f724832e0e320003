// The operations part of the configuration: admin keys, per-key limits, metrics, Redis, S3 blob storage.
// Parsed from the same YAML document as the rest (snake_case keys) plus a few environment variables.
import type { S3Settings } from '../files/s3-blob-store.js';
import { isRecord } from '../net/index.js';

export interface KeyLimits {
  requests_per_minute?: number;
  input_tokens_per_minute?: number;
  output_tokens_per_minute?: number;
  images_per_minute?: number;
  monthly_budget_usd?: number;
}

export type S3Config = S3Settings;

export interface OperationsConfig {
  adminKeys: Array<{ key: string; name: string }>;
  limits: { default: KeyLimits; keys: Record<string, KeyLimits> };
  metrics: { enabled: boolean; port: number | null };
  /** shared rate-limit buckets (and the view cache when `viewCache` is on) */
  redisUrl: string | null;
  /** renders shared between replicas through Redis */
  sharedViewCache: boolean;
  s3: S3Config | null;
}

export const DEFAULT_OPERATIONS_CONFIG: OperationsConfig = {
  adminKeys: [],
  limits: { default: {}, keys: {} },
  metrics: { enabled: false, port: null },
  redisUrl: null,
  sharedViewCache: false,
  s3: null,
};

const LIMIT_NAMES = [
  'requests_per_minute',
  'input_tokens_per_minute',
  'output_tokens_per_minute',
  'images_per_minute',
  'monthly_budget_usd',
] as const;

type Fail = (message: string) => never;

function parseKeyLimits(raw: unknown, where: string, fail: Fail): KeyLimits {
  if (!isRecord(raw)) fail(`${where}: expected a mapping`);
  const limits: KeyLimits = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(name))
      fail(`${where}.${name}: unknown limit (known: ${LIMIT_NAMES.join(', ')})`);
    const ok =
      name === 'monthly_budget_usd'
        ? typeof value === 'number' && Number.isFinite(value) && value >= 0
        : Number.isInteger(value) && (value as number) > 0;
    if (!ok)
      fail(
        `${where}.${name}: expected ${name === 'monthly_budget_usd' ? 'an amount in USD' : 'a positive integer'}, got ${JSON.stringify(value)}`,
      );
    limits[name as keyof KeyLimits] = value as number;
  }
  return limits;
}

const text = (value: unknown, where: string, fail: Fail): string =>
  typeof value === 'string' && value.length > 0
    ? value
    : fail(`${where}: expected a string, got ${JSON.stringify(value)}`);

export function parseOperationsConfig(
  document: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  fail: Fail,
): OperationsConfig {
  const config: OperationsConfig = structuredClone(DEFAULT_OPERATIONS_CONFIG);
  if (document.admin_keys !== undefined) {
    if (!Array.isArray(document.admin_keys)) fail('admin_keys: expected a list of { key, name }');
    config.adminKeys = (document.admin_keys as unknown[]).map((entry, index) => ({
      key: text(isRecord(entry) ? entry.key : undefined, `admin_keys.${index}.key`, fail),
      name: text(isRecord(entry) ? entry.name : undefined, `admin_keys.${index}.name`, fail),
    }));
  }
  if (document.limits !== undefined) {
    const limits = document.limits;
    if (!isRecord(limits)) fail('limits: expected a mapping with default and keys');
    const { default: fallback, keys, ...rest } = limits as Record<string, unknown>;
    for (const name of Object.keys(rest)) fail(`limits.${name}: unknown (expected default, keys)`);
    if (fallback !== undefined) config.limits.default = parseKeyLimits(fallback, 'limits.default', fail);
    if (keys !== undefined) {
      if (!isRecord(keys)) fail('limits.keys: expected a mapping of key id to limits');
      for (const [id, raw] of Object.entries(keys as Record<string, unknown>))
        config.limits.keys[id] = parseKeyLimits(raw, `limits.keys.${id}`, fail);
    }
  }
  if (document.metrics !== undefined) {
    const metrics = document.metrics;
    if (!isRecord(metrics)) fail('metrics: expected a mapping');
    const { enabled, port } = metrics as Record<string, unknown>;
    if (enabled !== undefined && typeof enabled !== 'boolean')
      fail('metrics.enabled: expected true or false');
    if (port !== undefined && !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536))
      fail('metrics.port: expected a port number');
    config.metrics = { enabled: enabled === true, port: (port as number | undefined) ?? null };
  }
  if (document.redis !== undefined) {
    const redis = document.redis;
    if (!isRecord(redis)) fail('redis: expected a mapping with url');
    const { url, view_cache: viewCache } = redis as Record<string, unknown>;
    config.redisUrl = text(url, 'redis.url', fail);
    if (viewCache !== undefined && typeof viewCache !== 'boolean')
      fail('redis.view_cache: expected true or false');
    config.sharedViewCache = viewCache === true;
  }
  const files = document.files;
  if (isRecord(files) && files.s3 !== undefined) {
    const s3 = files.s3;
    if (!isRecord(s3)) fail('files.s3: expected a mapping');
    const raw = s3 as Record<string, unknown>;
    const optional = (name: string) =>
      raw[name] === undefined ? undefined : text(raw[name], `files.s3.${name}`, fail);
    if (raw.force_path_style !== undefined && typeof raw.force_path_style !== 'boolean')
      fail('files.s3.force_path_style: expected true or false');
    const endpoint = optional('endpoint');
    const accessKeyIdEnv = optional('access_key_id_env');
    const secretAccessKeyEnv = optional('secret_access_key_env');
    config.s3 = {
      bucket: text(raw.bucket, 'files.s3.bucket', fail),
      region: optional('region') ?? 'us-east-1',
      forcePathStyle: raw.force_path_style === true,
      prefix: optional('prefix') ?? '',
      ...(endpoint ? { endpoint } : {}),
      ...(accessKeyIdEnv ? { accessKeyIdEnv } : {}),
      ...(secretAccessKeyEnv ? { secretAccessKeyEnv } : {}),
    };
  }
  if (env.SIGHTLINE_REDIS_URL) config.redisUrl = env.SIGHTLINE_REDIS_URL;
  return config;
}
