// GET /v1/models (Page pagination: limit, before_id, after_id; `lifecycle[]` filter, active and
// deprecated by default) and GET /v1/models/{id} (id or alias; retired models too, as the record).
import type { FastifyInstance } from 'fastify';
import type { Router } from '../../backends/registry.js';
import { MODEL_LIFECYCLES, type ModelLifecycle, modelInfo } from '../../catalog/index.js';
import { invalidRequest, notFound } from '../../errors/index.js';

/** `lifecycle[]=active&lifecycle[]=retired` (the SDK's brackets) or `lifecycle=…`; up to 3 values. */
export function parseLifecycleFilter(query: Record<string, unknown>): ReadonlySet<ModelLifecycle> {
  const raw = query['lifecycle[]'] ?? query.lifecycle;
  if (raw === undefined) return new Set(['active', 'deprecated']);
  const values = [raw].flat();
  if (values.length > 3) throw invalidRequest('lifecycle: List should have at most 3 items');
  values.forEach((value, index) => {
    if (!MODEL_LIFECYCLES.includes(value as ModelLifecycle))
      throw invalidRequest(`lifecycle.${index}: Input should be 'active', 'deprecated' or 'retired'`);
  });
  return new Set(values as ModelLifecycle[]);
}

/** Page pagination over an ordered list (docs/rules/wire.md §9.2, §10). */
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
    const query = request.query as Record<string, unknown>;
    const wanted = parseLifecycleFilter(query);
    const models = router.catalog.models.filter((model) => wanted.has(model.lifecycle));
    const page = paginate(models, query);
    return { ...page, data: page.data.map(modelInfo) };
  });
  app.get('/v1/models/:modelId', async (request) => {
    const { modelId } = request.params as { modelId: string };
    const model = router.catalog.find(modelId);
    if (!model) throw notFound(`model: ${modelId}`);
    return modelInfo(model);
  });
}
