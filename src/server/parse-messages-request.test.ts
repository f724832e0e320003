import { describe, expect, it } from 'vitest';
import { listPromptImages, normaliseMessagesRequest, type PreparedImage } from '../backends/prompt/index.js';
import { ApiError } from '../errors/index.js';
import { collectText, parseMessagesRequest } from './parse-messages-request.js';

const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } };
const body = (content: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'm',
  max_tokens: 10,
  messages: [{ role: 'user', content }],
  ...extra,
});

/** A stand-in prepared image: only its path matters here. */
const preparedAt = (path: string): PreparedImage => ({
  path,
  original: { bytes: Buffer.alloc(0), mediaType: 'image/png', width: 1, height: 1 },
  view: {
    data: Buffer.alloc(0),
    mediaType: 'image/png',
    width: 1,
    height: 1,
    contentWidth: 1,
    contentHeight: 1,
  },
  tokens: 1,
});

const rejection = (raw: unknown, kind: 'create' | 'count_tokens' = 'create') => {
  try {
    parseMessagesRequest(raw, kind);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).message;
  }
  throw new Error('expected a rejection');
};

describe('parseMessagesRequest', () => {
  it('finds images in user turns and inside tool_result content, with API-style paths', () => {
    const { images } = parseMessagesRequest(
      body([
        { type: 'text', text: 'Image 1:' },
        image,
        { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'x' }, image] },
      ]),
      'create',
    );
    expect(images.map((ref) => ref.path)).toEqual([
      'messages.0.content.1',
      'messages.0.content.2.tool_result.content.1',
    ]);
  });

  it('names each image by the path the backend prompt finds it by', () => {
    const parsed = parseMessagesRequest(
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          { role: 'user', content: [image, { type: 'text', text: 'and' }, image] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'shot', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [image, image] }] },
        ],
      },
      'create',
    );
    const prepared = parsed.images.map(({ path }) => preparedAt(path));
    const { prompt } = normaliseMessagesRequest(parsed.body, prepared);
    expect(listPromptImages(prompt).map((part) => part.image)).toEqual(prepared);
  });

  it('names the missing or wrong field', () => {
    expect(rejection({ messages: [] })).toBe('model: Field required');
    expect(rejection({ model: 'm', messages: [] })).toBe('max_tokens: Field required');
    expect(rejection({ model: 'm', max_tokens: -1, messages: [] })).toBe(
      'max_tokens: Input should be a non-negative integer',
    );
    expect(rejection({ model: 'm', max_tokens: 1 })).toBe('messages: Field required');
    expect(rejection(body([{ type: 'image', source: { type: 'ftp', url: 'x' } }]))).toBe(
      "messages.0.content.0.image.source: Input tag 'ftp' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'",
    );
    expect(rejection(body([{ type: 'image', source: { type: 'base64', media_type: 'image/png' } }]))).toBe(
      'messages.0.content.0.image.source.base64.data: Field required',
    );
  });

  it('count_tokens does not need max_tokens', () => {
    expect(
      parseMessagesRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, 'count_tokens')
        .images,
    ).toEqual([]);
  });

  it('refuses images in assistant turns, nested tool_results, and images inside documents', () => {
    expect(
      rejection({ model: 'm', max_tokens: 1, messages: [{ role: 'assistant', content: [image] }] }),
    ).toBe('messages.0.content.0: image blocks are only allowed in user turns');
    const nested = {
      type: 'tool_result',
      tool_use_id: 'a',
      content: [{ type: 'tool_result', tool_use_id: 'b', content: [image] }],
    };
    expect(rejection(body([nested]))).toBe(
      'messages.0.content.0.tool_result.content.0: a tool_result cannot hold another tool_result',
    );
    const document = {
      type: 'document',
      source: { type: 'content', content: [{ type: 'text', text: 'x' }, image] },
    };
    expect(rejection(body([document]))).toMatch(
      /^messages\.0\.content\.0\.document\.source\.content: image blocks inside documents are not supported/,
    );
  });

  it('a tool_use input nested too deeply for the token estimate is a 400, not a crash', () => {
    let input: unknown = 1;
    for (let depth = 0; depth < 20_000; depth += 1) input = [input];
    const raw = {
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input }] }],
    };
    const { body: parsed } = parseMessagesRequest(raw, 'create');
    expect(() => collectText(parsed)).toThrow(/nested too deeply/);
  });
});
