// Unit tests of the request-body builder: sampling fields, stop sequences, streaming, dropped fields.
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../wire/index.js';
import { buildOpenAiChatRequestBody } from './build-openai-chat-request-body.js';

function body(extra: Partial<MessagesRequest> = {}): MessagesRequest {
  return { model: 'client-model', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

describe('buildOpenAiChatRequestBody', () => {
  it('uses the upstream model and always asks for a stream with usage', () => {
    expect(
      buildOpenAiChatRequestBody({ body: body(), upstreamModel: 'llava:13b', images: new Map() }, 'test'),
    ).toEqual({
      model: 'llava:13b',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 256,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('maps stop_sequences to stop and passes temperature and top_p', () => {
    const upstream = buildOpenAiChatRequestBody(
      {
        body: body({ stop_sequences: ['END', '\n\nHuman:'], temperature: 0, top_p: 0.9 }),
        upstreamModel: 'm',
        images: new Map(),
      },
      'test',
    );
    expect(upstream.stop).toEqual(['END', '\n\nHuman:']);
    expect(upstream.temperature).toBe(0);
    expect(upstream.top_p).toBe(0.9);
  });

  it('omits an empty stop list and drops Anthropic-only fields', () => {
    const upstream = buildOpenAiChatRequestBody(
      {
        body: body({
          stop_sequences: [],
          top_k: 40,
          metadata: { user_id: 'u' },
          thinking: { type: 'enabled', budget_tokens: 1024 },
          stream: false,
        }),
        upstreamModel: 'm',
        images: new Map(),
      },
      'test',
    );
    expect(Object.keys(upstream).sort()).toEqual([
      'max_tokens',
      'messages',
      'model',
      'stream',
      'stream_options',
    ]);
    expect(upstream.stream).toBe(true);
  });
});
