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
  /** A counter by model (every per-model counter has the same one label). */
  const modelCounter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['model'] as const, registers });
  /** A counter whose value is read from a source's running total when scraped. */
  const totalCounter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  /** A gauge whose value is read from a source when scraped. */
  const readGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
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
    images: modelCounter('sightline_images_total', 'Images in messages and count_tokens requests, by model'),
    imageTokens: modelCounter('sightline_image_tokens_total', 'Tokens of the images in requests, by model'),
    inputTokens: modelCounter('sightline_input_tokens_total', 'Input tokens of answered messages, by model'),
    outputTokens: modelCounter(
      'sightline_output_tokens_total',
      'Output tokens of answered messages, by model',
    ),
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
    totalCounter(
      'sightline_view_cache_hits_total',
      'Image pipeline cache hits (decoded images and rendered views)',
      () => cacheStats().hits,
    );
    totalCounter(
      'sightline_view_cache_misses_total',
      'Image pipeline cache misses',
      () => cacheStats().misses,
    );
    readGauge(
      'sightline_view_cache_bytes',
      'Bytes held by the image pipeline cache',
      () => cacheStats().bytes,
    );
  }
  if (ocrQueue) {
    readGauge('sightline_ocr_queue', 'Requests waiting for or in OCR (the built-in local engine)', ocrQueue);
  }
  if (usagePending) {
    readGauge(
      'sightline_usage_records_pending',
      'Usage records queued and not yet written to the store',
      usagePending,
    );
  }
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
