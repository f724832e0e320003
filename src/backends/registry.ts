// Builds the configured backends and routes each model id to one: configured models first (exact ids,
// then `*` patterns over catalog ids), and every other catalog model to the built-in `local` engine.
import type { Catalog, CatalogModel } from '../catalog/index.js';
import { createCatalog, LEGACY_BEHAVIOUR, STANDARD_PROFILE } from '../catalog/index.js';
import type { BackendConfig, ModelRouteConfig } from '../config/index.js';
import { maxImageBytesFor, type ViewFormatChoice, type ViewTarget } from '../imaging/index.js';
import { type AnthropicBackendSettings, createAnthropicBackend } from './anthropic/index.js';
import { createLocalBackend, type LocalBackendSettings } from './local/index.js';
import { createOpenAiCompatibleBackend, type OpenAiCompatibleSettings } from './openai-compatible/index.js';
import type { Backend } from './types.js';

export interface Route {
  model: CatalogModel;
  backend: Backend;
  backendName: string;
  backendType: BackendConfig['type'];
  upstreamModel: string;
  /** where the backend serves the model: Bedrock and Vertex AI take 5 MB per image (default anthropic) */
  platform?: 'anthropic' | 'bedrock' | 'vertex' | undefined;
  /** what the backend's upstream needs of each model view (docs/views.md) */
  view: ViewTarget;
}

export interface Router {
  readonly catalog: Catalog;
  /** The route of a model id or alias; undefined for a model Sightline does not know. */
  route(modelId: string): Route | undefined;
  /** Requests waiting in (or being served by) the backends' own queues: the local engine's OCR. */
  queued(): number;
  close(): Promise<void>;
}

export interface RouterOptions {
  backends: Record<string, BackendConfig>;
  models: ModelRouteConfig[];
  env?: Readonly<Record<string, string | undefined>>;
  local?: LocalBackendSettings;
  /** the server's `render.format`: views' encoding where a backend sets no `viewFormat` (default auto) */
  viewFormat?: ViewFormatChoice;
}

/** Per-image limit of views sent to an OpenAI-compatible server unless configured (OpenAI takes 20 MB). */
export const OPENAI_COMPATIBLE_IMAGE_BYTES = 20 * 1024 * 1024;

/**
 * What a backend's upstream needs of a view. Claude (anthropic backends) pads on its side, takes the
 * original when nothing has to change, and has a per-image limit by platform; OpenAI-compatible servers get
 * the padded canvas; the local engine reads pixels, so its views stay lossless unless a format is forced.
 */
export function viewTargetFor(config: BackendConfig, viewFormat: ViewFormatChoice = 'auto'): ViewTarget {
  if (config.type === 'local') return { pad: true, format: viewFormat === 'auto' ? 'png' : viewFormat };
  const format = config.viewFormat ?? viewFormat;
  if (config.type === 'openai-compatible') {
    return { pad: true, format, maxBase64Bytes: config.maxImageBytes ?? OPENAI_COMPATIBLE_IMAGE_BYTES };
  }
  return {
    pad: false,
    format,
    keepOriginal: true,
    // the upstream is today's API whatever revision counts the tokens
    maxBase64Bytes: config.maxImageBytes ?? maxImageBytesFor('2026-09', config.platform ?? 'anthropic'),
  };
}

/**
 * `settings` as they are, checked at compile time to hold only keys `Backend` takes: a key added to the
 * configuration schema (config/backends-config.ts) that no backend setting receives is a type error here,
 * not a setting silently dropped.
 */
const takenBy =
  <Backend>() =>
  <Settings extends object>(settings: Settings & Record<Exclude<keyof Settings, keyof Backend>, never>) =>
    settings;

/**
 * Every setting a backend takes can be written in the configuration file (the name and the key are the
 * registry's). A setting added to a backend without its key in config/backends-config.ts fails this line.
 */
type UnreachableSettings<Backend, Type extends BackendConfig['type']> = Exclude<
  keyof Backend,
  keyof Extract<BackendConfig, { type: Type }> | 'name' | 'apiKey'
>;
const _everyBackendSettingInConfig: [
  UnreachableSettings<AnthropicBackendSettings, 'anthropic'>,
  UnreachableSettings<OpenAiCompatibleSettings, 'openai-compatible'>,
  UnreachableSettings<LocalBackendSettings, 'local'>,
] extends [never, never, never]
  ? true
  : never = true;

/**
 * A backend from its resolved configuration: the settings come camelCase, as each backend names them; the
 * registry adds the name and the key read from `apiKeyEnv`, and keeps the view settings for itself.
 */
function createBackend(
  name: string,
  config: BackendConfig,
  env: Readonly<Record<string, string | undefined>>,
  local: LocalBackendSettings,
) {
  if (config.type === 'local') {
    const { type: _type, ...settings } = config;
    return createLocalBackend({ ...local, ...takenBy<LocalBackendSettings>()(settings), name });
  }
  const apiKey = config.apiKey ?? (config.apiKeyEnv ? env[config.apiKeyEnv] : undefined);
  const common = { name, ...(apiKey ? { apiKey } : {}) };
  if (config.type === 'openai-compatible')
    return createOpenAiCompatibleBackend({
      ...takenBy<OpenAiCompatibleSettings>()(backendSettings(config)),
      ...common,
    });
  const { platform: _platform, ...anthropic } = config;
  return createAnthropicBackend({
    ...takenBy<AnthropicBackendSettings>()(backendSettings(anthropic)),
    ...common,
  });
}

type RegistryKeys = 'type' | 'apiKey' | 'apiKeyEnv' | 'viewFormat' | 'maxImageBytes';

/** A remote backend's settings without what the registry keeps for itself (the key, the view target). */
function backendSettings<Config extends Partial<Record<RegistryKeys, unknown>>>(
  config: Config,
): Omit<Config, RegistryKeys> {
  const {
    type: _type,
    apiKey: _key,
    apiKeyEnv: _env,
    viewFormat: _format,
    maxImageBytes: _bytes,
    ...settings
  } = config;
  return settings;
}

const patternToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** RFC 3339 from a configured date (`2027-01-22` is midnight UTC). */
const toTimestamp = (date: string | undefined): string | undefined =>
  date === undefined ? undefined : new Date(date).toISOString().replace('.000Z', 'Z');

/**
 * A configured model: the catalog's data for its id (or for the model it is `like`), with every
 * configured field on top. A model unknown to the catalog and like none takes no Claude-specific rule.
 */
function modelFromConfig(entry: ModelRouteConfig, base: CatalogModel | undefined): CatalogModel {
  const lifecycle = entry.lifecycle ?? base?.lifecycle ?? 'active';
  return {
    id: entry.id,
    displayName: entry.displayName ?? base?.displayName ?? entry.id,
    aliases: entry.aliases ?? (base?.id === entry.id ? base.aliases : []),
    createdAt: toTimestamp(entry.createdAt) ?? base?.createdAt ?? '1970-01-01T00:00:00Z',
    line: entry.line ?? base?.line ?? null,
    lifecycle,
    deprecatedAt:
      toTimestamp(entry.deprecatedAt) ?? (lifecycle === 'active' ? null : (base?.deprecatedAt ?? null)),
    retiresAt: toTimestamp(entry.retiresAt) ?? (lifecycle === 'active' ? null : (base?.retiresAt ?? null)),
    replacement: entry.replacement ?? base?.replacement ?? null,
    contextWindow: entry.contextWindow ?? base?.contextWindow ?? 200_000,
    maxOutputTokens: entry.maxOutputTokens ?? base?.maxOutputTokens ?? 8192,
    inputPricePerMillion: entry.inputPrice ?? base?.inputPricePerMillion ?? 0,
    outputPricePerMillion: entry.outputPrice ?? base?.outputPricePerMillion ?? 0,
    longContextPrice: entry.inputPrice === undefined ? (base?.longContextPrice ?? null) : null,
    profile: entry.profile ?? base?.profile ?? STANDARD_PROFILE,
    behaviour: base?.behaviour ?? LEGACY_BEHAVIOUR,
    notes: base?.notes ?? [],
  };
}

export function createRouter(options: RouterOptions): Router {
  const env = options.env ?? {};
  const local = options.local ?? {};
  const backends = new Map<string, { backend: Backend; config: BackendConfig }>();
  const backendNamed = (name: string) => {
    let entry = backends.get(name);
    if (!entry) {
      const config: BackendConfig =
        name === 'local' && !options.backends.local ? { type: 'local' } : options.backends[name]!;
      entry = { backend: createBackend(name, config, env, local), config };
      backends.set(name, entry);
    }
    return entry;
  };

  const builtIn = createCatalog();
  const exact = options.models.filter((entry) => !entry.id.includes('*'));
  const patterns = options.models
    .filter((entry) => entry.id.includes('*'))
    .map((entry) => ({ entry, regexp: patternToRegExp(entry.id) }));
  const catalog = createCatalog(
    exact.map((entry) => {
      const base =
        builtIn.find(entry.id) ?? (entry.like === undefined ? undefined : builtIn.find(entry.like));
      if (entry.like !== undefined && base === undefined)
        throw new Error(`models: ${entry.id} is like ${entry.like}, which the catalog does not know`);
      return modelFromConfig(entry, base);
    }),
  );

  const routes = new Map<string, Route>();
  const route = (modelId: string): Route | undefined => {
    const model = catalog.find(modelId);
    if (!model) return undefined;
    let found = routes.get(model.id);
    if (!found) {
      const configured =
        exact.find((entry) => entry.id === model.id) ??
        patterns.find(({ regexp }) => regexp.test(model.id))?.entry;
      const backendName = configured?.backend ?? 'local';
      const { backend, config } = backendNamed(backendName);
      found = {
        model,
        backend,
        backendName,
        backendType: config.type,
        upstreamModel: configured?.upstreamModel ?? model.id,
        ...(config.type === 'anthropic' && config.platform ? { platform: config.platform } : {}),
        view: viewTargetFor(config, options.viewFormat),
      };
      routes.set(model.id, found);
    }
    return found;
  };

  return {
    catalog,
    route,
    queued: () => [...backends.values()].reduce((sum, { backend }) => sum + (backend.queued ?? 0), 0),
    async close() {
      await Promise.all([...backends.values()].map(({ backend }) => backend.close?.()));
    },
  };
}
