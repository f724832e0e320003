// The one schema of the configuration file (YAML, snake_case keys as documented in README and
// docs/operations.md). Every key is listed here or in the section it names; anything else is an error
// naming its path and the closest key (describe-issues.ts). What comes out is camelCase, with every
// default filled in; config.ts gathers it into `SightlineConfig` and applies the environment and flags.
import type { z } from 'zod';
import { TEXT_SAFE_JPEG_QUALITY } from '../imaging/encode-view.js';
import { VISION_RULES } from '../imaging/rules.js';
import { backendsSchema, VIEW_FORMAT_CHOICES } from './backends-config.js';
import { modelsSchema } from './models-config.js';
import { adminKeysSchema, limitsSchema, metricsSchema, redisSchema, s3Schema } from './operations-config.js';
import { apiKeyEntrySchema, computerUseSchema, repairSchema } from './repair-config.js';
import { flag, integerBetween, list, oneOf, port, positiveInteger, section, text } from './schema-fields.js';
import { serverLimitsSchema } from './server-limits.js';

export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;

/** A browser origin: scheme and host, no path. */
const origin = text('an origin such as https://app.example (scheme and host, no path)').regex(
  /^https?:\/\/[^/]+$/,
  { error: 'expected an origin such as https://app.example (scheme and host, no path)' },
);

export const configFileSchema = section(
  {
    host: text('a host name').exactOptional(),
    port: port().exactOptional(),
    data_dir: text('a path').exactOptional(),
    /** keys accepted, each naming its workspace; empty: any non-empty key, each its own workspace */
    api_keys: list(apiKeyEntrySchema, 'a list').exactOptional(),
    allow_private_urls: flag().exactOptional(),
    /** addresses or CIDRs that url sources may reach even though private */
    allow_url_addresses: list(text('an address'), 'a list of addresses').exactOptional(),
    backends: backendsSchema.prefault({}),
    models: modelsSchema.default(() => []),
    render: section({
      /** how views are encoded unless a backend says otherwise */
      format: oneOf(VIEW_FORMAT_CHOICES).default('auto'),
      /** of lossy views */
      quality: integerBetween(1, 100, '1–100').default(TEXT_SAFE_JPEG_QUALITY),
      auto_orient: flag().default(false),
    }).prefault({}),
    cache_bytes: positiveInteger('a size in bytes').default(256 * 1024 * 1024),
    files: section({
      downloadable: flag().default(false),
      postgres_url: text('a postgres:// URL').exactOptional(),
      max_bytes: positiveInteger('a size in bytes').default(500 * 1000 * 1000),
      s3: s3Schema.exactOptional(),
    }).prefault({}),
    vision: section({ rules: oneOf(VISION_RULES).exactOptional() }).prefault({}),
    log_level: text('a level').exactOptional(),
    log_format: oneOf(LOG_FORMATS).exactOptional(),
    cors: section({
      /** absent: any origin that sends the opt-in header, as the API */
      allow_origins: list(
        origin,
        'a list of origins such as https://app.example (scheme and host, no path)',
      ).exactOptional(),
    }).prefault({}),
    repair: repairSchema.prefault({}),
    computer_use: computerUseSchema.default('off'),
    server: serverLimitsSchema.prefault({}),
    admin_keys: adminKeysSchema.default(() => []),
    limits: limitsSchema.prefault({}),
    metrics: metricsSchema.prefault({}),
    redis: redisSchema.exactOptional(),
  },
  'a mapping',
);

/** The file as checked (snake_case at the top, each section already in its resolved form). */
export type ConfigFile = z.output<typeof configFileSchema>;
