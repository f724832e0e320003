// POST /v1/messages and POST /v1/messages/count_tokens: every image check runs before a backend is called.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normaliseMessagesRequest } from '../../backends/prompt/index.js';
import type { Router } from '../../backends/registry.js';
import { COMPUTER_USE_HEADER, formatComputerUseHeader } from '../../computer-use/index.js';
import type { ComputerUseMode } from '../../config/index.js';
import { notFound, RequestCancelledError } from '../../errors/index.js';
import {
  DEFAULT_VISION_RULES,
  type ImagePipeline,
  maxImageBytesFor,
  type VisionRules,
} from '../../imaging/index.js';
import { headerValue } from '../../net/index.js';
import { formatRepairsHeader, REPAIRS_HEADER } from '../../repair/index.js';
import { estimateTextTokens, TOKENS_PER_TURN } from '../../tokens/index.js';
import { computerUseOf, mapToClient } from '../apply-computer-use.js';
import { applyRepairs, checkDeclaredSize, type RepairHookDependencies } from '../apply-repairs.js';
import { chargeImageWork, type ImageBudget } from '../image-budget.js';
import { limitBackendOutput } from '../limit-backend-output.js';
import { collectText, type ImageBlockRef, parseMessagesRequest } from '../parse-messages-request.js';
import { formatScalesHeader, prepareImages, type SourceResolvers } from '../prepare-images.js';
import { factsOf, type MessagesMeter } from '../request-facts.js';
import { logClientLeft } from '../request-log.js';
import { collectMessage, streamMessage } from '../respond.js';
import {
  deprecationWarning,
  refuseRetiredModel,
  validateForModel,
  validateMessagesContent,
} from '../validate-messages.js';

export interface MessagesRouteDependencies extends RepairHookDependencies {
  router: Router;
  pipeline: ImagePipeline;
  resolvers: SourceResolvers;
  workspaceOf(request: FastifyRequest): string;
  /** the revision of the image rules (default 2026-09): sizes, tokens and limits of every image */
  visionRules?: VisionRules | undefined;
  /** computer-use coordinate scaling for every request (else per key or `sightline-computer-use`) */
  computerUse: ComputerUseMode;
  /** limits: may refuse before work and before the backend (src/ops) */
  meter?: MessagesMeter | undefined;
  /** the server-wide budget of image memory (529 past it) */
  imageBudget?: ImageBudget;
}

function countTextTokens(body: Parameters<typeof collectText>[0]): number {
  return (
    collectText(body).reduce((sum, text) => sum + estimateTextTokens(text), 0) +
    TOKENS_PER_TURN * body.messages.length
  );
}

export function registerMessagesRoutes(app: FastifyInstance, dependencies: MessagesRouteDependencies): void {
  const { router, pipeline, resolvers } = dependencies;
  const rules = dependencies.visionRules ?? DEFAULT_VISION_RULES;

  /**
   * This request's share of the image budget, held until its response is done: the base64 it decodes
   * now, and whatever its downloads, file reads and renders take (charged as they happen).
   */
  async function chargeRequestImages(
    images: readonly ImageBlockRef[],
    reply: FastifyReply,
    signal: AbortSignal | undefined,
    maxSourceBytes: number,
  ): Promise<{ resolvers: SourceResolvers; pipeline: ImagePipeline }> {
    const budget = dependencies.imageBudget;
    if (budget === undefined || images.length === 0) return { resolvers, pipeline };
    const lease = budget.lease(signal);
    reply.raw.once('close', () => lease.release());
    const base64Bytes = images.reduce(
      (sum, { block }) => sum + (block.source.type === 'base64' ? (block.source.data.length * 3) / 4 : 0),
      0,
    );
    if (base64Bytes > 0) await lease.reserve(base64Bytes);
    return chargeImageWork(lease, resolvers, pipeline, maxSourceBytes);
  }

  async function prepare(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: 'create' | 'count_tokens',
    signal?: AbortSignal,
  ) {
    const facts = factsOf(request);
    facts.kind = kind === 'create' ? 'messages' : 'count_tokens';
    const parsed = parseMessagesRequest(request.body, kind);
    facts.model = parsed.body.model;
    const route = router.route(parsed.body.model);
    if (!route) throw notFound(`model: ${parsed.body.model}`);
    refuseRetiredModel(route.model, parsed.body.model);
    facts.backend = route.backendName;
    facts.rules = rules;
    await dependencies.meter?.beforeWork(request, reply);
    // repair mode (opt-in) rewrites the request before any image check: what follows sees the repaired one
    const {
      body: repaired,
      images,
      repairs,
    } = await applyRepairs(request, parsed, kind, route.model, {
      ...dependencies,
      pipeline,
      rules,
      platform: route.platform,
    });
    // the API's own rules, on the request as it will be answered (after any repair)
    validateMessagesContent(repaired);
    if (kind === 'create')
      validateForModel(repaired, route.model, headerValue(request.headers['anthropic-version']));
    const charged = await chargeRequestImages(images, reply, signal, maxImageBytesFor(rules, route.platform));
    const prepared = await prepareImages(images, route.model, {
      ...charged,
      workspace: dependencies.workspaceOf(request),
      // count_tokens renders too (into the shared cache): an image only a full decode finds broken, such as
      // a truncated file with a valid header, is refused by both routes alike — one decision.
      // Each upstream's padding (Claude pads and counts on its side), format and per-image byte limit
      // (docs/views.md).
      view: route.view,
      rules,
      platform: route.platform,
      oversizedSources: kind === 'create' ? 'all' : 'base64',
      ...(signal ? { signal } : {}),
    });
    // computer use (opt-in): the model is told its view's size and sees earlier actions in view pixels
    const scaling = computerUseOf(request, repaired, route.model, prepared.reports, {
      ...dependencies,
      rules,
    });
    const body = scaling?.body ?? repaired;
    const inputTokens = countTextTokens(body) + prepared.imageTokens;
    facts.inputTokens = inputTokens;
    facts.images = prepared.reports.length;
    facts.imageTokens = prepared.imageTokens;
    return { body, route, prepared, inputTokens, repairs, scaling };
  }

  // bodies over 32 MiB are read only for requests with history repair on
  const routeOptions = {
    bodyLimit: Math.max(dependencies.maxRequestBytes, dependencies.repair.maxRequestBytes),
    onRequest: async (request: FastifyRequest) => checkDeclaredSize(request, dependencies),
  };

  /** Aborted when the client goes away before its answer is sent (the response's `close`, not the
   * request's, which fires as soon as the body has been read). */
  const abortWhenClientLeaves = (request: FastifyRequest, reply: FastifyReply): AbortController => {
    const abort = new AbortController();
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished) return;
      abort.abort();
      logClientLeft(request, reply);
    });
    return abort;
  };

  /**
   * A client that left is not a server failure: whatever its abandoned work threw (an AbortError) is
   * not logged as one; its one log line (logClientLeft) says 499, and nothing is sent (nobody is there).
   */
  const whenClientLeft = (signal: AbortSignal, error: unknown): unknown =>
    signal.aborted && !(error instanceof RequestCancelledError) ? new RequestCancelledError(error) : error;

  app.post('/v1/messages/count_tokens', routeOptions, async (request, reply) => {
    const { signal } = abortWhenClientLeaves(request, reply);
    const { inputTokens, repairs } = await prepare(request, reply, 'count_tokens', signal).catch(
      (error: unknown) => {
        throw whenClientLeft(signal, error);
      },
    );
    if (repairs.length > 0) reply.header(REPAIRS_HEADER, formatRepairsHeader(repairs));
    const beta = (request.query as Record<string, unknown>).beta === 'true';
    // Sightline extension: the revision of the image rules that counted the images
    const sightline = { rules };
    return beta
      ? { input_tokens: inputTokens, context_management: null, sightline }
      : { input_tokens: inputTokens, sightline };
  });

  app.post('/v1/messages', routeOptions, async (request, reply) => {
    const abort = abortWhenClientLeaves(request, reply);
    try {
      return await createMessage(request, reply, abort);
    } catch (error) {
      throw whenClientLeft(abort.signal, error);
    }
  });

  async function createMessage(request: FastifyRequest, reply: FastifyReply, abort: AbortController) {
    const { body, route, prepared, inputTokens, repairs, scaling } = await prepare(
      request,
      reply,
      'create',
      abort.signal,
    );
    if (repairs.length > 0) reply.header(REPAIRS_HEADER, formatRepairsHeader(repairs));
    if (scaling) reply.header(COMPUTER_USE_HEADER, formatComputerUseHeader(scaling));
    const facts = factsOf(request);
    facts.stream = body.stream === true;
    await dependencies.meter?.beforeBackend(request, reply);
    const backendStarted = performance.now();
    facts.calledBackend = true;
    const warning = deprecationWarning(route.model);
    if (warning !== undefined) reply.header('warning', warning);
    if (prepared.reports.length > 0)
      reply.header('sightline-image-scales', formatScalesHeader(prepared.reports));
    const limited = limitBackendOutput(
      route.backend.generate({
        // the one normalised prompt of this request: backends translate it, never the wire body
        ...normaliseMessagesRequest(body, prepared.images),
        upstreamModel: route.upstreamModel,
        inputTokens,
        signal: abort.signal,
      }),
      body.max_tokens,
    );
    // computer use: the model's actions go back to the client in real-screen pixels
    const events = scaling ? mapToClient(limited, scaling) : limited;
    const context = {
      model: body.model,
      inputTokens,
      trustBackendInputTokens: route.backendType === 'anthropic',
      images: prepared.reports,
      rules,
      repairs,
      onFinish: (counts: { input: number; output: number }) => {
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
      void iterator.return?.(undefined);
    });
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(stream);
  }
}
