// The Models API object (`ModelInfo` of SDK 1.15, docs/rules/requests.md §2) of a catalog model: lifecycle,
// line, dates, limits and `capabilities` with every key present, plus Sightline's own `sightline` block.
import { type CatalogModel, maxImagesFor } from './models.js';

const support = (supported: boolean) => ({ supported });

/**
 * What Sightline itself serves, whatever the model could do upstream: no Batch API, no server tools
 * (refused with a 400), no PDF reading. Those capabilities read false; the rest are the model's.
 */
const SERVED_BY_SIGHTLINE = { batch: false, serverTools: false, pdfInput: false } as const;

export function modelCapabilities(model: CatalogModel) {
  const { thinking, effort, contextManagement } = model.behaviour;
  const contextSupported =
    contextManagement.clearThinking || contextManagement.clearToolUses || contextManagement.compact;
  return {
    batch: support(SERVED_BY_SIGHTLINE.batch),
    citations: support(true),
    code_execution: support(SERVED_BY_SIGHTLINE.serverTools),
    context_management: {
      supported: contextSupported,
      clear_thinking_20251015: support(contextManagement.clearThinking),
      clear_tool_uses_20250919: support(contextManagement.clearToolUses),
      compact_20260112: support(contextManagement.compact),
    },
    effort: {
      supported: effort !== null,
      low: support(effort?.low ?? false),
      medium: support(effort?.medium ?? false),
      high: support(effort?.high ?? false),
      xhigh: effort === null || effort.xhigh === null ? null : support(effort.xhigh),
      max: support(effort?.max ?? false),
    },
    image_input: support(true),
    pdf_input: support(SERVED_BY_SIGHTLINE.pdfInput),
    server_tools: {
      supported: SERVED_BY_SIGHTLINE.serverTools,
      code_execution: support(SERVED_BY_SIGHTLINE.serverTools),
      web_search: support(SERVED_BY_SIGHTLINE.serverTools),
    },
    structured_outputs: support(model.behaviour.structuredOutputs),
    thinking: {
      supported: thinking.adaptive || thinking.enabled,
      types: {
        adaptive: support(thinking.adaptive),
        between_tools: support(thinking.betweenTools),
        disabled: support(thinking.disabled),
        enabled: support(thinking.enabled),
      },
    },
  };
}

export const modelInfo = (model: CatalogModel) => ({
  type: 'model' as const,
  id: model.id,
  display_name: model.displayName,
  created_at: model.createdAt,
  lifecycle: model.lifecycle,
  line: model.line,
  deprecated_at: model.deprecatedAt,
  retires_at: model.retiresAt,
  max_input_tokens: model.contextWindow,
  max_tokens: model.maxOutputTokens,
  capabilities: modelCapabilities(model),
  /** Sightline extension: what a client needs to show sizes, tokens and cost before sending. */
  sightline: {
    profile: { max_long_edge: model.profile.maxLongEdge, max_tokens: model.profile.maxTokens },
    max_images: maxImagesFor(model),
    input_price_per_million: model.inputPricePerMillion,
    output_price_per_million: model.outputPricePerMillion,
    /** Non-default temperature/top_p/top_k refused on every API version (Claude 4.7 and later). */
    sampling_deprecated: model.behaviour.samplingDeprecated,
  },
});
