// The one contract test suite every backend must pass (docs/architecture.md, "Backends"): text deltas then exactly
// one end, sane usage, images accepted, stop reasons from the wire set, aborts honoured.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicUpstream, startOpenAiUpstream, type Upstream } from '../../test/support/upstreams.js';
import { ApiError } from '../errors/index.js';
import type { ImageBlockParam, MessagesRequest } from '../wire/index.js';
import { createAnthropicBackend } from './anthropic/index.js';
import { createLocalBackend } from './local/index.js';
import { createOpenAiCompatibleBackend } from './openai-compatible/index.js';
import { normaliseMessagesRequest } from './prompt/index.js';
import type { Backend, BackendEvent, BackendRequest, PreparedImage } from './types.js';

const STOP_REASONS = [
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
];

let openai: Upstream;
let anthropic: Upstream;
const backends: Record<string, () => Backend> = {
  local: () => createLocalBackend({ ocr: false }),
  'openai-compatible': () => createOpenAiCompatibleBackend({ baseUrl: `${openai.url}/v1` }),
  anthropic: () => createAnthropicBackend({ baseUrl: anthropic.url, apiKey: 'k' }),
};

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startOpenAiUpstream(), startAnthropicUpstream()]);
});
afterAll(async () => {
  await Promise.all([openai?.close(), anthropic?.close()]);
});

async function requestWithImage(signal = new AbortController().signal): Promise<BackendRequest> {
  const original = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3366cc' } })
    .jpeg()
    .toBuffer();
  const view = await sharp(original).extend({ right: 8, bottom: 24, background: '#000' }).png().toBuffer();
  const block: ImageBlockParam = {
    type: 'image',
    source: { type: 'base64', media_type: 'image/jpeg', data: original.toString('base64') },
  };
  const body: MessagesRequest = {
    model: 'm',
    max_tokens: 500,
    system: 'Be brief.',
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text: 'Image 1:' }, block, { type: 'text', text: 'What is this?' }],
      },
    ],
  };
  const prepared: PreparedImage = {
    path: 'messages.0.content.1',
    original: { bytes: original, mediaType: 'image/jpeg', width: 300, height: 200 },
    view: {
      data: view,
      mediaType: 'image/png',
      width: 308,
      height: 224,
      contentWidth: 300,
      contentHeight: 200,
    },
    tokens: 80,
  };
  return { ...normaliseMessagesRequest(body, [prepared]), upstreamModel: 'm', inputTokens: 100, signal };
}

async function collect(backend: Backend, request: BackendRequest): Promise<BackendEvent[]> {
  const events: BackendEvent[] = [];
  for await (const event of backend.generate(request)) events.push(event);
  return events;
}

describe.each(Object.keys(backends))('backend contract: %s', (name) => {
  it('yields start first, non-empty text deltas, then exactly one end, last', async () => {
    const backend = backends[name]!();
    try {
      const events = await collect(backend, await requestWithImage());
      expect(events[0]!.type).toBe('start');
      expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
      const ends = events.filter((event) => event.type === 'end');
      expect(ends).toHaveLength(1);
      expect(events.at(-1)!.type).toBe('end');
      const deltas = events.filter((event) => event.type === 'text_delta');
      expect(deltas.length).toBeGreaterThan(0);
      for (const delta of deltas) expect(delta.text.length).toBeGreaterThan(0);
      const end = ends[0] as Extract<BackendEvent, { type: 'end' }>;
      expect(STOP_REASONS).toContain(end.stopReason);
      if (end.usage.outputTokens !== undefined) expect(end.usage.outputTokens).toBeGreaterThanOrEqual(0);
    } finally {
      await backend.close?.();
    }
  });

  it('an aborted request ends with an error, never a hang', async () => {
    const backend = backends[name]!();
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(collect(backend, await requestWithImage(controller.signal))).rejects.toBeTruthy();
    } finally {
      await backend.close?.();
    }
  });

  it('does not change the request', async () => {
    const backend = backends[name]!();
    try {
      const request = await requestWithImage();
      const snapshot = JSON.stringify([request.prompt, request.settings]);
      await collect(backend, request);
      expect(JSON.stringify([request.prompt, request.settings])).toBe(snapshot);
    } finally {
      await backend.close?.();
    }
  });
});

describe.each(['openai-compatible', 'anthropic'])('remote backend contract: %s', (name) => {
  it('an unreachable upstream is a 500 ApiError naming the backend', async () => {
    const backend =
      name === 'anthropic'
        ? createAnthropicBackend({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' })
        : createOpenAiCompatibleBackend({ baseUrl: 'http://127.0.0.1:9/v1' });
    const error = await collect(backend, await requestWithImage()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
    expect((error as ApiError).message).toContain(name);
    await backend.close?.();
  });
});
