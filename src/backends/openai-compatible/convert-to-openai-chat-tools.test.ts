// Unit tests of the Anthropic → OpenAI tools translator: function tools, every tool_choice form,
// parallel_tool_calls, and the 400s for server tools and malformed entries.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import { convertToOpenAiChatTools } from './convert-to-openai-chat-tools.js';

const screenshotSchema = { type: 'object', properties: {}, additionalProperties: false };
const clickSchema = {
  type: 'object',
  properties: { x: { type: 'integer' }, y: { type: 'integer' } },
  required: ['x', 'y'],
};
const tools = [
  { name: 'screenshot', description: 'Takes a screenshot.', input_schema: screenshotSchema },
  { type: 'custom', name: 'click', input_schema: clickSchema, cache_control: { type: 'ephemeral' } },
];

describe('convertToOpenAiChatTools', () => {
  it('turns tools into function tools (description only when given, schema as parameters)', () => {
    expect(convertToOpenAiChatTools(tools, undefined, 'ollama')).toEqual({
      tools: [
        {
          type: 'function',
          function: { name: 'screenshot', description: 'Takes a screenshot.', parameters: screenshotSchema },
        },
        { type: 'function', function: { name: 'click', parameters: clickSchema } },
      ],
    });
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [
      { type: 'tool', name: 'click' },
      { type: 'function', function: { name: 'click' } },
    ],
  ] as const)('maps tool_choice %o to %o', (toolChoice, expected) => {
    const fields = convertToOpenAiChatTools(tools, toolChoice, 'ollama');
    expect(fields.tool_choice).toEqual(expected);
    expect(fields).not.toHaveProperty('parallel_tool_calls');
  });

  it('maps disable_parallel_tool_use: true to parallel_tool_calls: false', () => {
    expect(
      convertToOpenAiChatTools(tools, { type: 'any', disable_parallel_tool_use: true }, 'ollama'),
    ).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false });
    expect(
      convertToOpenAiChatTools(tools, { type: 'auto', disable_parallel_tool_use: false }, 'ollama'),
    ).not.toHaveProperty('parallel_tool_calls');
  });

  it('sets nothing without tools (OpenAI rejects an empty list, and tool_choice without tools)', () => {
    expect(convertToOpenAiChatTools(undefined, undefined, 'ollama')).toEqual({});
    expect(convertToOpenAiChatTools(null, { type: 'auto' }, 'ollama')).toEqual({});
    expect(convertToOpenAiChatTools([], { type: 'none', disable_parallel_tool_use: true }, 'ollama')).toEqual(
      {},
    );
  });

  it.each(['computer_20250124', 'bash_20250124', 'text_editor_20250728', 'web_search_20250305'])(
    'refuses the server tool type %s with a 400',
    (type) => {
      const call = (): unknown =>
        convertToOpenAiChatTools(
          [...tools, { type, name: 'computer', display_width_px: 1280, display_height_px: 800 }],
          { type: 'auto' },
          'vllm',
        );
      expect(call).toThrow(ApiError);
      expect(call).toThrow(
        expect.objectContaining({
          status: 400,
          type: 'invalid_request_error',
          message: `vllm: tool type ${type} is not supported by this backend`,
        }),
      );
    },
  );

  it.each([
    [{ not: 'a list' }, undefined, 'vllm: tools must be an array'],
    [['screenshot'], undefined, 'vllm: tools.0 must be an object'],
    [[{ input_schema: screenshotSchema }], undefined, 'vllm: tools.0.name must be a non-empty string'],
    [[tools[0], { name: 'click' }], undefined, 'vllm: tools.1.input_schema must be an object'],
    [tools, 'auto', 'vllm: tool_choice must be an object'],
    [tools, { type: 'tool' }, 'vllm: tool_choice.name must be a non-empty string'],
    [tools, { type: 'sometimes' }, 'vllm: tool_choice type sometimes is not supported'],
  ])('refuses malformed tools %j / tool_choice %j with a 400', (badTools, toolChoice, message) => {
    expect(() => convertToOpenAiChatTools(badTools, toolChoice, 'vllm')).toThrow(
      expect.objectContaining({ status: 400, type: 'invalid_request_error', message }),
    );
  });
});
