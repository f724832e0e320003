// Unit tests of the pure Anthropic → OpenAI chat-messages translator (system, turns, images, tools).
import { describe, expect, it } from 'vitest';
import type { ImageBlockParam, MessageParam, MessagesRequest } from '../../wire/index.js';
import { normaliseMessagesRequest } from '../prompt/index.js';
import type { PreparedImage } from '../types.js';
import { convertToOpenAiChatMessages } from './convert-to-openai-chat-messages.js';

/** A prepared image whose view bytes are recognisable text, so the data URI can be compared exactly. */
function preparedImage(path: string, label: string, mediaType: 'image/png' | 'image/jpeg'): PreparedImage {
  return {
    path,
    original: { bytes: Buffer.from(`original ${label}`), mediaType: 'image/png', width: 1920, height: 1080 },
    view: {
      data: Buffer.from(`view ${label}`),
      mediaType,
      width: 1456,
      height: 840,
      contentWidth: 1456,
      contentHeight: 819,
    },
    tokens: 1560,
  };
}

function imageBlock(): ImageBlockParam {
  return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'b3JpZ2luYWw=' } };
}

function dataUri(label: string, mediaType: string): string {
  return `data:${mediaType};base64,${Buffer.from(`view ${label}`).toString('base64')}`;
}

const backendName = 'test-backend';

/** What the server does: the prompt built once from the body and its prepared images, then translated. */
function convert(input: {
  system?: MessagesRequest['system'];
  messages: MessageParam[];
  images?: PreparedImage[];
}) {
  const body: MessagesRequest = { model: 'm', max_tokens: 1, messages: input.messages };
  if (input.system !== undefined) body.system = input.system;
  const { prompt } = normaliseMessagesRequest(body, input.images ?? []);
  return convertToOpenAiChatMessages({ prompt, backendName });
}

describe('convertToOpenAiChatMessages', () => {
  it('puts a string system prompt first', () => {
    const messages: MessageParam[] = [{ role: 'user', content: 'Hello' }];
    expect(convert({ system: 'Be brief.', messages })).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
    ]);
  });

  it('joins a system prompt made of text blocks and omits an empty one', () => {
    const messages: MessageParam[] = [{ role: 'user', content: 'Hi' }];
    const system = [
      { type: 'text' as const, text: 'First.' },
      { type: 'text' as const, text: 'Second.', cache_control: { type: 'ephemeral' } },
    ];
    expect(convert({ system, messages })[0]).toEqual({
      role: 'system',
      content: 'First.\n\nSecond.',
    });
    expect(convert({ system: '', messages })).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('keeps a multi-turn conversation in order, with separate consecutive same-role turns', () => {
    const messages: MessageParam[] = [
      { role: 'user', content: 'One' },
      { role: 'assistant', content: [{ type: 'text', text: 'Two' }] },
      { role: 'user', content: [{ type: 'text', text: 'Three' }] },
      { role: 'user', content: [{ type: 'text', text: 'Four' }] },
      { role: 'assistant', content: 'Five' },
    ];
    expect(convert({ messages })).toEqual([
      { role: 'user', content: 'One' },
      { role: 'assistant', content: 'Two' },
      { role: 'user', content: 'Three' },
      { role: 'user', content: 'Four' },
      { role: 'assistant', content: 'Five' },
    ]);
  });

  it('sends two images as model-view data URIs in block order, not the order they were prepared in', () => {
    const first = imageBlock();
    const second = imageBlock();
    const images = [
      preparedImage('messages.0.content.2', 'second', 'image/jpeg'),
      preparedImage('messages.0.content.0', 'first', 'image/png'),
    ];
    const messages: MessageParam[] = [
      { role: 'user', content: [first, { type: 'text', text: 'Compare' }, second] },
    ];
    expect(convert({ messages, images })).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: dataUri('first', 'image/png') } },
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: dataUri('second', 'image/jpeg') } },
        ],
      },
    ]);
  });

  it('turns tool_use into tool_calls and tool_result into tool messages, images right after', () => {
    const screenshot = imageBlock();
    const images = [preparedImage('messages.2.content.0.tool_result.content.1', 'screenshot', 'image/png')];
    const messages: MessageParam[] = [
      { role: 'user', content: 'Take a screenshot' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'hidden', signature: 'x' },
          { type: 'text', text: 'Sure.' },
          { type: 'tool_use', id: 'call_1', name: 'screenshot', input: { display: 1 } },
          { type: 'tool_use', id: 'call_2', name: 'clock', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'call_1',
            content: [{ type: 'text', text: 'Captured.' }, screenshot, { type: 'text', text: 'Display 1.' }],
          },
          { type: 'tool_result', tool_use_id: 'call_2', content: '12:00' },
          { type: 'text', text: 'What do you see?' },
        ],
      },
    ];
    expect(convert({ messages, images })).toEqual([
      { role: 'user', content: 'Take a screenshot' },
      {
        role: 'assistant',
        content: 'Sure.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'screenshot', arguments: '{"display":1}' } },
          { id: 'call_2', type: 'function', function: { name: 'clock', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Captured.\nDisplay 1.' },
      { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Images returned by tool call_1:' },
          { type: 'image_url', image_url: { url: dataUri('screenshot', 'image/png') } },
        ],
      },
      { role: 'user', content: 'What do you see?' },
    ]);
  });

  it('keeps user text that precedes a tool_result before the tool message', () => {
    const messages: MessageParam[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Before' },
          { type: 'tool_result', tool_use_id: 'call_9' },
          { type: 'text', text: 'After' },
        ],
      },
    ];
    expect(convert({ messages })).toEqual([
      { role: 'user', content: 'Before' },
      { role: 'tool', tool_call_id: 'call_9', content: '' },
      { role: 'user', content: 'After' },
    ]);
  });

  it('rejects content it cannot represent with 400, naming its path', () => {
    const document: MessageParam[] = [{ role: 'user', content: [{ type: 'document', source: {} }] }];
    expect(() => convert({ messages: document })).toThrow(
      expect.objectContaining({
        status: 400,
        type: 'invalid_request_error',
        message: expect.stringMatching(
          /^test-backend: content block type "document" at messages\.0\.content\.0/,
        ),
      }),
    );
    const nested: MessageParam[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'x' },
          { type: 'tool_result', tool_use_id: 't', content: [{ type: 'search_result', content: [] }] },
        ],
      },
    ];
    expect(() => convert({ messages: nested })).toThrow(
      /content block type "search_result" at messages\.0\.content\.1\.content\.0/,
    );
    const assistantImage: MessageParam[] = [
      { role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't' }] },
    ];
    expect(() => convert({ messages: assistantImage })).toThrow(
      /content block type "tool_result" at messages\.0\.content\.0 is not supported \(assistant turns/,
    );
  });
});
