// GET /v1/models (Page pagination: limit, before_id, after_id) and GET /v1/models/{id} (id or alias).
import type { FastifyInstance } from 'fastify';
import type { Router } from '../../backends/registry.js';
import { type CatalogModel, maxImagesFor } from '../../catalog/index.js';
import { invalidRequest, notFound } from '../../errors/index.js';

export const modelInfo = (model: CatalogModel) => ({
  type: 'model' as const,
  id: model.id,
  display_name: model.displayName,
  created_at: model.createdAt,
  max_input_tokens: model.contextWindow,
  max_tokens: model.maxOutputTokens,
  capabilities: { image_input: { supported: true }, pdf_input: { supported: false } },
  /** Sightline extension: what a client needs to show sizes, tokens and cost before sending. */
  sightline: {
    profile: { max_long_edge: model.profile.maxLongEdge, max_tokens: model.profile.maxTokens },
    max_images: maxImagesFor(model),
    input_price_per_million: model.inputPricePerMillion,
    output_price_per_million: model.outputPricePerMillion,
  },
});

/** Page pagination over an ordered list (wire.md §6.4, §7). */
export function paginate<T extends { id: string }>(items: readonly T[], query: Record<string, unknown>) {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw invalidRequest('limit: Input should be between 1 and 1000');
  let start = 0;
  let end = items.length;
  if (typeof query.after_id === 'string') {
    const index = items.findIndex((item) => item.id === query.after_id);
    if (index < 0) throw invalidRequest(`after_id: unknown id ${query.after_id}`);
    start = index + 1;
  }
  if (typeof query.before_id === 'string') {
    const index = items.findIndex((item) => item.id === query.before_id);
    if (index < 0) throw invalidRequest(`before_id: unknown id ${query.before_id}`);
    end = index;
    start = Math.max(start, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  const hasMore = typeof query.before_id === 'string' ? start > 0 : start + data.length < end;
  return { data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}

export function registerModelsRoutes(app: FastifyInstance, router: Router): void {
  app.get('/v1/models', async (request) => {
    const page = paginate(router.catalog.models, request.query as Record<string, unknown>);
    return { ...page, data: page.data.map(modelInfo) };
  });
  app.get('/v1/models/:modelId', async (request) => {
    const { modelId } = request.params as { modelId: string };
    const model = router.catalog.find(modelId);
    if (!model) throw notFound(`model: ${modelId}`);
    return modelInfo(model);
  });
}
