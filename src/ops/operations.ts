// The operations side of a server, registered on the app from this one file: usage recording (batched,
// off the request path), per-key limits, Prometheus metrics, and the Admin API's usage and cost reports.
// Each request's facts (src/server/request-facts.ts) are read once its response has ended.
import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationsConfig } from '../config/operations-config.js';
import { ApiError } from '../errors/index.js';
import { createLimits, type Limits } from '../limits/limits.js';
import { createRedisBucketStore } from '../limits/redis-bucket-store.js';
import { createMemoryBucketStore } from '../limits/token-bucket.js';
import { createMetrics, type Metrics, type MetricsSources } from '../metrics/metrics.js';
import type { Headers } from '../server/auth.js';
import { factsOf, type MessagesMeter } from '../server/request-facts.js';
import { createUsageRecorder, type UsageRecorder } from '../usage/recorder.js';
import { costReport, formatTime, usageReport } from '../usage/reports.js';
import type { UsageRecord, UsageStore } from '../usage/types.js';
import { createAdminAuthenticator } from './keys.js';

export interface ModelPrice {
  displayName: string;
  /** USD per million tokens */
  inputPricePerMillion: number;
  outputPricePerMillion: number;
}

export interface OperationsOptions {
  config: OperationsConfig;
  store: UsageStore;
  /** whether the headers carry a valid API key (an API key on an admin route gets 403) */
  isApiKey(headers: Headers): boolean;
  priceOf(model: string): ModelPrice | undefined;
  metricsSources?: Omit<MetricsSources, 'usagePending'>;
  /** host the separate metrics port binds to */
  metricsHost?: string;
  usageFlushMs?: number;
  now?: () => number;
}

export interface Operations {
  register(app: FastifyInstance): void;
  meter: MessagesMeter;
  recorder: UsageRecorder;
  metrics: Metrics;
  /** URL of the separate metrics listener, when `metrics.port` is set */
  metricsUrl: string | undefined;
  /** Writes every queued usage record, then releases Redis and the metrics port. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** The route label of a request: its route pattern, or `unknown` for paths no route matched. */
const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? 'unknown';

const TYPES_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export async function createOperations(options: OperationsOptions): Promise<Operations> {
  const { config, store } = options;
  const now = options.now ?? Date.now;
  const recorder = createUsageRecorder(store, { intervalMs: options.usageFlushMs ?? 1000 });
  const metrics = createMetrics({ ...options.metricsSources, usagePending: () => recorder.pending });
  const adminAuth = createAdminAuthenticator(config.adminKeys, options.isApiKey);

  const limited = Object.keys(config.limits.default).length > 0 || Object.keys(config.limits.keys).length > 0;
  const spendCache = new Map<string, { atMs: number; usd: number }>();
  const limits: Limits | undefined = limited
    ? createLimits({
        default: config.limits.default,
        keys: config.limits.keys,
        buckets: config.redisUrl ? createRedisBucketStore(config.redisUrl) : createMemoryBucketStore(),
        now,
        // recorded spend, read at most once a second per key (the store is shared by every replica)
        async spentSince(keyId, sinceMs) {
          const cached = spendCache.get(keyId);
          if (cached && now() - cached.atMs < 1000) return cached.usd;
          await recorder.flush();
          const rows = await store.queryUsage({
            startMs: sinceMs,
            endMs: now() + 1,
            widthMs: now() + 1 - sinceMs,
            apiKeyIds: [keyId],
          });
          const usd = rows.reduce((sum, row) => sum + row.inputCostUsd + row.outputCostUsd, 0);
          spendCache.set(keyId, { atMs: now(), usd });
          return usd;
        },
      })
    : undefined;

  const meter: MessagesMeter = {
    async beforeWork(request, reply) {
      const keyId = request.caller?.keyId;
      if (!limits || keyId === undefined) return;
      reply.headers(await limits.beforeWork(keyId));
    },
    async beforeBackend(request, reply) {
      const facts = factsOf(request);
      const keyId = request.caller?.keyId;
      if (!limits || keyId === undefined) return;
      reply.headers(
        await limits.beforeBackend(keyId, {
          inputTokens: facts.inputTokens ?? 0,
          images: facts.images ?? 0,
        }),
      );
    },
  };

  function usageRecord(
    request: FastifyRequest,
    reply: FastifyReply,
    latencyMs: number,
  ): UsageRecord | undefined {
    const facts = factsOf(request);
    const { caller } = request;
    if (facts.kind === undefined || caller === undefined) return;
    const price = facts.model ? options.priceOf(facts.model) : undefined;
    // billed: a messages answer that completed (its output counted)
    const billed = facts.kind === 'messages' && facts.outputTokens !== undefined && reply.statusCode < 400;
    const inputTokens = facts.inputTokens ?? 0;
    const outputTokens = facts.outputTokens ?? 0;
    return {
      timeMs: Math.round(now() - latencyMs),
      requestId: request.id,
      kind: facts.kind,
      workspace: caller.workspace,
      apiKeyId: caller.keyId,
      model: facts.model ?? '',
      backend: facts.backend ?? '',
      rules: facts.rules ?? null,
      status: reply.statusCode,
      errorType: facts.errorType ?? facts.streamErrorType ?? null,
      inputTokens,
      outputTokens,
      images: facts.images ?? 0,
      imageTokens: facts.imageTokens ?? 0,
      latencyMs,
      inputCostUsd: billed && price ? (inputTokens * price.inputPricePerMillion) / 1e6 : 0,
      outputCostUsd: billed && price ? (outputTokens * price.outputPricePerMillion) / 1e6 : 0,
    };
  }

  function register(app: FastifyInstance): void {
    app.addHook('onRequest', async (request, reply) => {
      const bytes = Number(request.headers['content-length'] ?? 0);
      if (bytes > 0) {
        metrics.bytesInFlight.inc(bytes);
        reply.raw.once('close', () => metrics.bytesInFlight.dec(bytes));
      }
    });
    app.addHook('onError', async (request, _reply, error) => {
      // before the error handler (app.ts), which records the type of the error sent in the facts
      const facts = factsOf(request);
      const type = error instanceof ApiError ? error.type : undefined;
      if (error instanceof ApiError && error.status === 429 && error.type === 'rate_limit_error') {
        metrics.rateLimited.inc({
          kind: error.details?.error_code === 'enforced_spend_limit_reached' ? 'spend' : 'rate',
        });
      }
      if (facts.calledBackend && facts.backend) {
        metrics.backendErrors.inc({ backend: facts.backend, type: type ?? 'api_error' });
      }
    });
    app.addHook('onSend', async (request, reply, payload) => {
      metrics.firstByte.observe({ route: routeOf(request) }, reply.elapsedTime / 1000);
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream')) {
        metrics.openStreams.inc();
        reply.raw.once('close', () => metrics.openStreams.dec());
      }
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      const facts = factsOf(request);
      const latencyMs = reply.elapsedTime;
      const route = routeOf(request);
      if (reply.statusCode >= 400 && facts.errorType === undefined)
        facts.errorType = TYPES_BY_STATUS[reply.statusCode] ?? 'api_error';
      metrics.requests.inc({ route, status: String(reply.statusCode), model: facts.model ?? '' });
      metrics.duration.observe({ route }, latencyMs / 1000);
      if (facts.model !== undefined) {
        if (facts.images) metrics.images.inc({ model: facts.model }, facts.images);
        if (facts.imageTokens) metrics.imageTokens.inc({ model: facts.model }, facts.imageTokens);
        if (facts.outputTokens !== undefined) {
          metrics.inputTokens.inc({ model: facts.model }, facts.inputTokens ?? 0);
          metrics.outputTokens.inc({ model: facts.model }, facts.outputTokens);
        }
      }
      if (facts.upstreamMs !== undefined && facts.backend)
        metrics.upstream.observe({ backend: facts.backend }, facts.upstreamMs / 1000);
      if (facts.streamErrorType && facts.backend)
        metrics.backendErrors.inc({ backend: facts.backend, type: facts.streamErrorType });
      const record = usageRecord(request, reply, latencyMs);
      if (record) recorder.record(record);
      const keyId = request.caller?.keyId;
      if (limits && keyId && facts.outputTokens) {
        await limits.afterAnswer(keyId, facts.outputTokens).catch((error: unknown) => {
          request.log.error({ err: error }, 'charging output tokens failed');
        });
      }
    });

    // Admin API: admin keys only (an API key gets 403)
    const admin = { config: { admin: true } };
    const adminOnly = async (request: FastifyRequest) => {
      adminAuth(request.headers);
    };
    app.get('/v1/organizations/usage_report/messages', { ...admin, onRequest: adminOnly }, async (request) =>
      usageReport(store, await flushed(request.query), now()),
    );
    app.get('/v1/organizations/cost_report', { ...admin, onRequest: adminOnly }, async (request) =>
      costReport(
        store,
        await flushed(request.query),
        (model) => options.priceOf(model)?.displayName ?? model,
        now(),
      ),
    );
    // The caller's workspace today (UTC): for the Workbench's "spend today"
    app.get('/v1/sightline/spend', async (request) => {
      const workspace = request.caller?.workspace ?? '';
      await recorder.flush();
      const start = Math.floor(now() / DAY_MS) * DAY_MS;
      const rows = await store.queryUsage({
        startMs: start,
        endMs: start + DAY_MS,
        widthMs: DAY_MS,
        workspaces: [workspace],
      });
      const sum = (pick: (row: (typeof rows)[number]) => number) =>
        rows.reduce((total, row) => total + pick(row), 0);
      return {
        type: 'sightline_spend',
        workspace_id: workspace,
        starting_at: formatTime(start),
        ending_at: formatTime(start + DAY_MS),
        amount_usd: Number(sum((row) => row.inputCostUsd + row.outputCostUsd).toFixed(6)),
        requests: sum((row) => row.requests),
        input_tokens: sum((row) => row.inputTokens),
        output_tokens: sum((row) => row.outputTokens),
        images: sum((row) => row.images),
        image_tokens: sum((row) => row.imageTokens),
      };
    });
    if (config.metrics.enabled && config.metrics.port === null) {
      app.get('/metrics', { ...admin, onRequest: adminOnly }, async (_request, reply) =>
        reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
      );
    }
  }

  /** A report includes this replica's queued records: they are written first. */
  async function flushed<T>(query: T): Promise<Record<string, string | string[] | undefined>> {
    await recorder.flush();
    return query as Record<string, string | string[] | undefined>;
  }

  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.metrics.enabled && config.metrics.port !== null) {
    const server = createServer((request, response) => {
      if (request.method === 'GET' && request.url?.split('?')[0] === '/metrics') {
        metrics.registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          () => response.writeHead(500).end(),
        );
      } else response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
    });
    const host = options.metricsHost ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.metrics.port as number, host, () => resolve());
    });
    metricsServer = server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.metrics.port;
    metricsUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
  }

  return {
    register,
    meter,
    recorder,
    metrics,
    metricsUrl,
    async close() {
      await recorder.close();
      await limits?.close();
      if (metricsServer) {
        const server = metricsServer;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
