// The model catalog as data: every id of SDK 1.15's `Model` union plus the retired models, with
// lifecycle, limits, prices, vision tier and the per-generation behaviour request validation needs
// (docs/rules/requests.md §1; docs/rules/images.md §5). Extended and overridden by the `models:` configuration.

export interface VisionProfile {
  /** Longest edge of the model view, in pixels. */
  maxLongEdge: number;
  /** Token budget of one image. */
  maxTokens: number;
}

/** Claude 4.7 and every later model (docs/rules/images.md §5). */
export const HIGH_RESOLUTION_PROFILE: VisionProfile = { maxLongEdge: 2576, maxTokens: 4784 };
/** Every other model. */
export const STANDARD_PROFILE: VisionProfile = { maxLongEdge: 1568, maxTokens: 1568 };

export const MODEL_LIFECYCLES = ['active', 'deprecated', 'retired'] as const;
export type ModelLifecycle = (typeof MODEL_LIFECYCLES)[number];
export const MODEL_LINES = ['haiku', 'sonnet', 'opus', 'fable', 'mythos'] as const;
export type ModelLine = (typeof MODEL_LINES)[number];

/**
 * What a model accepts, as the Models API's `capabilities` reports it and as request validation checks
 * it. Only the keys with a documented per-model difference are data; the rest follow the generation.
 */
export interface ModelBehaviour {
  /** Refuses a conversation that ends with an assistant turn (Claude 4.6+, Mythos Preview). */
  rejectsPrefill: boolean;
  /** Refuses non-default temperature / top_p / top_k on API version 2023-06-01 (Claude 4.7+, Mythos Preview). */
  samplingDeprecated: boolean;
  /** Refuses tool_choice `any` / `tool` (Opus 5.5, Sonnet 5.5, Fable 5.1, Mythos 5.1). */
  rejectsForcedToolChoice: boolean;
  /** The `thinking.type` values the model takes. */
  thinking: { adaptive: boolean; enabled: boolean; disabled: boolean; betweenTools: boolean };
  /** The `output_config.effort` levels; null: no effort control. `xhigh` null: a level the model predates. */
  effort: { low: boolean; medium: boolean; high: boolean; xhigh: boolean | null; max: boolean } | null;
  /** Context-management strategies (`clear_thinking_20251015`, `clear_tool_uses_20250919`, `compact_20260112`). */
  contextManagement: { clearThinking: boolean; clearToolUses: boolean; compact: boolean };
  structuredOutputs: boolean;
}

/** Prices above a prompt-length threshold (Haiku 5.5: prompts over 100K tokens). */
export interface LongContextPrice {
  aboveInputTokens: number;
  inputPricePerMillion: number;
  outputPricePerMillion: number;
}

export interface CatalogModel {
  id: string;
  displayName: string;
  /** Other names that resolve to this model (`claude-haiku-4-5` → `claude-haiku-4-5-20251001`). */
  aliases: string[];
  /** RFC 3339 release date; the models list is ordered newest first. */
  createdAt: string;
  line: ModelLine | null;
  /** `retired` models stay in the catalog (and the Models API) but every request naming them fails. */
  lifecycle: ModelLifecycle;
  /** RFC 3339; set for deprecated and retired models when the date is known. */
  deprecatedAt: string | null;
  /** RFC 3339: the scheduled (or past) retirement; null while none is announced. */
  retiresAt: string | null;
  /** The model Anthropic names as the migration target of a deprecated or retired one. */
  replacement: string | null;
  contextWindow: number;
  maxOutputTokens: number;
  /** USD per million tokens. */
  inputPricePerMillion: number;
  outputPricePerMillion: number;
  longContextPrice: LongContextPrice | null;
  profile: VisionProfile;
  behaviour: ModelBehaviour;
  /** Facts the sources leave open, shown by `sightline catalog` (e.g. "prices not confirmed"). */
  notes: string[];
}

/** Images per request: 100 for models with a context window of 200k tokens or less, 600 otherwise. */
export const maxImagesFor = (model: Pick<CatalogModel, 'contextWindow'>): number =>
  model.contextWindow <= 200_000 ? 100 : 600;

/** Whether requests may name the model (active or deprecated). */
export const isCallable = (model: Pick<CatalogModel, 'lifecycle'>): boolean => model.lifecycle !== 'retired';

// Behaviour by generation (docs/rules/requests.md §1.3).
const ALL_CONTEXT_MANAGEMENT = { clearThinking: true, clearToolUses: true, compact: true };

/** Claude 3.x, Claude 4 / 4.1: extended thinking with a budget (3.7 on), no effort, prefill allowed. */
export const LEGACY_BEHAVIOUR: ModelBehaviour = {
  rejectsPrefill: false,
  samplingDeprecated: false,
  rejectsForcedToolChoice: false,
  thinking: { adaptive: false, enabled: true, disabled: true, betweenTools: false },
  effort: null,
  contextManagement: { clearThinking: true, clearToolUses: true, compact: false },
  structuredOutputs: false,
};
/** Claude 4.5: no adaptive thinking ("adaptive thinking is not supported on this model"). */
export const GENERATION_4_5: ModelBehaviour = {
  ...LEGACY_BEHAVIOUR,
  structuredOutputs: true,
};
const THINKING_4_6 = { adaptive: true, enabled: true, disabled: true, betweenTools: true };
const EFFORT_4_6 = { low: true, medium: true, high: true, xhigh: null, max: true };
/** Claude 4.6: adaptive thinking, and assistant prefill refused. */
export const GENERATION_4_6: ModelBehaviour = {
  ...GENERATION_4_5,
  rejectsPrefill: true,
  thinking: THINKING_4_6,
  effort: EFFORT_4_6,
  contextManagement: ALL_CONTEXT_MANAGEMENT,
};
/** Claude 4.7 and later: `thinking.type: "enabled"` refused, sampling parameters deprecated, `xhigh` effort. */
export const GENERATION_4_7: ModelBehaviour = {
  ...GENERATION_4_6,
  samplingDeprecated: true,
  thinking: { ...THINKING_4_6, enabled: false },
  effort: { ...EFFORT_4_6, xhigh: true },
};
/** Opus 5.5, Fable 5.x, Mythos 5.x: thinking cannot be turned off. */
export const ALWAYS_THINKING: ModelBehaviour = {
  ...GENERATION_4_7,
  thinking: { ...GENERATION_4_7.thinking, disabled: false },
};
const withForcedToolChoiceRefused = (behaviour: ModelBehaviour): ModelBehaviour => ({
  ...behaviour,
  rejectsForcedToolChoice: true,
});

const at = (date: string): string => `${date}T00:00:00Z`;

type Entry = Pick<CatalogModel, 'id' | 'displayName' | 'createdAt' | 'line'> & Partial<CatalogModel>;

/** The common shape of a current model: 1M context, 128K output, high-resolution vision, active. */
function model(entry: Entry): CatalogModel {
  return {
    aliases: [],
    lifecycle: 'active',
    deprecatedAt: null,
    retiresAt: null,
    replacement: null,
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    inputPricePerMillion: 5,
    outputPricePerMillion: 25,
    longContextPrice: null,
    profile: HIGH_RESOLUTION_PROFILE,
    behaviour: GENERATION_4_7,
    notes: [],
    ...entry,
  };
}

/** A retired model: known, listed with `lifecycle[]=retired`, refused like an unknown model. */
function retired(entry: Entry & Pick<CatalogModel, 'retiresAt'>): CatalogModel {
  return model({
    lifecycle: 'retired',
    contextWindow: 200_000,
    profile: STANDARD_PROFILE,
    behaviour: LEGACY_BEHAVIOUR,
    ...entry,
  });
}

export const BUILT_IN_MODELS: readonly CatalogModel[] = [
  // Newest first, as in docs/rules/requests.md §1.1; the catalog sorts by createdAt.
  model({
    id: 'claude-fable-5-2',
    displayName: 'Claude Fable 5.2',
    createdAt: at('2026-11-09'),
    line: 'fable',
    inputPricePerMillion: 8,
    outputPricePerMillion: 40,
    behaviour: ALWAYS_THINKING,
  }),
  model({
    id: 'claude-mythos-5-2',
    displayName: 'Claude Mythos 5.2',
    createdAt: at('2026-11-09'),
    line: 'mythos',
    inputPricePerMillion: 8,
    outputPricePerMillion: 40,
    behaviour: ALWAYS_THINKING,
    notes: ['limits and prices inferred from Fable 5.2'],
  }),
  model({
    id: 'claude-haiku-5-5',
    displayName: 'Claude Haiku 5.5',
    createdAt: at('2026-10-07'),
    line: 'haiku',
    inputPricePerMillion: 0.1,
    outputPricePerMillion: 0.5,
    longContextPrice: { aboveInputTokens: 100_000, inputPricePerMillion: 0.5, outputPricePerMillion: 2.5 },
  }),
  model({
    id: 'claude-sonnet-5-5',
    displayName: 'Claude Sonnet 5.5',
    createdAt: at('2026-09-28'),
    line: 'sonnet',
    inputPricePerMillion: 2,
    outputPricePerMillion: 10,
    behaviour: withForcedToolChoiceRefused(GENERATION_4_7),
  }),
  model({
    id: 'claude-opus-5-5',
    displayName: 'Claude Opus 5.5',
    createdAt: at('2026-09-22'),
    line: 'opus',
    inputPricePerMillion: 4,
    outputPricePerMillion: 20,
    behaviour: withForcedToolChoiceRefused(ALWAYS_THINKING),
  }),
  model({
    id: 'claude-fable-5-1',
    displayName: 'Claude Fable 5.1',
    createdAt: at('2026-09-01'),
    line: 'fable',
    inputPricePerMillion: 10,
    outputPricePerMillion: 50,
    behaviour: withForcedToolChoiceRefused(ALWAYS_THINKING),
  }),
  model({
    id: 'claude-mythos-5-1',
    displayName: 'Claude Mythos 5.1',
    createdAt: at('2026-09-01'),
    line: 'mythos',
    inputPricePerMillion: 10,
    outputPricePerMillion: 50,
    behaviour: withForcedToolChoiceRefused(ALWAYS_THINKING),
  }),
  model({
    id: 'claude-opus-5',
    displayName: 'Claude Opus 5',
    createdAt: at('2026-07-24'),
    line: 'opus',
  }),
  model({
    id: 'claude-sonnet-5',
    displayName: 'Claude Sonnet 5',
    createdAt: at('2026-06-30'),
    line: 'sonnet',
    inputPricePerMillion: 2,
    outputPricePerMillion: 10,
  }),
  model({
    id: 'claude-fable-5',
    displayName: 'Claude Fable 5',
    createdAt: at('2026-06-09'),
    line: 'fable',
    inputPricePerMillion: 10,
    outputPricePerMillion: 50,
    behaviour: ALWAYS_THINKING,
  }),
  model({
    id: 'claude-mythos-5',
    displayName: 'Claude Mythos 5',
    createdAt: at('2026-06-09'),
    line: 'mythos',
    inputPricePerMillion: 10,
    outputPricePerMillion: 50,
    behaviour: ALWAYS_THINKING,
  }),
  model({
    id: 'claude-opus-4-8',
    displayName: 'Claude Opus 4.8',
    createdAt: at('2026-05-28'),
    line: 'opus',
  }),
  model({
    id: 'claude-opus-4-7',
    displayName: 'Claude Opus 4.7',
    createdAt: at('2026-04-16'),
    line: 'opus',
  }),
  model({
    id: 'claude-mythos-preview',
    displayName: 'Claude Mythos Preview',
    createdAt: at('2026-04-01'),
    line: 'mythos',
    lifecycle: 'deprecated',
    deprecatedAt: at('2026-06-09'),
    // "To be announced" in the deprecations page; SDK 1.15 warns "June 30th, 2026"
    retiresAt: null,
    replacement: 'claude-mythos-5',
    inputPricePerMillion: 10,
    outputPricePerMillion: 50,
    profile: STANDARD_PROFILE,
    notes: ['release day, context window, output limit, prices and vision tier not confirmed'],
  }),
  model({
    id: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6',
    createdAt: at('2026-02-17'),
    line: 'sonnet',
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
    profile: STANDARD_PROFILE,
    behaviour: GENERATION_4_6,
  }),
  model({
    id: 'claude-opus-4-6',
    displayName: 'Claude Opus 4.6',
    createdAt: at('2026-02-05'),
    line: 'opus',
    profile: STANDARD_PROFILE,
    behaviour: GENERATION_4_6,
  }),
  model({
    id: 'claude-opus-4-5-20251101',
    displayName: 'Claude Opus 4.5',
    aliases: ['claude-opus-4-5'],
    createdAt: at('2025-11-24'),
    line: 'opus',
    lifecycle: 'deprecated',
    deprecatedAt: at('2026-11-23'),
    retiresAt: at('2027-01-22'),
    replacement: 'claude-opus-5-5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    profile: STANDARD_PROFILE,
    behaviour: {
      ...GENERATION_4_5,
      effort: { low: true, medium: true, high: true, xhigh: null, max: false },
    },
  }),
  model({
    id: 'claude-haiku-4-5-20251001',
    displayName: 'Claude Haiku 4.5',
    aliases: ['claude-haiku-4-5'],
    createdAt: at('2025-10-15'),
    line: 'haiku',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    inputPricePerMillion: 1,
    outputPricePerMillion: 5,
    profile: STANDARD_PROFILE,
    behaviour: GENERATION_4_5,
  }),
  // Retired (the deprecations page: "Requests to retired models will fail"). Deprecation days are given
  // only where a source states them.
  retired({
    id: 'claude-sonnet-4-5-20250929',
    displayName: 'Claude Sonnet 4.5',
    aliases: ['claude-sonnet-4-5'],
    createdAt: at('2025-09-29'),
    line: 'sonnet',
    deprecatedAt: at('2026-09-30'),
    retiresAt: at('2026-11-30'),
    replacement: 'claude-sonnet-5-5',
    maxOutputTokens: 64_000,
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
    behaviour: GENERATION_4_5,
  }),
  retired({
    id: 'claude-opus-4-1-20250805',
    displayName: 'Claude Opus 4.1',
    aliases: ['claude-opus-4-1'],
    createdAt: at('2025-08-05'),
    line: 'opus',
    retiresAt: at('2026-08-05'),
    maxOutputTokens: 32_000,
    inputPricePerMillion: 15,
    outputPricePerMillion: 75,
  }),
  retired({
    id: 'claude-opus-4-20250514',
    displayName: 'Claude Opus 4',
    aliases: ['claude-opus-4-0'],
    createdAt: at('2025-05-22'),
    line: 'opus',
    retiresAt: at('2026-06-15'),
    maxOutputTokens: 32_000,
    inputPricePerMillion: 15,
    outputPricePerMillion: 75,
  }),
  retired({
    id: 'claude-sonnet-4-20250514',
    displayName: 'Claude Sonnet 4',
    aliases: ['claude-sonnet-4-0'],
    createdAt: at('2025-05-22'),
    line: 'sonnet',
    retiresAt: at('2026-06-15'),
    maxOutputTokens: 64_000,
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
  }),
  retired({
    id: 'claude-3-7-sonnet-20250219',
    displayName: 'Claude Sonnet 3.7',
    aliases: ['claude-3-7-sonnet-latest'],
    createdAt: at('2025-02-24'),
    line: 'sonnet',
    retiresAt: at('2026-02-19'),
    maxOutputTokens: 64_000,
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
  }),
  retired({
    id: 'claude-3-5-haiku-20241022',
    displayName: 'Claude Haiku 3.5',
    aliases: ['claude-3-5-haiku-latest'],
    createdAt: at('2024-10-22'),
    line: 'haiku',
    retiresAt: at('2026-02-19'),
    maxOutputTokens: 8_192,
    inputPricePerMillion: 0.8,
    outputPricePerMillion: 4,
  }),
  retired({
    id: 'claude-3-5-sonnet-20241022',
    displayName: 'Claude Sonnet 3.5 (New)',
    aliases: ['claude-3-5-sonnet-latest'],
    createdAt: at('2024-10-22'),
    line: 'sonnet',
    retiresAt: at('2025-10-28'),
    maxOutputTokens: 8_192,
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
  }),
  retired({
    id: 'claude-3-5-sonnet-20240620',
    displayName: 'Claude Sonnet 3.5',
    createdAt: at('2024-06-20'),
    line: 'sonnet',
    retiresAt: at('2025-10-28'),
    maxOutputTokens: 8_192,
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
  }),
  retired({
    id: 'claude-3-haiku-20240307',
    displayName: 'Claude Haiku 3',
    createdAt: at('2024-03-07'),
    line: 'haiku',
    retiresAt: at('2026-04-20'),
    maxOutputTokens: 4_096,
    inputPricePerMillion: 0.25,
    outputPricePerMillion: 1.25,
  }),
  retired({
    id: 'claude-3-opus-20240229',
    displayName: 'Claude Opus 3',
    aliases: ['claude-3-opus-latest'],
    createdAt: at('2024-02-29'),
    line: 'opus',
    retiresAt: at('2026-01-05'),
    maxOutputTokens: 4_096,
    inputPricePerMillion: 15,
    outputPricePerMillion: 75,
  }),
  retired({
    id: 'claude-3-sonnet-20240229',
    displayName: 'Claude Sonnet 3',
    createdAt: at('2024-02-29'),
    line: 'sonnet',
    retiresAt: at('2025-07-21'),
    maxOutputTokens: 4_096,
    inputPricePerMillion: 3,
    outputPricePerMillion: 15,
  }),
  retired({
    id: 'claude-2.1',
    displayName: 'Claude 2.1',
    createdAt: at('2023-11-21'),
    line: null,
    retiresAt: at('2025-07-21'),
    maxOutputTokens: 4_096,
    inputPricePerMillion: 8,
    outputPricePerMillion: 24,
  }),
  retired({
    id: 'claude-2.0',
    displayName: 'Claude 2.0',
    createdAt: at('2023-07-11'),
    line: null,
    retiresAt: at('2025-07-21'),
    contextWindow: 100_000,
    maxOutputTokens: 4_096,
    inputPricePerMillion: 8,
    outputPricePerMillion: 24,
  }),
];
