// Sightline routing to real upstream protocols on loopback: what each upstream receives (model views of
// exactly the padded size, inlined sources) and what the official SDK gets back.
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planImage } from '../../src/index.js';
import { fixture, halves, noisyJpeg } from '../support/images.js';
import { askAboutImage, base64Image } from '../support/messages.js';
import {
  type LoopbackServer,
  startAnthropicUpstream,
  startContentServer,
  startOpenAiUpstream,
  type Upstream,
} from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

let openai: Upstream;
let claude: Upstream;
let claudeInline: Upstream;
let sightline: TestSightline;
let client: Anthropic;
let imageHost: LoopbackServer;
let wide: Buffer;
let photo: Buffer;

const qwenProfile = { maxLongEdge: 1024, maxTokens: 1000 };

beforeAll(async () => {
  [openai, claude, claudeInline] = await Promise.all([
    startOpenAiUpstream(),
    startAnthropicUpstream(),
    startAnthropicUpstream(),
  ]);
  wide = await halves(1920, 1080, [250, 0, 0], [0, 0, 250]);
  photo = await noisyJpeg(4000, 3000);
  imageHost = await startContentServer({
    '/cat.jpg': { body: fixture('libvips/sample.jpg'), type: 'image/jpeg' },
  });
  process.env.TEST_UPSTREAM_KEY = 'upstream-secret';
  sightline = await startSightline(`
allow_private_urls: true
backends:
  ollama: { type: openai-compatible, base_url: "${openai.url}/v1", api_key_env: TEST_UPSTREAM_KEY }
  claude: { type: anthropic, base_url: "${claude.url}", api_key_env: TEST_UPSTREAM_KEY, inline_sources: false }
  bedrock: { type: anthropic, base_url: "${claudeInline.url}", api_key: bedrock-key, pre_resize: false, inline_sources: true }
models:
  - { id: qwen-vl, backend: ollama, upstream_model: "qwen2.5vl:7b", profile: { max_long_edge: 1024, max_tokens: 1000 }, context_window: 128000 }
  - { id: claude-haiku-4-5-20251001, backend: bedrock }
  - { id: "claude-*", backend: claude }
`);
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-routing', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
  await Promise.all([openai?.close(), claude?.close(), claudeInline?.close(), imageHost?.close()]);
});

const decodeDataUri = async (uri: string) => {
  const match = /^data:(image\/\w+);base64,(.+)$/.exec(uri);
  expect(match).not.toBeNull();
  const metadata = await sharp(Buffer.from(match![2]!, 'base64')).metadata();
  return { mediaType: match![1], width: metadata.width, height: metadata.height };
};

describe('openai-compatible (Ollama, vLLM, llama.cpp, LM Studio)', () => {
  it('receives system, text and the padded model views in block order; the SDK gets the answer', async () => {
    const request: Anthropic.Messages.MessageCreateParamsNonStreaming = {
      model: 'qwen-vl',
      max_tokens: 200,
      system: 'Respond only in Spanish.',
      stop_sequences: ['FIN'],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Image 1:' },
            base64Image(wide, 'image/png'),
            { type: 'text', text: 'Image 2:' },
            base64Image(photo, 'image/jpeg'),
            { type: 'text', text: 'How are these images different?' },
          ],
        },
      ],
    };
    const message = await client.messages.create(request);
    expect(message.content).toEqual([{ type: 'text', text: 'Hola desde el upstream.', citations: null }]);
    expect(message.model).toBe('qwen-vl');
    const received = openai.requests.at(-1)!;
    expect(received.url).toBe('/v1/chat/completions');
    expect(received.headers.authorization).toBe('Bearer upstream-secret');
    expect(received.body).toMatchObject({
      model: 'qwen2.5vl:7b',
      max_tokens: 200,
      stop: ['FIN'],
      stream: true,
    });
    const messages = received.body.messages as Array<{ role: string; content: unknown }>;
    expect(messages[0]).toEqual({ role: 'system', content: 'Respond only in Spanish.' });
    const parts = messages[1]!.content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    expect(parts.map((part) => part.type)).toEqual(['text', 'image_url', 'text', 'image_url', 'text']);
    // each image is the padded model view for the configured profile, in its source's format family
    for (const [part, [width, height], mediaType] of [
      [parts[1]!, [1920, 1080], 'image/png'],
      [parts[3]!, [4000, 3000], 'image/jpeg'],
    ] as const) {
      const plan = planImage(width, height, qwenProfile);
      const image = await decodeDataUri(part.image_url!.url);
      expect([image.width, image.height]).toEqual([plan.canvasWidth, plan.canvasHeight]);
      expect(image.mediaType).toBe(mediaType);
    }
    // usage counts images per docs/rules/images.md §7 for this model's profile, not the upstream's own count (999)
    const { max_tokens: _max, stop_sequences: _stop, ...countable } = request;
    const counted = await client.messages.countTokens(countable);
    expect(message.usage.input_tokens).toBe(counted.input_tokens);
    expect(message.usage.input_tokens).not.toBe(999);
    expect(message.usage.output_tokens).toBe(5);
  });

  it('streams through client.messages.stream()', async () => {
    const stream = client.messages.stream({
      model: 'qwen-vl',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hola' }],
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Hola desde el upstream.', citations: null }]);
  });

  it('maps upstream errors faithfully', async () => {
    openai.reply.failWith = { status: 429, body: { error: { message: 'slow down', type: 'rate_limit' } } };
    try {
      const error = await client.messages
        .create({ model: 'qwen-vl', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(429);
      expect((error as APIError).type).toBe('rate_limit_error');
    } finally {
      delete openai.reply.failWith;
    }
  });

  it('a rejected image never reaches the upstream', async () => {
    const before = openai.requests.length;
    await client.messages
      .create({
        model: 'qwen-vl',
        max_tokens: 5,
        messages: [{ role: 'user', content: [base64Image(wide, 'image/gif')] }],
      })
      .catch(() => undefined);
    expect(openai.requests.length).toBe(before);
  });
});

describe('anthropic upstream', () => {
  it('pre-resizes to the model view by default and passes the upstream usage through', async () => {
    const message = await client.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 100,
      messages: [askAboutImage(photo, 'image/jpeg', 'Describe.')],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Claude upstream.', citations: null }]);
    expect(message.usage.input_tokens).toBe(4321); // Claude counts its own input
    const received = claude.requests.at(-1)!;
    expect(received.headers['x-api-key']).toBe('upstream-secret');
    expect(received.headers['anthropic-version']).toBe('2023-06-01');
    const content = (
      received.body.messages as Array<{
        content: Array<{ type: string; source?: { type: string; media_type: string; data: string } }>;
      }>
    )[0]!.content;
    const source = content[0]!.source!;
    expect(source.type).toBe('base64');
    const view = await sharp(Buffer.from(source.data, 'base64')).metadata();
    // 4000×3000 → 2212×1659 (high-res profile, rules 2026-09), unpadded: Claude pads on its side
    expect([view.width, view.height]).toEqual([2212, 1659]);
  });

  it('streams through client.messages.stream()', async () => {
    const final = await client.messages
      .stream({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] })
      .finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Hello from Claude upstream.', citations: null }]);
    expect(final.usage.output_tokens).toBe(6);
  });

  it('inlines url sources as base64 of the original for base64-only upstreams (Bedrock, Vertex)', async () => {
    await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'url', url: `${imageHost.url}/cat.jpg` } },
            { type: 'text', text: 'What?' },
          ],
        },
      ],
    });
    const received = claudeInline.requests.at(-1)!;
    expect(received.headers['x-api-key']).toBe('bedrock-key');
    const source = (
      received.body.messages as Array<{ content: Array<{ source?: Record<string, string> }> }>
    )[0]!.content[0]!.source!;
    expect(source.type).toBe('base64');
    expect(source.media_type).toBe('image/jpeg');
    expect(Buffer.from(source.data!, 'base64').equals(fixture('libvips/sample.jpg'))).toBe(true);
  });

  it('relays tool use both ways: a computer-use turn, then a screenshot in tool_result', async () => {
    claude.reply.toolUse = {
      id: 'toolu_01',
      name: 'computer',
      input: { action: 'left_click', coordinate: [700, 400] },
    };
    try {
      const tools = [
        {
          name: 'computer',
          description: 'Use the screen',
          input_schema: { type: 'object' as const, properties: {} },
        },
      ];
      const ask = {
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        tools,
        messages: [{ role: 'user' as const, content: 'Open the menu.' }],
      };
      const message = await client.messages.create(ask);
      expect(message.stop_reason).toBe('tool_use');
      expect(message.content).toEqual([
        { type: 'text', text: 'Hello from Claude upstream.', citations: null },
        {
          type: 'tool_use',
          id: 'toolu_01',
          name: 'computer',
          input: { action: 'left_click', coordinate: [700, 400] },
        },
      ]);
      expect(claude.requests.at(-1)!.body.tools).toEqual(tools);
      // the same through the SDK's stream helper, which rebuilds the input from input_json_delta
      const streamed = await client.messages.stream(ask).finalMessage();
      expect(streamed.content[1]).toEqual(message.content[1]);

      // the next turn returns a screenshot: validated, scaled and reported like any image
      const screenshot = await halves(1920, 1080, [30, 30, 30], [240, 240, 240]);
      const { response } = await client.messages
        .create({
          ...ask,
          messages: [
            ...ask.messages,
            { role: 'assistant', content: message.content },
            {
              role: 'user',
              content: [
                {
                  type: 'tool_result',
                  tool_use_id: 'toolu_01',
                  content: [
                    {
                      type: 'image',
                      source: {
                        type: 'base64',
                        media_type: 'image/png',
                        data: screenshot.toString('base64'),
                      },
                    },
                  ],
                },
              ],
            },
          ],
        })
        .withResponse();
      expect(response.headers.get('sightline-image-scales')).toBe(
        'messages.2.content.0.tool_result.content.0=1920x1080>1456x819',
      );
      const sent = (
        claude.requests.at(-1)!.body.messages as Array<{
          content: Array<{ content?: Array<{ source: { data: string } }> }>;
        }>
      )[2]!.content[0]!.content![0]!.source.data;
      const view = await sharp(Buffer.from(sent, 'base64')).metadata();
      expect([view.width, view.height]).toEqual([1456, 819]);
    } finally {
      delete claude.reply.toolUse;
    }
  });

  it('maps upstream error envelopes faithfully', async () => {
    claude.reply.failWith = {
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    };
    try {
      const error = (await client.messages
        .create({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e)) as APIError;
      expect(error.status).toBe(529);
      expect(error.type).toBe('overloaded_error');
      expect((error.error as { error: { message: string } }).error.message).toBe('Overloaded');
    } finally {
      delete claude.reply.failWith;
    }
  });
});
