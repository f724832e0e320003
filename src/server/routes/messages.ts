// POST /v1/messages and POST /v1/messages/count_tokens: every image check runs before a backend is called.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Router } from '../../backends/registry.js';
import { notFound } from '../../errors/index.js';
import type { ImagePipeline } from '../../imaging/index.js';
import { estimateTextTokens, TOKENS_PER_TURN } from '../../tokens/index.js';
import { collectText, parseMessagesRequest } from '../parse-messages-request.js';
import { formatScalesHeader, prepareImages, type SourceResolvers } from '../prepare-images.js';
import { factsOf, type MessagesMeter } from '../request-facts.js';
import { annotateRequestLog } from '../request-log.js';
import { collectMessage, streamMessage } from '../respond.js';

export interface MessagesRouteDependencies {
  router: Router;
  pipeline: ImagePipeline;
  resolvers: SourceResolvers;
  workspaceOf(request: FastifyRequest): string;
  /** limits: may refuse before work and before the backend (src/ops) */
  meter?: MessagesMeter | undefined;
}

function countTextTokens(body: Parameters<typeof collectText>[0]): number {
  return (
    collectText(body).reduce((sum, text) => sum + estimateTextTokens(text), 0) +
    TOKENS_PER_TURN * body.messages.length
  );
}

export function registerMessagesRoutes(app: FastifyInstance, dependencies: MessagesRouteDependencies): void {
  const { router, pipeline, resolvers } = dependencies;

  async function prepare(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: 'create' | 'count_tokens',
    signal?: AbortSignal,
  ) {
    const facts = factsOf(request);
    facts.kind = kind === 'create' ? 'messages' : 'count_tokens';
    const model = (request.body as { model?: unknown } | null)?.model;
    if (typeof model === 'string') annotateRequestLog(request, { model: model.slice(0, 200) });
    const { body, images } = parseMessagesRequest(request.body, kind);
    facts.model = body.model;
    if (images.length > 0) annotateRequestLog(request, { images: images.length });
    const route = router.route(body.model);
    if (!route) throw notFound(`model: ${body.model}`);
    facts.backend = route.backendName;
    await dependencies.meter?.beforeWork(request, reply);
    const prepared = await prepareImages(images, route.model, {
      pipeline,
      resolvers,
      workspace: dependencies.workspaceOf(request),
      render: kind === 'create',
      // Claude pads and counts on its side: padding sent to it would add tokens and a second resize
      pad: route.backendType !== 'anthropic',
      ...(signal ? { signal } : {}),
    });
    const inputTokens = countTextTokens(body) + prepared.imageTokens;
    facts.inputTokens = inputTokens;
    facts.images = prepared.reports.length;
    facts.imageTokens = prepared.imageTokens;
    annotateRequestLog(request, {
      input_tokens: inputTokens,
      ...(prepared.imageTokens > 0 ? { image_tokens: prepared.imageTokens } : {}),
    });
    return { body, route, prepared, inputTokens };
  }

  /** Aborted when the client goes away before its answer is sent (the response's `close`, not the
   * request's, which fires as soon as the body has been read). */
  const abortWhenClientLeaves = (reply: FastifyReply): AbortController => {
    const abort = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    return abort;
  };

  app.post('/v1/messages/count_tokens', async (request: FastifyRequest, reply: FastifyReply) => {
    const { inputTokens } = await prepare(
      request,
      reply,
      'count_tokens',
      abortWhenClientLeaves(reply).signal,
    );
    const beta = (request.query as Record<string, unknown>).beta === 'true';
    return beta ? { input_tokens: inputTokens, context_management: null } : { input_tokens: inputTokens };
  });

  app.post('/v1/messages', async (request: FastifyRequest, reply: FastifyReply) => {
    const abort = abortWhenClientLeaves(reply);
    const { body, route, prepared, inputTokens } = await prepare(request, reply, 'create', abort.signal);
    const facts = factsOf(request);
    facts.stream = body.stream === true;
    await dependencies.meter?.beforeBackend(request, reply);
    const backendStarted = performance.now();
    facts.calledBackend = true;
    if (prepared.reports.length > 0)
      reply.header('sightline-image-scales', formatScalesHeader(prepared.reports));
    const events = route.backend.generate({
      body,
      upstreamModel: route.upstreamModel,
      images: prepared.byBlock,
      inputTokens,
      signal: abort.signal,
    });
    const context = {
      model: body.model,
      inputTokens,
      trustBackendInputTokens: route.backendType === 'anthropic',
      images: prepared.reports,
      onFinish: (counts: { input: number; output: number }) => {
        annotateRequestLog(request, { input_tokens: counts.input, output_tokens: counts.output });
        facts.inputTokens = counts.input;
        facts.outputTokens = counts.output;
        facts.upstreamMs = performance.now() - backendStarted;
      },
      onStreamError: (type: string) => {
        facts.streamErrorType = type;
      },
    };
    if (body.stream !== true) return collectMessage(events, context);
    const iterator = events[Symbol.asyncIterator]();
    const first = await iterator.next(); // `start`: errors before the upstream accepted are HTTP errors
    const stream = Readable.from(streamMessage(first, iterator, context), { objectMode: false });
    stream.once('close', () => {
      if (!stream.readableEnded) abort.abort();
      void iterator.return?.();
    });
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(stream);
  });
}
