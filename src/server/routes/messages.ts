// POST /v1/messages and POST /v1/messages/count_tokens: every image check runs before a backend is called.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Router } from '../../backends/registry.js';
import { notFound } from '../../errors/index.js';
import type { ImagePipeline } from '../../imaging/index.js';
import { estimateTextTokens, TOKENS_PER_TURN } from '../../tokens/index.js';
import { collectText, parseMessagesRequest } from '../parse-messages-request.js';
import { formatScalesHeader, prepareImages, type SourceResolvers } from '../prepare-images.js';
import { collectMessage, streamMessage } from '../respond.js';
import {
  deprecationWarning,
  refuseRetiredModel,
  validateForModel,
  validateMessagesContent,
} from '../validate-messages.js';

export interface MessagesRouteDependencies {
  router: Router;
  pipeline: ImagePipeline;
  resolvers: SourceResolvers;
  workspaceOf(request: FastifyRequest): string;
}

const headerValue = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function countTextTokens(body: Parameters<typeof collectText>[0]): number {
  return (
    collectText(body).reduce((sum, text) => sum + estimateTextTokens(text), 0) +
    TOKENS_PER_TURN * body.messages.length
  );
}

export function registerMessagesRoutes(app: FastifyInstance, dependencies: MessagesRouteDependencies): void {
  const { router, pipeline, resolvers } = dependencies;

  async function prepare(request: FastifyRequest, kind: 'create' | 'count_tokens', signal?: AbortSignal) {
    const { body, images } = parseMessagesRequest(request.body, kind);
    validateMessagesContent(body);
    const route = router.route(body.model);
    if (!route) throw notFound(`model: ${body.model}`);
    refuseRetiredModel(route.model, body.model);
    if (kind === 'create') validateForModel(body, route.model, headerValue(request, 'anthropic-version'));
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
    const { inputTokens } = await prepare(request, 'count_tokens', abortWhenClientLeaves(reply).signal);
    const beta = (request.query as Record<string, unknown>).beta === 'true';
    return beta ? { input_tokens: inputTokens, context_management: null } : { input_tokens: inputTokens };
  });

  app.post('/v1/messages', async (request: FastifyRequest, reply: FastifyReply) => {
    const abort = abortWhenClientLeaves(reply);
    const { body, route, prepared, inputTokens } = await prepare(request, 'create', abort.signal);
    const warning = deprecationWarning(route.model);
    if (warning !== undefined) reply.header('warning', warning);
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
    };
    if (body.stream !== true) return collectMessage(events, context);
    const iterator = events[Symbol.asyncIterator]();
    const first = await iterator.next(); // errors before any output are ordinary HTTP errors
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
