// Sightline's configuration: a YAML file (snake_case keys), environment variables and flags, merged in
// that order of precedence (flags win). Parsing is pure; only main reads files and the environment.
import { parse as parseYaml } from 'yaml';
import { TEXT_SAFE_JPEG_QUALITY, type ViewFormatChoice } from '../imaging/encode-view.js';
import { DEFAULT_VISION_RULES, isVisionRules, VISION_RULES, type VisionRules } from '../imaging/rules.js';
import { isRecord } from '../net/index.js';
import {
  DEFAULT_OPERATIONS_CONFIG,
  type OperationsConfig,
  parseOperationsConfig,
} from './operations-config.js';
import {
  type ComputerUseMode,
  DEFAULT_REPAIR_CONFIG,
  type KeyOverrides,
  parseComputerUse,
  parseKeyOverrides,
  parseRepairConfig,
  type RepairConfig,
} from './repair-config.js';
import { DEFAULT_SERVER_LIMITS, parseServerLimits, type ServerLimits } from './server-limits.js';

export interface ProfileConfig {
  max_long_edge: number;
  max_tokens: number;
}

export type BackendConfig =
  | {
      type: 'anthropic';
      base_url: string;
      api_key?: string;
      api_key_env?: string;
      pre_resize?: boolean;
      inline_sources?: boolean;
      timeout_ms?: number;
      max_response_bytes?: number;
      /** where the upstream serves Claude: Bedrock and Vertex AI take 5 MB per image (default anthropic) */
      platform?: 'anthropic' | 'bedrock' | 'vertex';
      /** encoding of the views sent (default: render.format, itself `auto` = the source's family) */
      view_format?: ViewFormatChoice;
      /** per-image limit of the views sent, in base64 characters (default: the platform's) */
      max_image_bytes?: number;
    }
  | {
      type: 'openai-compatible';
      base_url: string;
      api_key?: string;
      api_key_env?: string;
      timeout_ms?: number;
      max_response_bytes?: number;
      /** encoding of the views sent (default: render.format, itself `auto` = the source's family) */
      view_format?: ViewFormatChoice;
      /** per-image limit of the views sent, in base64 characters (default 20 MiB) */
      max_image_bytes?: number;
    }
  | {
      type: 'local';
      /** Requests that may wait for OCR behind the one being read; past it, 529 overloaded_error. */
      queue_size?: number;
    };

export interface ModelRouteConfig {
  /** a model id, or a pattern with `*` that routes catalog models */
  id: string;
  backend: string;
  upstream_model?: string;
  display_name?: string;
  profile?: ProfileConfig;
  context_window?: number;
  max_output_tokens?: number;
  input_price?: number;
  output_price?: number;
  /** a catalog model whose facts (tier, limits, prices, behaviour) a new model starts from */
  like?: string;
  aliases?: string[];
  created_at?: string;
  line?: 'haiku' | 'sonnet' | 'opus' | 'fable' | 'mythos';
  lifecycle?: 'active' | 'deprecated' | 'retired';
  deprecated_at?: string;
  retires_at?: string;
  replacement?: string;
}

export interface SightlineConfig {
  host: string;
  port: number;
  dataDir: string;
  /** keys accepted, each naming its workspace; empty: any non-empty key, each its own workspace */
  apiKeys: Array<{ key: string; workspace: string } & KeyOverrides>;
  allowPrivateUrls: boolean;
  /** addresses or CIDRs that url sources may reach even though private */
  allowUrlAddresses: string[];
  backends: Record<string, BackendConfig>;
  models: ModelRouteConfig[];
  /** `format`: how views are encoded unless a backend says otherwise; `quality`: of lossy views */
  render: { format: ViewFormatChoice; quality: number; autoOrient: boolean };
  cacheBytes: number;
  files: { downloadable: boolean; postgresUrl: string | null; maxBytes: number };
  /** which revision of the image rules sizes, counts and limits images (default 2026-09) */
  vision: { rules: VisionRules };
  logLevel: string;
  /** browser access: origins allowed (null: any origin that sends the opt-in header, as the API) */
  cors: { allowOrigins: string[] | null };
  /** repair mode (issue 13): off unless configured, or asked for per key or per request */
  repair: RepairConfig;
  computerUse: ComputerUseMode;
  /** `auto`: readable lines on a terminal, JSON lines otherwise (decided by `sightline serve`) */
  logFormat: 'auto' | 'pretty' | 'json';
  /** connection, body and memory limits (the `server:` mapping) */
  server: ServerLimits;
  /** admin keys, limits, metrics, Redis, S3 (operations-config.ts) */
  operations: OperationsConfig;
}

export const DEFAULT_CONFIG: SightlineConfig = {
  host: '127.0.0.1',
  port: 8787,
  dataDir: './.sightline',
  apiKeys: [],
  allowPrivateUrls: false,
  allowUrlAddresses: [],
  backends: {},
  models: [],
  render: { format: 'auto', quality: TEXT_SAFE_JPEG_QUALITY, autoOrient: false },
  cacheBytes: 256 * 1024 * 1024,
  files: { downloadable: false, postgresUrl: null, maxBytes: 500 * 1000 * 1000 },
  vision: { rules: DEFAULT_VISION_RULES },
  logLevel: 'info',
  cors: { allowOrigins: null },
  repair: DEFAULT_REPAIR_CONFIG,
  computerUse: 'off',
  logFormat: 'auto',
  server: DEFAULT_SERVER_LIMITS,
  operations: DEFAULT_OPERATIONS_CONFIG,
};

const RULES_CHOICES = VISION_RULES.join(' or ');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Raw = Record<string, unknown>;

function expect<T>(value: unknown, check: (value: unknown) => boolean, where: string, what: string): T {
  if (!check(value)) throw new ConfigError(`${where}: expected ${what}, got ${JSON.stringify(value)}`);
  return value as T;
}
const isString = (value: unknown) => typeof value === 'string' && value.length > 0;
const isBoolean = (value: unknown) => typeof value === 'boolean';
const isPositiveInteger = (value: unknown) => Number.isInteger(value) && (value as number) > 0;
const isRfc3339 = (value: unknown) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(value) && !Number.isNaN(Date.parse(value));
const isLogFormat = (value: unknown) => value === 'auto' || value === 'pretty' || value === 'json';
const isViewFormatChoice = (value: unknown): value is ViewFormatChoice =>
  value === 'auto' || value === 'png' || value === 'jpeg' || value === 'webp';
const isNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function parseBackend(name: string, raw: unknown): BackendConfig {
  const where = `backends.${name}`;
  if (!isRecord(raw)) throw new ConfigError(`${where}: expected a mapping`);
  const type = raw.type;
  if (type === 'local') {
    if (raw.queue_size === undefined) return { type };
    const queueSize = raw.queue_size;
    if (!(Number.isInteger(queueSize) && (queueSize as number) >= 0))
      throw new ConfigError(
        `${where}.queue_size: expected a whole number (0 or more), got ${JSON.stringify(queueSize)}`,
      );
    return { type, queue_size: queueSize as number };
  }
  if (type !== 'anthropic' && type !== 'openai-compatible') {
    throw new ConfigError(
      `${where}.type: expected anthropic, openai-compatible or local, got ${JSON.stringify(type)}`,
    );
  }
  const backend: Raw = {
    type,
    base_url: expect<string>(raw.base_url, isString, `${where}.base_url`, 'a URL'),
  };
  for (const key of ['api_key', 'api_key_env'] as const) {
    if (raw[key] !== undefined)
      backend[key] = expect<string>(raw[key], isString, `${where}.${key}`, 'a string');
  }
  for (const key of ['timeout_ms', 'max_response_bytes', 'max_image_bytes'] as const) {
    if (raw[key] !== undefined)
      backend[key] = expect(raw[key], isPositiveInteger, `${where}.${key}`, 'a positive integer');
  }
  if (raw.view_format !== undefined)
    backend.view_format = expect(
      raw.view_format,
      isViewFormatChoice,
      `${where}.view_format`,
      'auto, png, jpeg or webp',
    );
  if (type === 'anthropic') {
    for (const key of ['pre_resize', 'inline_sources'] as const) {
      if (raw[key] !== undefined)
        backend[key] = expect(raw[key], isBoolean, `${where}.${key}`, 'true or false');
    }
    if (raw.platform !== undefined)
      backend.platform = expect(
        raw.platform,
        (v) => v === 'anthropic' || v === 'bedrock' || v === 'vertex',
        `${where}.platform`,
        'anthropic, bedrock or vertex',
      );
  }
  return backend as unknown as BackendConfig;
}

function parseModel(index: number, raw: unknown, backends: Record<string, BackendConfig>): ModelRouteConfig {
  const where = `models.${index}`;
  if (!isRecord(raw)) throw new ConfigError(`${where}: expected a mapping`);
  const model: ModelRouteConfig = {
    id: expect(raw.id, isString, `${where}.id`, 'a model id'),
    backend: expect(raw.backend, isString, `${where}.backend`, 'a backend name'),
  };
  if (model.backend !== 'local' && !(model.backend in backends)) {
    throw new ConfigError(
      `${where}.backend: no backend named ${model.backend} (known: local, ${Object.keys(backends).join(', ')})`,
    );
  }
  if (raw.upstream_model !== undefined)
    model.upstream_model = expect(raw.upstream_model, isString, `${where}.upstream_model`, 'a string');
  if (raw.display_name !== undefined)
    model.display_name = expect(raw.display_name, isString, `${where}.display_name`, 'a string');
  if (raw.profile !== undefined) {
    const profile = expect<Raw>(raw.profile, isRecord, `${where}.profile`, 'a mapping');
    model.profile = {
      max_long_edge: expect(
        profile.max_long_edge,
        isPositiveInteger,
        `${where}.profile.max_long_edge`,
        'a positive integer',
      ),
      max_tokens: expect(
        profile.max_tokens,
        isPositiveInteger,
        `${where}.profile.max_tokens`,
        'a positive integer',
      ),
    };
  }
  for (const key of ['context_window', 'max_output_tokens'] as const) {
    if (raw[key] !== undefined)
      model[key] = expect(raw[key], isPositiveInteger, `${where}.${key}`, 'a positive integer');
  }
  for (const key of ['input_price', 'output_price'] as const) {
    if (raw[key] !== undefined)
      model[key] = expect(raw[key], isNumber, `${where}.${key}`, 'a price in USD per million tokens');
  }
  for (const key of ['like', 'replacement'] as const) {
    if (raw[key] !== undefined) model[key] = expect(raw[key], isString, `${where}.${key}`, 'a model id');
  }
  if (raw.aliases !== undefined)
    model.aliases = expect<string[]>(
      raw.aliases,
      (v) => Array.isArray(v) && v.every(isString),
      `${where}.aliases`,
      'a list of model ids',
    );
  for (const key of ['created_at', 'deprecated_at', 'retires_at'] as const) {
    if (raw[key] === undefined) continue;
    // YAML reads an unquoted 2027-01-22 as a date
    const value = raw[key] instanceof Date ? (raw[key] as Date).toISOString() : raw[key];
    model[key] = expect(value, isRfc3339, `${where}.${key}`, 'a date (2027-01-22 or RFC 3339)');
  }
  if (raw.line !== undefined)
    model.line = expect(
      raw.line,
      (v) => ['haiku', 'sonnet', 'opus', 'fable', 'mythos'].includes(v as string),
      `${where}.line`,
      'haiku, sonnet, opus, fable or mythos',
    );
  if (raw.lifecycle !== undefined)
    model.lifecycle = expect(
      raw.lifecycle,
      (v) => v === 'active' || v === 'deprecated' || v === 'retired',
      `${where}.lifecycle`,
      'active, deprecated or retired',
    );
  if (model.id.includes('*') && model.profile)
    throw new ConfigError(`${where}: a pattern id cannot have a profile`);
  return model;
}

const truthy = (value: string | undefined): boolean | undefined =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());

/** Builds the configuration from YAML text (may be empty), the environment, and flag overrides. */
export function parseConfig(
  yamlText: string,
  env: Readonly<Record<string, string | undefined>> = {},
  overrides: Partial<
    Pick<SightlineConfig, 'host' | 'port' | 'dataDir' | 'allowPrivateUrls' | 'logFormat' | 'vision'>
  > = {},
): SightlineConfig {
  const document: unknown = yamlText.trim() === '' ? {} : parseYaml(yamlText);
  if (!isRecord(document)) throw new ConfigError('the configuration file must hold a mapping');
  const config: SightlineConfig = structuredClone(DEFAULT_CONFIG);
  if (document.host !== undefined) config.host = expect(document.host, isString, 'host', 'a host name');
  if (document.port !== undefined)
    config.port = expect(document.port, isPositiveInteger, 'port', 'a port number');
  if (document.data_dir !== undefined)
    config.dataDir = expect(document.data_dir, isString, 'data_dir', 'a path');
  if (document.allow_private_urls !== undefined) {
    config.allowPrivateUrls = expect(
      document.allow_private_urls,
      isBoolean,
      'allow_private_urls',
      'true or false',
    );
  }
  if (document.allow_url_addresses !== undefined) {
    config.allowUrlAddresses = expect<string[]>(
      document.allow_url_addresses,
      (v) => Array.isArray(v) && v.every(isString),
      'allow_url_addresses',
      'a list of addresses',
    );
  }
  if (document.api_keys !== undefined) {
    const keys = expect<unknown[]>(document.api_keys, Array.isArray, 'api_keys', 'a list');
    config.apiKeys = keys.map((entry, index) =>
      typeof entry === 'string'
        ? { key: entry, workspace: `workspace-${index + 1}` }
        : {
            key: expect(isRecord(entry) ? entry.key : undefined, isString, `api_keys.${index}.key`, 'a key'),
            workspace: expect(
              isRecord(entry) ? entry.workspace : undefined,
              isString,
              `api_keys.${index}.workspace`,
              'a workspace name',
            ),
            ...(isRecord(entry) ? parseKeyOverrides(entry, `api_keys.${index}`) : {}),
          },
    );
  }
  if (document.backends !== undefined) {
    const backends = expect<Raw>(document.backends, isRecord, 'backends', 'a mapping');
    for (const [name, raw] of Object.entries(backends)) config.backends[name] = parseBackend(name, raw);
  }
  if (document.models !== undefined) {
    const models = expect<unknown[]>(document.models, Array.isArray, 'models', 'a list');
    config.models = models.map((raw, index) => parseModel(index, raw, config.backends));
  }
  if (document.render !== undefined) {
    const render = expect<Raw>(document.render, isRecord, 'render', 'a mapping');
    if (render.format !== undefined)
      config.render.format = expect(
        render.format,
        isViewFormatChoice,
        'render.format',
        'auto, png, jpeg or webp',
      );
    if (render.quality !== undefined)
      config.render.quality = expect(
        render.quality,
        (v) => isPositiveInteger(v) && (v as number) <= 100,
        'render.quality',
        '1–100',
      );
    if (render.auto_orient !== undefined)
      config.render.autoOrient = expect(render.auto_orient, isBoolean, 'render.auto_orient', 'true or false');
  }
  if (document.cache_bytes !== undefined)
    config.cacheBytes = expect(document.cache_bytes, isPositiveInteger, 'cache_bytes', 'a size in bytes');
  if (document.files !== undefined) {
    const files = expect<Raw>(document.files, isRecord, 'files', 'a mapping');
    if (files.downloadable !== undefined)
      config.files.downloadable = expect(
        files.downloadable,
        isBoolean,
        'files.downloadable',
        'true or false',
      );
    if (files.postgres_url !== undefined)
      config.files.postgresUrl = expect(
        files.postgres_url,
        isString,
        'files.postgres_url',
        'a postgres:// URL',
      );
    if (files.max_bytes !== undefined)
      config.files.maxBytes = expect(
        files.max_bytes,
        isPositiveInteger,
        'files.max_bytes',
        'a size in bytes',
      );
  }
  if (document.cors !== undefined) {
    const cors = expect<Raw>(document.cors, isRecord, 'cors', 'a mapping');
    if (cors.allow_origins !== undefined)
      config.cors.allowOrigins = expect<string[]>(
        cors.allow_origins,
        (v) =>
          Array.isArray(v) &&
          v.every((origin) => isString(origin) && /^https?:\/\/[^/]+$/.test(origin as string)),
        'cors.allow_origins',
        'a list of origins such as https://app.example (scheme and host, no path)',
      );
  }
  if (document.server !== undefined)
    config.server = parseServerLimits(document.server, (message) => new ConfigError(message));
  config.operations = parseOperationsConfig(document, env, (message) => {
    throw new ConfigError(message);
  });
  if (document.log_level !== undefined)
    config.logLevel = expect(document.log_level, isString, 'log_level', 'a level');
  if (document.vision !== undefined) {
    const vision = expect<Raw>(document.vision, isRecord, 'vision', 'a mapping');
    if (vision.rules !== undefined)
      config.vision.rules = expect(vision.rules, isVisionRules, 'vision.rules', RULES_CHOICES);
  }
  if (document.repair !== undefined) config.repair = parseRepairConfig(document.repair);
  if (document.computer_use !== undefined) config.computerUse = parseComputerUse(document.computer_use);
  if (document.log_format !== undefined)
    config.logFormat = expect(document.log_format, isLogFormat, 'log_format', 'auto, pretty or json');

  // environment
  if (env.SIGHTLINE_HOST) config.host = env.SIGHTLINE_HOST;
  if (env.SIGHTLINE_PORT)
    config.port = expect(Number(env.SIGHTLINE_PORT), isPositiveInteger, 'SIGHTLINE_PORT', 'a port number');
  if (env.SIGHTLINE_DATA_DIR) config.dataDir = env.SIGHTLINE_DATA_DIR;
  if (env.SIGHTLINE_API_KEYS) {
    // `workspace:key` or a bare key, comma-separated (keys may hold `=`, as base64 does)
    config.apiKeys = env.SIGHTLINE_API_KEYS.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry, index) => {
        const colon = entry.indexOf(':');
        const workspace = colon < 0 ? `workspace-${index + 1}` : entry.slice(0, colon);
        const key = colon < 0 ? entry : entry.slice(colon + 1);
        if (workspace === '' || key === '')
          throw new ConfigError(`SIGHTLINE_API_KEYS: entry ${index + 1} needs workspace:key or a key`);
        return { key, workspace };
      });
  }
  const allowPrivate = truthy(env.SIGHTLINE_ALLOW_PRIVATE_URLS);
  if (allowPrivate !== undefined) config.allowPrivateUrls = allowPrivate;
  if (env.SIGHTLINE_POSTGRES_URL) config.files.postgresUrl = env.SIGHTLINE_POSTGRES_URL;
  if (env.SIGHTLINE_LOG_LEVEL) config.logLevel = env.SIGHTLINE_LOG_LEVEL;
  if (env.SIGHTLINE_VISION_RULES)
    config.vision.rules = expect(
      env.SIGHTLINE_VISION_RULES,
      isVisionRules,
      'SIGHTLINE_VISION_RULES',
      RULES_CHOICES,
    );
  if (env.SIGHTLINE_REPAIR !== undefined && env.SIGHTLINE_REPAIR !== '') {
    const kinds = env.SIGHTLINE_REPAIR.split(',').map((kind) => kind.trim());
    config.repair = {
      ...config.repair,
      images: kinds.includes('images'),
      history: kinds.includes('history'),
    };
  }
  if (env.SIGHTLINE_LOG_FORMAT)
    config.logFormat = expect(
      env.SIGHTLINE_LOG_FORMAT,
      isLogFormat,
      'SIGHTLINE_LOG_FORMAT',
      'auto, pretty or json',
    );

  // flags
  Object.assign(
    config,
    Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  );
  return config;
}
