// The environment variables that override the file (README, docs/operations.md): each checked with the
// same field as its key in the file, and named in the message when wrong (`SIGHTLINE_PORT: expected …`).
import { z } from 'zod';
import { VISION_RULES } from '../imaging/rules.js';
import type { SightlineConfig } from './config.js';
import { LOG_FORMATS } from './schema.js';
import { oneOf, port } from './schema-fields.js';

export type Environment = Readonly<Record<string, string | undefined>>;

const truthy = (value: string): boolean => ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());

/** `workspace:key` or a bare key, comma-separated (keys may hold `=`, as base64 does). */
function parseApiKeys(value: string, problems: string[]): SightlineConfig['apiKeys'] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const colon = entry.indexOf(':');
      const workspace = colon < 0 ? `workspace-${index + 1}` : entry.slice(0, colon);
      const key = colon < 0 ? entry : entry.slice(colon + 1);
      if (workspace === '' || key === '')
        problems.push(`SIGHTLINE_API_KEYS: entry ${index + 1} needs workspace:key or a key`);
      return { key, workspace };
    });
}

/** `value` checked by `schema`, or a problem named after the variable. */
function checked<T>(name: string, value: unknown, schema: z.ZodType<T>, problems: string[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push(`${name}: ${result.error.issues[0]?.message ?? 'invalid'}, got ${JSON.stringify(value)}`);
  return undefined;
}

const portFromText = z.preprocess((value) => (/^\d+$/.test(String(value)) ? Number(value) : value), port());

/** Applies the SIGHTLINE_* variables to `config` (in place); mistakes are added to `problems`. */
export function applyEnvironment(config: SightlineConfig, env: Environment, problems: string[]): void {
  const set = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const host = set('SIGHTLINE_HOST');
  if (host) config.host = host;
  const portText = set('SIGHTLINE_PORT');
  if (portText) config.port = checked('SIGHTLINE_PORT', portText, portFromText, problems) ?? config.port;
  const dataDir = set('SIGHTLINE_DATA_DIR');
  if (dataDir) config.dataDir = dataDir;
  const apiKeys = set('SIGHTLINE_API_KEYS');
  if (apiKeys) config.apiKeys = parseApiKeys(apiKeys, problems);
  const allowPrivate = set('SIGHTLINE_ALLOW_PRIVATE_URLS');
  if (allowPrivate) config.allowPrivateUrls = truthy(allowPrivate);
  const postgresUrl = set('SIGHTLINE_POSTGRES_URL');
  if (postgresUrl) config.files.postgresUrl = postgresUrl;
  const redisUrl = set('SIGHTLINE_REDIS_URL');
  if (redisUrl) config.operations.redisUrl = redisUrl;
  const logLevel = set('SIGHTLINE_LOG_LEVEL');
  if (logLevel) config.logLevel = logLevel;
  const rules = set('SIGHTLINE_VISION_RULES');
  if (rules)
    config.vision.rules =
      checked('SIGHTLINE_VISION_RULES', rules, oneOf(VISION_RULES), problems) ?? config.vision.rules;
  const repair = set('SIGHTLINE_REPAIR');
  if (repair) {
    const kinds = repair.split(',').map((kind) => kind.trim());
    config.repair = {
      ...config.repair,
      images: kinds.includes('images'),
      history: kinds.includes('history'),
    };
  }
  const logFormat = set('SIGHTLINE_LOG_FORMAT');
  if (logFormat)
    config.logFormat =
      checked('SIGHTLINE_LOG_FORMAT', logFormat, oneOf(LOG_FORMATS), problems) ?? config.logFormat;
}
