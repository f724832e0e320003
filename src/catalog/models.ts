// The model catalog: ids, aliases, limits, prices and vision profiles (vision.md §3, §5; wire.md §12).
// Data, extensible by configuration through `createCatalog(extraModels)`.

export interface VisionProfile {
  /** Longest edge of the model view, in pixels. */
  maxLongEdge: number;
  /** Token budget of one image. */
  maxTokens: number;
}

export const STANDARD_PROFILE: VisionProfile = { maxLongEdge: 1568, maxTokens: 1568 };
export const HIGH_RESOLUTION_PROFILE: VisionProfile = { maxLongEdge: 2576, maxTokens: 4784 };

export interface CatalogModel {
  id: string;
  displayName: string;
  aliases: string[];
  /** RFC 3339 release date; the models list is ordered newest first. */
  createdAt: string;
  contextWindow: number;
  maxOutputTokens: number;
  /** USD per million tokens. */
  inputPricePerMillion: number;
  outputPricePerMillion: number;
  profile: VisionProfile;
}

/** Images per request: 100 for models with a context window of 200k tokens or less, 600 otherwise. */
export const maxImagesFor = (model: Pick<CatalogModel, 'contextWindow'>): number =>
  model.contextWindow <= 200_000 ? 100 : 600;

export const BUILT_IN_MODELS: readonly CatalogModel[] = [
  {
    id: 'claude-opus-4-7',
    displayName: 'Claude Opus 4.7',
    aliases: [],
    createdAt: '2026-04-16T00:00:00Z',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    inputPricePerMillion: 5,
    outputPricePerMillion: 25,
    profile: HIGH_RESOLUTION_PROFILE,
  },
  {
    id: 'claude-opus-4-6',
    displayName: 'Claude Opus 4.6',
    aliases: [],
    createdAt: '2026-02-05T00:00:00Z',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    inputPricePerMillion: 5,
    outputPricePerMillion: 25,
    profile: STANDARD_PROFILE,
  },
  {
    id: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6',
    aliases: [],
    createdAt: '2026-02-17T00:00:00Z',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
    profile: STANDARD_PROFILE,
  },
  {
    id: 'claude-haiku-4-5-20251001',
    displayName: 'Claude Haiku 4.5',
    aliases: ['claude-haiku-4-5'],
    createdAt: '2025-10-01T00:00:00Z',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    inputPricePerMillion: 1,
    outputPricePerMillion: 5,
    profile: STANDARD_PROFILE,
  },
];
