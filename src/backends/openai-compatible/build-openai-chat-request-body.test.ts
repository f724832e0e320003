// Unit tests of the request-body builder: sampling fields, stop sequences, streaming, tools, dropped fields.
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../wire/index.js';
import { normaliseMessagesRequest } from '../prompt/index.js';
import { buildOpenAiChatRequestBody } from './build-openai-chat-request-body.js';

function body(extra: Partial<MessagesRequest> = {}): MessagesRequest {
  return { model: 'client-model', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

/** The backend request the server would build for `wire` (no images). */
const requestFor = (wire: MessagesRequest, upstreamModel: string) => ({
  ...normaliseMessagesRequest(wire, []),
  upstreamModel,
});

describe('buildOpenAiChatRequestBody', () => {
  it('uses the upstream model and always asks for a stream with usage', () => {
    expect(buildOpenAiChatRequestBody(requestFor(body(), 'llava:13b'), 'test')).toEqual({
      model: 'llava:13b',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 256,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('maps stop_sequences to stop and passes temperature and top_p', () => {
    const upstream = buildOpenAiChatRequestBody(
      requestFor(body({ stop_sequences: ['END', '\n\nHuman:'], temperature: 0, top_p: 0.9 }), 'm'),
      'test',
    );
    expect(upstream.stop).toEqual(['END', '\n\nHuman:']);
    expect(upstream.temperature).toBe(0);
    expect(upstream.top_p).toBe(0.9);
  });

  it('omits an empty stop list and drops Anthropic-only fields', () => {
    const upstream = buildOpenAiChatRequestBody(
      requestFor(
        body({
          stop_sequences: [],
          top_k: 40,
          metadata: { user_id: 'u' },
          thinking: { type: 'enabled', budget_tokens: 1024 },
          stream: false,
        }),
        'm',
      ),
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

  it('sends tools as functions with tool_choice and parallel_tool_calls', () => {
    const inputSchema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    const upstream = buildOpenAiChatRequestBody(
      requestFor(
        body({
          tools: [{ name: 'read_file', description: 'Reads a file.', input_schema: inputSchema }],
          tool_choice: { type: 'tool', name: 'read_file', disable_parallel_tool_use: true },
        }),
        'm',
      ),
      'test',
    );
    expect(upstream).toMatchObject({
      tools: [
        {
          type: 'function',
          function: { name: 'read_file', description: 'Reads a file.', parameters: inputSchema },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'read_file' } },
      parallel_tool_calls: false,
    });
  });

  it('refuses a server tool with a 400 naming the backend', () => {
    expect(() =>
      buildOpenAiChatRequestBody(
        requestFor(
          body({
            tools: [
              { type: 'computer_20250124', name: 'computer', display_width_px: 1024, display_height_px: 768 },
            ],
          }),
          'm',
        ),
        'ollama',
      ),
    ).toThrow(
      expect.objectContaining({
        status: 400,
        type: 'invalid_request_error',
        message: 'ollama: tool type computer_20250124 is not supported by this backend',
      }),
    );
  });
});
