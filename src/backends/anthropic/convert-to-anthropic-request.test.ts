// Unit tests of the pure request translator: every option combination, every source type,
// images inside tool_result, order kept, and the client's body left untouched.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import type { ImageBlockParam, MessagesRequest, ToolResultBlockParam } from '../../wire/index.js';
import type { PreparedImage } from '../types.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

function prepared(block: ImageBlockParam, path: string, label: string): PreparedImage {
  return {
    path,
    block,
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
  const images = new Map<ImageBlockParam, PreparedImage>([
    [base64Block, prepared(base64Block, 'messages.0.content.1', 'base64')],
    [urlBlock, prepared(urlBlock, 'messages.0.content.2', 'url')],
    [fileBlock, prepared(fileBlock, 'messages.0.content.3', 'file')],
    [toolImageBlock, prepared(toolImageBlock, 'messages.2.content.0.content.1', 'tool')],
  ]);
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

describe('convertToAnthropicRequest', () => {
  it.each([{ inlineSources: false }, { inlineSources: true }])(
    'preResize on (inlineSources $inlineSources): every image becomes the base64 model view',
    ({ inlineSources }) => {
      const { body, images } = buildRequest();
      const result = convertToAnthropicRequest({
        body,
        upstreamModel: 'up',
        images,
        preResize: true,
        inlineSources,
      });
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
    const result = convertToAnthropicRequest({
      body,
      upstreamModel: 'up',
      images,
      preResize: false,
      inlineSources: false,
    });
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
    const result = convertToAnthropicRequest({
      body,
      upstreamModel: 'up',
      images,
      preResize: false,
      inlineSources: true,
    });
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
    const result = convertToAnthropicRequest({
      body,
      upstreamModel: 'upstream-model',
      images,
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
    const { body, images, blocks } = buildRequest();
    const snapshot = structuredClone(body);
    const result = convertToAnthropicRequest({ body, upstreamModel: 'up', images, ...options });
    expect(body).toEqual(snapshot);
    expect(result).not.toBe(body);
    expect(result.messages).not.toBe(body.messages);
    // The prepared-image map is keyed by the client's blocks: they must still be found.
    expect(images.get(blocks.fileBlock)?.path).toBe('messages.0.content.3');
    expect(userBlocks(body)[3]).toBe(blocks.fileBlock);
  });

  it('keeps tool_result string content and non-image blocks as they are', () => {
    const body: MessagesRequest = {
      model: 'm',
      max_tokens: 1,
      messages: [
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'plain text' }] },
      ],
    };
    const result = convertToAnthropicRequest({
      body,
      upstreamModel: 'up',
      images: new Map(),
      preResize: true,
      inlineSources: false,
    });
    expect(result.messages).toEqual(body.messages);
  });

  it('fails with api_error when an image it must rewrite was not prepared, and only then', () => {
    const { body } = buildRequest();
    const convert = (preResize: boolean) =>
      convertToAnthropicRequest({
        body,
        upstreamModel: 'up',
        images: new Map(),
        preResize,
        inlineSources: false,
      });
    expect(() => convert(true)).toThrow(ApiError);
    expect(() => convert(true)).toThrow(/messages\.0\.content\.1/);
    // Without pre-resizing, the first image that needs its bytes is the file source.
    expect(() => convert(false)).toThrow(/messages\.0\.content\.3/);
    const base64Only: MessagesRequest = {
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'user', content: [userBlocks(body)[1] as ImageBlockParam] }],
    };
    expect(() =>
      convertToAnthropicRequest({
        body: base64Only,
        upstreamModel: 'up',
        images: new Map(),
        preResize: false,
        inlineSources: true,
      }),
    ).not.toThrow();
  });
});
