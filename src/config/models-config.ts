// The `models:` section: routes from model ids (or `*` patterns over catalog ids) to backends, and the
// catalog facts an operator adds or overrides (docs in README, "The model catalog"). Out in camelCase.
import type { z } from 'zod';
import { MODEL_LIFECYCLES, MODEL_LINES } from '../catalog/index.js';
import { amount, camelize, date, list, oneOf, positiveInteger, section, text } from './schema-fields.js';

const profileSchema = section({
  max_long_edge: positiveInteger(),
  max_tokens: positiveInteger(),
}).transform(camelize);

export const modelSchema = section({
  /** a model id, or a pattern with `*` that routes catalog models */
  id: text('a model id'),
  backend: text('a backend name'),
  upstream_model: text().exactOptional(),
  display_name: text().exactOptional(),
  profile: profileSchema.exactOptional(),
  context_window: positiveInteger().exactOptional(),
  max_output_tokens: positiveInteger().exactOptional(),
  input_price: amount('a price in USD per million tokens').exactOptional(),
  output_price: amount('a price in USD per million tokens').exactOptional(),
  /** a catalog model whose facts (tier, limits, prices, behaviour) a new model starts from */
  like: text('a model id').exactOptional(),
  aliases: list(text('a model id'), 'a list of model ids').exactOptional(),
  created_at: date().exactOptional(),
  line: oneOf(MODEL_LINES).exactOptional(),
  lifecycle: oneOf(MODEL_LIFECYCLES).exactOptional(),
  deprecated_at: date().exactOptional(),
  retires_at: date().exactOptional(),
  replacement: text('a model id').exactOptional(),
})
  .refine((model) => !(model.id.includes('*') && model.profile), {
    error: 'a pattern id cannot have a profile',
  })
  .transform(camelize);

/** One configured model route: `{ id, backend, upstreamModel?, profile?: { maxLongEdge, maxTokens }, … }`. */
export type ModelRouteConfig = z.output<typeof modelSchema>;
export type ProfileConfig = z.output<typeof profileSchema>;

export const modelsSchema = list(modelSchema, 'a list');
