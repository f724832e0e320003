// Prometheus metrics (prom-client), one registry per server: requests, latencies, images, view cache,
// bytes in flight, backend errors, rate-limit refusals, open streams. The list is in docs/operations.md.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSources {
  /** the image pipeline's cache counters */
  cacheStats?: () => { hits: number; misses: number; entries: number; bytes: number };
  /** the Redis view cache shared by replicas */
  sharedViewStats?: () => { hits: number; misses: number; errors: number };
  /** requests waiting for (or in) OCR */
  ocrQueue?: () => number;
  /** usage records not yet written */
  usagePending?: () => number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export function createMetrics(sources: MetricsSources = {}) {
  const registry = new Registry();
  const registers = [registry];
  const metrics = {
    registry,
    requests: new Counter({
      name: 'sightline_requests_total',
      help: 'HTTP requests answered, by route, status and model',
      labelNames: ['route', 'status', 'model'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'sightline_request_duration_seconds',
      help: 'Time from the request to the end of its response',
      labelNames: ['route'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    firstByte: new Histogram({
      name: 'sightline_time_to_first_byte_seconds',
      help: 'Time from the request to its response headers (for streams: when the stream starts)',
      labelNames: ['route'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstream: new Histogram({
      name: 'sightline_upstream_duration_seconds',
      help: 'Time a backend took to answer, from the call to its last event',
      labelNames: ['backend'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    images: new Counter({
      name: 'sightline_images_total',
      help: 'Images in messages and count_tokens requests, by model',
      labelNames: ['model'] as const,
      registers,
    }),
    imageTokens: new Counter({
      name: 'sightline_image_tokens_total',
      help: 'Tokens of the images in requests, by model',
      labelNames: ['model'] as const,
      registers,
    }),
    inputTokens: new Counter({
      name: 'sightline_input_tokens_total',
      help: 'Input tokens of answered messages, by model',
      labelNames: ['model'] as const,
      registers,
    }),
    outputTokens: new Counter({
      name: 'sightline_output_tokens_total',
      help: 'Output tokens of answered messages, by model',
      labelNames: ['model'] as const,
      registers,
    }),
    bytesInFlight: new Gauge({
      name: 'sightline_request_bytes_in_flight',
      help: 'Declared body bytes (content-length) of requests being handled',
      registers,
    }),
    backendErrors: new Counter({
      name: 'sightline_backend_errors_total',
      help: 'Errors from backends (before or during an answer), by backend and error type',
      labelNames: ['backend', 'type'] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: 'sightline_rate_limited_total',
      help: 'Requests refused by a per-key limit, by kind (rate or spend)',
      labelNames: ['kind'] as const,
      registers,
    }),
    openStreams: new Gauge({
      name: 'sightline_open_streams',
      help: 'Streaming responses in progress',
      registers,
    }),
  };
  const { cacheStats, sharedViewStats, ocrQueue, usagePending } = sources;
  if (sharedViewStats) {
    new Counter({
      name: 'sightline_shared_view_cache_total',
      help: 'Lookups in the view cache shared through Redis, by result (hit, miss, error)',
      labelNames: ['result'] as const,
      registers,
      collect() {
        const stats = sharedViewStats();
        this.reset();
        this.inc({ result: 'hit' }, stats.hits);
        this.inc({ result: 'miss' }, stats.misses);
        this.inc({ result: 'error' }, stats.errors);
      },
    });
  }
  if (cacheStats) {
    new Counter({
      name: 'sightline_view_cache_hits_total',
      help: 'Image pipeline cache hits (decoded images and rendered views)',
      registers,
      collect() {
        this.reset();
        this.inc(cacheStats().hits);
      },
    });
    new Counter({
      name: 'sightline_view_cache_misses_total',
      help: 'Image pipeline cache misses',
      registers,
      collect() {
        this.reset();
        this.inc(cacheStats().misses);
      },
    });
    new Gauge({
      name: 'sightline_view_cache_bytes',
      help: 'Bytes held by the image pipeline cache',
      registers,
      collect() {
        this.set(cacheStats().bytes);
      },
    });
  }
  if (ocrQueue) {
    new Gauge({
      name: 'sightline_ocr_queue',
      help: 'Requests waiting for or in OCR (the built-in local engine)',
      registers,
      collect() {
        this.set(ocrQueue());
      },
    });
  }
  if (usagePending) {
    new Gauge({
      name: 'sightline_usage_records_pending',
      help: 'Usage records queued and not yet written to the store',
      registers,
      collect() {
        this.set(usagePending());
      },
    });
  }
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
