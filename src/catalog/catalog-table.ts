// The catalog as text: one row per model, for `sightline catalog` (a terminal table or Markdown, the
// README's catalog section is this Markdown) and as JSON records.
import { type CatalogModel, HIGH_RESOLUTION_PROFILE, maxImagesFor, STANDARD_PROFILE } from './models.js';

const thousands = (tokens: number): string =>
  tokens >= 1_000_000 && tokens % 1_000_000 === 0
    ? `${tokens / 1_000_000}M`
    : tokens >= 1000 && tokens % 1000 === 0
      ? `${tokens / 1000}K`
      : String(tokens);

const usd = (price: number): string => `$${price}`;

const tierName = (model: CatalogModel): string => {
  const { maxLongEdge, maxTokens } = model.profile;
  if (maxLongEdge === HIGH_RESOLUTION_PROFILE.maxLongEdge && maxTokens === HIGH_RESOLUTION_PROFILE.maxTokens)
    return 'high-res';
  if (maxLongEdge === STANDARD_PROFILE.maxLongEdge && maxTokens === STANDARD_PROFILE.maxTokens)
    return 'standard';
  return `${maxLongEdge} px / ${maxTokens} tok`;
};

const day = (timestamp: string | null): string | null => (timestamp === null ? null : timestamp.slice(0, 10));

function lifecycleText(model: CatalogModel): string {
  if (model.lifecycle === 'active') return 'active';
  const parts: string[] = [model.lifecycle];
  if (model.deprecatedAt !== null && model.lifecycle === 'deprecated')
    parts.push(`since ${day(model.deprecatedAt)}`);
  if (model.retiresAt !== null)
    parts.push(`${model.lifecycle === 'retired' ? '' : 'retires '}${day(model.retiresAt)}`.trim());
  if (model.replacement !== null) parts.push(`→ ${model.replacement}`);
  return parts.join(' ');
}

const priceText = (model: CatalogModel): string => {
  const base = `${usd(model.inputPricePerMillion)} / ${usd(model.outputPricePerMillion)}`;
  const long = model.longContextPrice;
  return long === null
    ? base
    : `${base} (>${thousands(long.aboveInputTokens)}: ${usd(long.inputPricePerMillion)} / ${usd(long.outputPricePerMillion)})`;
};

export const CATALOG_COLUMNS = [
  'id',
  'aliases',
  'released',
  'lifecycle',
  'context / output',
  '$ in / out per MTok',
  'vision tier',
  'max images',
] as const;

/** One row of text cells per model, in the catalog's order (newest first). */
export function catalogRows(models: readonly CatalogModel[]): string[][] {
  return models.map((model) => [
    model.id,
    model.aliases.join(', '),
    day(model.createdAt) ?? '',
    lifecycleText(model),
    `${thousands(model.contextWindow)} / ${thousands(model.maxOutputTokens)}`,
    priceText(model),
    tierName(model),
    String(maxImagesFor(model)),
  ]);
}

/** A GitHub-flavoured Markdown table (the README's catalog section). */
export function catalogMarkdown(models: readonly CatalogModel[]): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [
    `| ${CATALOG_COLUMNS.join(' | ')} |`,
    `|${CATALOG_COLUMNS.map(() => '---').join('|')}|`,
    ...catalogRows(models).map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ];
  const notes = catalogNotes(models).map((note) => `- ${note}`);
  return `${[...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`;
}

/** `id: what the sources leave open`, for the models that have notes. */
const catalogNotes = (models: readonly CatalogModel[]): string[] =>
  models.filter((model) => model.notes.length > 0).map((model) => `${model.id}: ${model.notes.join('; ')}`);

/** One JSON record per model: the catalog's own data (camelCase domain fields as snake_case). */
export const catalogRecord = (model: CatalogModel) => ({
  id: model.id,
  display_name: model.displayName,
  aliases: model.aliases,
  created_at: model.createdAt,
  line: model.line,
  lifecycle: model.lifecycle,
  deprecated_at: model.deprecatedAt,
  retires_at: model.retiresAt,
  replacement: model.replacement,
  context_window: model.contextWindow,
  max_output_tokens: model.maxOutputTokens,
  input_price_per_million: model.inputPricePerMillion,
  output_price_per_million: model.outputPricePerMillion,
  long_context_price:
    model.longContextPrice === null
      ? null
      : {
          above_input_tokens: model.longContextPrice.aboveInputTokens,
          input_price_per_million: model.longContextPrice.inputPricePerMillion,
          output_price_per_million: model.longContextPrice.outputPricePerMillion,
        },
  profile: { max_long_edge: model.profile.maxLongEdge, max_tokens: model.profile.maxTokens },
  max_images: maxImagesFor(model),
  rejects_prefill: model.behaviour.rejectsPrefill,
  sampling_deprecated: model.behaviour.samplingDeprecated,
  rejects_forced_tool_choice: model.behaviour.rejectsForcedToolChoice,
  notes: model.notes,
});
