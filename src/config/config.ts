// Sightline's configuration: a YAML file (snake_case keys), environment variables and flags, merged in
// that order of precedence (flags win). The file is checked by one schema (schema.ts), which reports every
// mistake at once; what comes out is camelCase settings for the server and the backend registry.
// Parsing is pure; only the CLI reads files and the environment.
import { parse as parseYaml } from 'yaml';
import type { ViewFormatChoice } from '../imaging/encode-view.js';
import { DEFAULT_VISION_RULES, type VisionRules } from '../imaging/rules.js';
import { isRecord } from '../net/is-record.js';
import type { BackendConfig } from './backends-config.js';
import { crossCheck } from './cross-checks.js';
import { ConfigError, describeIssues } from './describe-issues.js';
import { applyEnvironment, type Environment } from './environment.js';
import type { ModelRouteConfig } from './models-config.js';
import type { OperationsConfig } from './operations-config.js';
import type { ComputerUseMode, KeyOverrides, RepairConfig } from './repair-config.js';
import { type ConfigFile, configFileSchema } from './schema.js';
import type { ServerLimits } from './server-limits.js';

export { ConfigError } from './describe-issues.js';

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

/** What flags may set (`sightline serve --port …`): they win over the file and the environment. */
export type ConfigOverrides = Partial<
  Pick<SightlineConfig, 'host' | 'port' | 'dataDir' | 'allowPrivateUrls' | 'logFormat' | 'vision'>
>;

/** The checked file gathered into the shape the server takes (defaults are the schema's). */
function resolve(file: ConfigFile): SightlineConfig {
  return {
    host: file.host ?? '127.0.0.1',
    port: file.port ?? 8787,
    dataDir: file.data_dir ?? './.sightline',
    apiKeys: (file.api_keys ?? []).map((entry, index) => {
      if (typeof entry === 'string') return { key: entry, workspace: `workspace-${index + 1}` };
      const { key, workspace, repair, computer_use: computerUse } = entry;
      return { key, workspace, ...(repair ? { repair } : {}), ...(computerUse ? { computerUse } : {}) };
    }),
    allowPrivateUrls: file.allow_private_urls ?? false,
    allowUrlAddresses: file.allow_url_addresses ?? [],
    backends: file.backends,
    models: file.models,
    render: { format: file.render.format, quality: file.render.quality, autoOrient: file.render.auto_orient },
    cacheBytes: file.cache_bytes,
    files: {
      downloadable: file.files.downloadable,
      postgresUrl: file.files.postgres_url ?? null,
      maxBytes: file.files.max_bytes,
    },
    vision: { rules: file.vision.rules ?? DEFAULT_VISION_RULES },
    logLevel: file.log_level ?? 'info',
    cors: { allowOrigins: file.cors.allow_origins ?? null },
    repair: file.repair,
    computerUse: file.computer_use,
    logFormat: file.log_format ?? 'auto',
    server: file.server,
    operations: {
      adminKeys: file.admin_keys,
      limits: file.limits,
      metrics: { enabled: file.metrics.enabled, port: file.metrics.port ?? null },
      redisUrl: file.redis?.url ?? null,
      sharedViewCache: file.redis?.view_cache ?? false,
      s3: file.files.s3 ?? null,
    },
  };
}

export interface ParseConfigOptions {
  /** named at the start of every message about the file (`sightline.yaml: port: …`) */
  source?: string;
}

/**
 * Builds the configuration from YAML text (may be empty), the environment, and flag overrides. Every
 * mistake in the file and the environment is reported at once, in one ConfigError.
 */
export function parseConfig(
  yamlText: string,
  env: Environment = {},
  overrides: ConfigOverrides = {},
  options: ParseConfigOptions = {},
): SightlineConfig {
  const inFile = (message: string) => (options.source ? `${options.source}: ${message}` : message);
  let document: unknown;
  try {
    document = yamlText.trim() === '' ? {} : parseYaml(yamlText);
  } catch (error) {
    throw new ConfigError(inFile(`not valid YAML: ${(error as Error).message.split('\n')[0]}`));
  }
  if (!isRecord(document)) throw new ConfigError(inFile('the configuration file must hold a mapping'));
  const result = configFileSchema.safeParse(document);
  const problems = [
    ...(result.success ? [] : describeIssues(result.error.issues, document)),
    ...crossCheck(document),
  ];
  const config = result.success ? resolve(result.data) : structuredClone(DEFAULT_CONFIG);
  const environmentProblems: string[] = [];
  applyEnvironment(config, env, environmentProblems);
  const all = [...problems.map(inFile), ...environmentProblems];
  if (all.length > 0) throw new ConfigError(all);
  Object.assign(
    config,
    Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  );
  return config;
}

export const DEFAULT_CONFIG: SightlineConfig = parseConfig('');
