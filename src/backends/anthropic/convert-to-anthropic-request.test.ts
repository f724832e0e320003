// Unit tests of the pure request translator: every option combination, every source type,
// images inside tool_result, order kept, and the client's body left untouched.
import { describe, expect, it } from 'vitest';
import type { ImageBlockParam, MessagesRequest, ToolResultBlockParam } from '../../wire/index.js';
import { normaliseMessagesRequest } from '../prompt/index.js';
import type { PreparedImage } from '../types.js';
import { convertToAnthropicRequest, type ImageSourceOptions } from './convert-to-anthropic-request.js';

function prepared(path: string, label: string): PreparedImage {
  return {
    path,
    original: { bytes: Buffer.from(`original-${label}`), mediaType: 'image/jpeg', width: 1920, height: 1080 },
    view: {
      data: Buffer.from(`view-${label}`),
      mediaType: 'image/png',
      width: 1932,
      height: 1092,
      contentWidth: 1920,
      contentHeight: 1080,
    },
    tokens: 2813,
  };
}

const base64Data = Buffer.from('client-base64').toString('base64');

function buildRequest() {
  const base64Block: ImageBlockParam = {
    type: 'image',
    source: { type: 'base64', media_type: 'image/jpeg', data: base64Data },
    cache_control: { type: 'ephemeral' },
    transformations: { oversized_image: 'downsize' },
  };
  const urlBlock: ImageBlockParam = {
    type: 'image',
    source: { type: 'url', url: 'https://example.com/a.png' },
  };
  const fileBlock: ImageBlockParam = { type: 'image', source: { type: 'file', file_id: 'file_abc' } };
  const toolImageBlock: ImageBlockParam = {
    type: 'image',
    source: { type: 'url', url: 'https://example.com/tool.png' },
  };
  const toolResult: ToolResultBlockParam = {
    type: 'tool_result',
    tool_use_id: 'toolu_1',
    content: [{ type: 'text', text: 'screenshot:' }, toolImageBlock],
  };
  const body: MessagesRequest = {
    model: 'client-model',
    max_tokens: 100,
    stream: false,
    system: 'be brief',
    temperature: 1,
    metadata: { user_id: 'u1' },
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'first' }, base64Block, urlBlock, fileBlock] },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: {} }],
      },
      { role: 'user', content: [toolResult, { type: 'text', text: 'last' }] },
      { role: 'assistant', content: 'prefill' },
    ],
  };
  const images = [
    prepared('messages.0.content.1', 'base64'),
    prepared('messages.0.content.2', 'url'),
    prepared('messages.0.content.3', 'file'),
    prepared('messages.2.content.0.tool_result.content.1', 'tool'),
  ];
  return { body, images, blocks: { base64Block, urlBlock, fileBlock, toolImageBlock } };
}

type Content = Array<Record<string, unknown>>;
function userBlocks(body: MessagesRequest): Content {
  return body.messages[0]!.content as Content;
}
function toolResultImage(body: MessagesRequest): Record<string, unknown> {
  const toolResult = (body.messages[2]!.content as Content)[0]!;
  return (toolResult.content as Content)[1]!;
}
const base64Of = (text: string) => Buffer.from(text).toString('base64');

/** What the server does: the prompt built once from the body and its prepared images, then translated. */
function convert(
  body: MessagesRequest,
  images: readonly PreparedImage[],
  options: ImageSourceOptions & { upstreamModel?: string },
): MessagesRequest {
  const { upstreamModel = 'up', ...imageOptions } = options;
  return convertToAnthropicRequest({
    ...normaliseMessagesRequest(body, images),
    upstreamModel,
    ...imageOptions,
  });
}

describe('convertToAnthropicRequest', () => {
  it.each([{ inlineSources: false }, { inlineSources: true }])(
    'preResize on (inlineSources $inlineSources): every image becomes the base64 model view',
    ({ inlineSources }) => {
      const { body, images } = buildRequest();
      const result = convert(body, images, { upstreamModel: 'up', preResize: true, inlineSources });
      const blocks = userBlocks(result);
      expect(blocks[1]).toEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: base64Of('view-base64') },
        cache_control: { type: 'ephemeral' },
      });
      expect(blocks[1]).not.toHaveProperty('transformations');
      expect(blocks[2]).toEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: base64Of('view-url') },
      });
      expect(blocks[3]).toEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: base64Of('view-file') },
      });
      expect(toolResultImage(result)).toEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: base64Of('view-tool') },
      });
    },
  );

  it('preResize off, inlineSources off: base64 and url pass unchanged, file is inlined from the original', () => {
    const { body, images, blocks } = buildRequest();
    const result = convert(body, images, { upstreamModel: 'up', preResize: false, inlineSources: false });
    const converted = userBlocks(result);
    expect(converted[1]).toEqual(blocks.base64Block);
    expect(converted[1]).toHaveProperty('transformations', { oversized_image: 'downsize' });
    expect(converted[2]).toEqual({
      type: 'image',
      source: { type: 'url', url: 'https://example.com/a.png' },
    });
    expect(converted[3]).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/jpeg', data: base64Of('original-file') },
    });
    expect(toolResultImage(result)).toEqual(blocks.toolImageBlock);
  });

  it('preResize off, inlineSources on: url and file sources are inlined from the original, base64 untouched', () => {
    const { body, images, blocks } = buildRequest();
    const result = convert(body, images, { upstreamModel: 'up', preResize: false, inlineSources: true });
    const converted = userBlocks(result);
    expect(converted[1]).toEqual(blocks.base64Block);
    expect(converted[2]).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/jpeg', data: base64Of('original-url') },
    });
    expect(converted[3]).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/jpeg', data: base64Of('original-file') },
    });
    expect(toolResultImage(result)).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/jpeg', data: base64Of('original-tool') },
    });
  });

  it('replaces the model, forces stream, keeps every other field and the order of everything', () => {
    const { body, images } = buildRequest();
    const result = convert(body, images, {
      upstreamModel: 'upstream-model',
      preResize: true,
      inlineSources: false,
    });
    expect(result.model).toBe('upstream-model');
    expect(result.stream).toBe(true);
    expect(result.system).toBe('be brief');
    expect(result.temperature).toBe(1);
    expect(result.metadata).toEqual({ user_id: 'u1' });
    expect(result.max_tokens).toBe(100);
    expect(result.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(userBlocks(result).map((block) => block.type)).toEqual(['text', 'image', 'image', 'image']);
    expect(userBlocks(result)[0]).toEqual({ type: 'text', text: 'first' });
    expect(result.messages[1]).toEqual(body.messages[1]);
    const thirdTurn = result.messages[2]!.content as Content;
    expect(thirdTurn.map((block) => block.type)).toEqual(['tool_result', 'text']);
    expect(thirdTurn[0]).toMatchObject({
      tool_use_id: 'toolu_1',
      content: [{ type: 'text', text: 'screenshot:' }, {}],
    });
    expect(result.messages[3]).toEqual({ role: 'assistant', content: 'prefill' });
  });

  it.each([
    { preResize: true, inlineSources: false },
    { preResize: false, inlineSources: false },
    { preResize: false, inlineSources: true },
  ])('does not mutate the client body (preResize $preResize, inlineSources $inlineSources)', (options) => {
    const { body, images } = buildRequest();
    const snapshot = structuredClone(body);
    const result = convert(body, images, options);
    expect(body).toEqual(snapshot);
    expect(result).not.toBe(body);
    expect(result.messages).not.toBe(body.messages);
  });

  it('relays everything it does not rewrite as the client sent it (model and stream aside)', () => {
    const urlImage: ImageBlockParam = {
      type: 'image',
      source: { type: 'url', url: 'https://example.com/b.png' },
      cache_control: { type: 'ephemeral' },
      transformations: null,
    };
    const body: MessagesRequest = {
      model: 'client-model',
      max_tokens: 64,
      stream: false,
      system: [{ type: 'text', text: 'rules', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      stop_sequences: ['STOP'],
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      metadata: { user_id: 'u' },
      tools: [{ name: 'look', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      service_tier: 'auto',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'see', citations: null },
            urlImage,
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'redacted_thinking', data: 'xyz' },
            { type: 'tool_use', id: 'toolu_9', name: 'look', input: { at: [1, 2] }, cache_control: null },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_9', is_error: true, content: 'failed' },
            { type: 'tool_result', tool_use_id: 'toolu_8' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_7',
              content: [{ type: 'search_result', source: 's', title: 't', content: [] }],
            },
          ],
        },
        { role: 'assistant', content: '' },
      ],
    };
    const images = [prepared('messages.0.content.1', 'url')];
    const snapshot = structuredClone(body);
    const result = convert(body, images, { preResize: false, inlineSources: false, upstreamModel: 'up' });
    expect(result).toEqual({ ...snapshot, model: 'up', stream: true });
  });

  it('keeps tool_result string content and non-image blocks as they are', () => {
    const body: MessagesRequest = {
      model: 'm',
      max_tokens: 1,
      messages: [
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'plain text' }] },
      ],
    };
    const result = convert(body, [], { preResize: true, inlineSources: false });
    expect(result.messages).toEqual(body.messages);
  });
});
