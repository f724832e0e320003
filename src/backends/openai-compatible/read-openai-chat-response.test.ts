// Unit tests of the tolerant chunk/completion readers and the usage map.
import { describe, expect, it } from 'vitest';
import {
  mapOpenAiUsage,
  parseUpstreamJson,
  readOpenAiChatChunk,
  readOpenAiChatCompletion,
} from './read-openai-chat-response.js';

describe('readOpenAiChatChunk', () => {
  it('reads delta text, finish_reason and usage', () => {
    expect(
      readOpenAiChatChunk(
        { choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] },
        't',
      ),
    ).toEqual({ text: 'Hi', toolCalls: [], finishReason: null, usage: undefined });
    expect(readOpenAiChatChunk({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }, 't')).toEqual(
      {
        text: '',
        toolCalls: [],
        finishReason: 'length',
        usage: undefined,
      },
    );
    expect(
      readOpenAiChatChunk({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 3 } }, 't'),
    ).toEqual({
      text: '',
      toolCalls: [],
      finishReason: null,
      usage: { inputTokens: 12, outputTokens: 3 },
    });
  });

  it('ignores unknown fields and content it does not use', () => {
    expect(
      readOpenAiChatChunk(
        { choices: [{ index: 0, delta: { content: null, reasoning_content: 'hm' } }], extra: 1 },
        't',
      ),
    ).toEqual({ text: '', toolCalls: [], finishReason: null, usage: undefined });
  });

  it('reads tool call pieces with their index, id, name and arguments text', () => {
    const reading = readOpenAiChatChunk(
      {
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: 'call_a',
                  type: 'function',
                  function: { name: 'click', arguments: '{"x":' },
                },
                { index: 1, function: { arguments: '1}' } },
                { function: { name: '', arguments: { y: 2 } } },
                'junk',
              ],
            },
            finish_reason: null,
          },
        ],
      },
      't',
    );
    expect(reading.toolCalls).toEqual([
      { index: 0, id: 'call_a', name: 'click', arguments: '{"x":' },
      { index: 1, id: undefined, name: undefined, arguments: '1}' },
      { index: undefined, id: undefined, name: undefined, arguments: '{"y":2}' },
    ]);
  });

  it('throws an ApiError for an error payload', () => {
    expect(() =>
      readOpenAiChatChunk({ error: { message: 'out of memory', type: 'server_error' } }, 'vllm'),
    ).toThrow(expect.objectContaining({ status: 500, type: 'api_error', message: 'vllm: out of memory' }));
  });
});

describe('readOpenAiChatCompletion', () => {
  it('reads a non-streaming completion', () => {
    expect(
      readOpenAiChatCompletion(
        {
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'A cat.' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 900, completion_tokens: 4, total_tokens: 904 },
        },
        't',
      ),
    ).toEqual({
      text: 'A cat.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 900, outputTokens: 4 },
    });
  });

  it('reads whole tool calls of a completion, placed by their position', () => {
    const completion = readOpenAiChatCompletion(
      {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'call_1', type: 'function', function: { name: 'a', arguments: '{}' } },
                { index: 0, id: 'call_2', type: 'function', function: { name: 'b', arguments: '{"k":1}' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
      },
      't',
    );
    expect(completion.text).toBe('');
    expect(completion.toolCalls).toEqual([
      { index: 0, id: 'call_1', name: 'a', arguments: '{}' },
      { index: 1, id: 'call_2', name: 'b', arguments: '{"k":1}' },
    ]);
  });

  it('joins content given as text parts', () => {
    const completion = readOpenAiChatCompletion(
      {
        choices: [
          {
            message: {
              content: [
                { type: 'text', text: 'a' },
                { type: 'text', text: 'b' },
              ],
            },
          },
        ],
      },
      't',
    );
    expect(completion.text).toBe('ab');
  });
});

describe('mapOpenAiUsage', () => {
  it('omits counts the upstream did not report', () => {
    expect(mapOpenAiUsage({ prompt_tokens: 5 })).toEqual({ inputTokens: 5 });
    expect(mapOpenAiUsage({ completion_tokens: null, prompt_tokens: -1 })).toEqual({});
    expect(mapOpenAiUsage(undefined)).toEqual({});
  });
});

describe('parseUpstreamJson', () => {
  it('turns malformed JSON into a 500 api_error', () => {
    expect(() => parseUpstreamJson('{"choices": [', 'ollama')).toThrow(
      expect.objectContaining({
        status: 500,
        type: 'api_error',
        message: 'ollama: upstream sent malformed JSON: {"choices": [',
      }),
    );
  });
});
