// The `backends:` section: one mapping per backend, its `type` choosing which keys it takes. Each comes
// out camelCase, as the backend's own settings (backends/*/index.ts) name them; the registry adds only the
// name and the API key read from `api_key_env`.
import { z } from 'zod';
import {
  camelize,
  choices,
  flag,
  httpUrl,
  integerBetween,
  mapping,
  oneOf,
  positiveInteger,
  section,
  text,
  wholeNumber,
} from './schema-fields.js';

export const BACKEND_TYPES = ['anthropic', 'openai-compatible', 'local'] as const;
export const VIEW_FORMAT_CHOICES = ['auto', 'png', 'jpeg', 'webp'] as const;
export const PLATFORMS = ['anthropic', 'bedrock', 'vertex'] as const;

/** Keys every remote backend takes. */
const remote = {
  base_url: httpUrl(),
  api_key: text().exactOptional(),
  /** the environment variable holding the key (read when the server starts) */
  api_key_env: text().exactOptional(),
  /** connecting, the first byte, and each silence mid-stream */
  timeout_ms: positiveInteger().exactOptional(),
  max_response_bytes: positiveInteger().exactOptional(),
  /** extra headers on every upstream request (gateway auth, `anthropic-beta`); they win over the defaults */
  headers: mapping(
    z.string({ error: 'expected a header value (a string)' }),
    'a mapping of header names to values',
  ).exactOptional(),
  /** encoding of the views sent (default: render.format, itself `auto` = the source's family) */
  view_format: oneOf(VIEW_FORMAT_CHOICES).exactOptional(),
  /** per-image limit of the views sent, in base64 characters (default: the platform's, or 20 MiB) */
  max_image_bytes: positiveInteger().exactOptional(),
};

const anthropicBackend = section({
  type: z.literal('anthropic'),
  ...remote,
  pre_resize: flag().exactOptional(),
  inline_sources: flag().exactOptional(),
  /** the `anthropic-version` header sent upstream (default 2023-06-01) */
  anthropic_version: text().exactOptional(),
  /** where the upstream serves Claude: Bedrock and Vertex AI take 5 MB per image (default anthropic) */
  platform: oneOf(PLATFORMS).exactOptional(),
});

const openAiCompatibleBackend = section({ type: z.literal('openai-compatible'), ...remote });

/** The built-in engine's settings (backends/local/index.ts: LocalBackendSettings). */
const localBackend = section({
  type: z.literal('local'),
  /** requests that may wait for OCR behind the one being read; past it, 529 overloaded_error */
  queue_size: wholeNumber(0).exactOptional(),
  ocr: flag().exactOptional(),
  /** folder holding eng.traineddata(.gz); default: the @tesseract.js-data/eng package */
  ocr_language_path: text('a path').exactOptional(),
  minimum_ocr_confidence: integerBetween(0, 100).exactOptional(),
  /** images whose measures and text are kept in memory; 0 disables */
  measures_cache_size: wholeNumber(0).exactOptional(),
});

export const backendSchema = z
  .discriminatedUnion('type', [anthropicBackend, openAiCompatibleBackend, localBackend], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected ${choices(BACKEND_TYPES)}`
        : issue.code === 'invalid_type'
          ? 'expected a mapping with a type'
          : undefined,
  })
  .transform(camelize);

/** One backend's resolved settings: `{ type: 'anthropic', baseUrl, apiKeyEnv?, headers?, … }`. */
export type BackendConfig = z.output<typeof backendSchema>;

export const backendsSchema = mapping(backendSchema);
