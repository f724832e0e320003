// Validation as the API does it (docs/rules/requests.md §3), by API version and model, with the exact
// messages: SDK 1.15 sends anthropic-version 2026-10-21, SDK 0.120 sends 2023-06-01.
import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import AnthropicV0 from 'anthropic-sdk-v0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let client: Anthropic; // 2026-10-21
let legacy: AnthropicV0; // 2023-06-01

type Params = Record<string, unknown>;
const hello = [{ role: 'user', content: 'Hello' }];

/** The message of the 400 a request gets, or 'ok'. */
async function outcome(sdk: Anthropic | AnthropicV0, params: Params): Promise<string> {
  try {
    await (sdk as Anthropic).messages.create({
      max_tokens: 16,
      messages: hello,
      ...params,
    } as unknown as Anthropic.MessageCreateParamsNonStreaming);
    return 'ok';
  } catch (error) {
    if (sdk === client) expect(error).toBeInstanceOf(BadRequestError);
    expect((error as { status?: number }).status).toBe(400);
    return (error as { error: { error: { message: string } } }).error.error.message;
  }
}

beforeAll(async () => {
  sightline = await startSightline();
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-validation', maxRetries: 0 });
  legacy = new AnthropicV0({ baseURL: sightline.url, apiKey: 'sk-validation', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
});

describe('sampling parameters', () => {
  it('on 2026-10-21 (SDK 1.15) any of them is refused, even at its default, on every model', async () => {
    expect(await outcome(client, { model: 'claude-haiku-4-5', temperature: 1 })).toBe(
      'temperature: Extra inputs are not permitted',
    );
    expect(await outcome(client, { model: 'claude-opus-4-6', top_p: 0.9 })).toBe(
      'top_p: Extra inputs are not permitted',
    );
    expect(await outcome(client, { model: 'claude-haiku-4-5', top_k: 5 })).toBe(
      'top_k: Extra inputs are not permitted',
    );
    expect(await outcome(client, { model: 'claude-haiku-4-5' })).toBe('ok');
  });

  it('on 2023-06-01 (SDK 0.120) Claude 4.7+ refuse non-default values; older models take them', async () => {
    expect(await outcome(legacy, { model: 'claude-opus-4-7', temperature: 0.2 })).toBe(
      '`temperature` is deprecated for this model.',
    );
    expect(await outcome(legacy, { model: 'claude-sonnet-5-5', top_p: 0.5 })).toBe(
      '`top_p` is deprecated for this model.',
    );
    expect(await outcome(legacy, { model: 'claude-opus-4-7', temperature: 1 })).toBe('ok');
    expect(await outcome(legacy, { model: 'claude-opus-4-6', temperature: 0.2, top_k: 5 })).toBe('ok');
  });
});

describe('max_tokens', () => {
  // streamed: the SDK itself refuses a non-streaming request this large before sending it
  it("above the model's output limit, naming the model's full id", async () => {
    expect(await outcome(client, { model: 'claude-opus-4-5', max_tokens: 128_001, stream: true })).toBe(
      'max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens for claude-opus-4-5-20251101',
    );
    expect(await outcome(client, { model: 'claude-opus-4-7', max_tokens: 128_001, stream: true })).toBe(
      'max_tokens: 128001 > 128000, which is the maximum allowed number of output tokens for claude-opus-4-7',
    );
  });

  it('0 is allowed (it only fills the prompt cache)', async () => {
    expect(await outcome(client, { model: 'claude-haiku-4-5', max_tokens: 0 })).toBe('ok');
  });
});

describe('content', () => {
  const model = 'claude-haiku-4-5';

  it('empty and whitespace-only text blocks, in turns and tool results', async () => {
    expect(
      await outcome(client, { model, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }),
    ).toBe('messages: text content blocks must be non-empty');
    expect(
      await outcome(client, {
        model,
        messages: [{ role: 'user', content: [{ type: 'text', text: ' \n\t' }] }],
      }),
    ).toBe('messages: text content blocks must contain non-whitespace text');
    expect(
      await outcome(client, {
        model,
        messages: [
          { role: 'user', content: 'Run it' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'run', input: {} }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '' }] }],
          },
        ],
      }),
    ).toBe('messages: text content blocks must be non-empty');
  });

  it('empty content, except on a final assistant turn', async () => {
    expect(
      await outcome(client, {
        model,
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: [] },
          { role: 'user', content: 'Hello?' },
        ],
      }),
    ).toBe(
      'messages.1: all messages must have non-empty content except for the optional final assistant message',
    );
    expect(await outcome(client, { model, messages: [{ role: 'user', content: '' }] })).toBe(
      'messages.0: all messages must have non-empty content except for the optional final assistant message',
    );
  });

  it("messages: [] (the API wording is not confirmed; this is Sightline's)", async () => {
    expect(await outcome(client, { model, messages: [] })).toBe('messages: at least one message is required');
    await expect(client.messages.countTokens({ model, messages: [] })).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });

  it('consecutive turns of one role are merged, not refused', async () => {
    expect(
      await outcome(client, {
        model,
        messages: [
          { role: 'user', content: 'Hello' },
          { role: 'user', content: 'Are you there?' },
        ],
      }),
    ).toBe('ok');
  });
});

describe('assistant prefill', () => {
  const prefilled = [
    { role: 'user', content: 'Name a colour.' },
    { role: 'assistant', content: 'The colour is' },
  ];

  it('is refused by Claude 4.6 and later, accepted by Haiku 4.5', async () => {
    for (const model of [
      'claude-opus-4-6',
      'claude-sonnet-4-6',
      'claude-opus-4-7',
      'claude-mythos-preview',
    ]) {
      expect(await outcome(client, { model, messages: prefilled }), model).toBe(
        'This model does not support assistant message prefill. The conversation must end with a user message.',
      );
    }
    expect(await outcome(client, { model: 'claude-haiku-4-5', messages: prefilled })).toBe('ok');
  });
});

describe('thinking and tool_choice, by model', () => {
  it('thinking.type "enabled" on Claude 4.7+, forced tool_choice on Opus 5.5', async () => {
    expect(
      await outcome(client, { model: 'claude-opus-4-8', thinking: { type: 'enabled', budget_tokens: 1024 } }),
    ).toBe(
      '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
    const tools = [{ name: 'look', description: 'Look', input_schema: { type: 'object', properties: {} } }];
    expect(await outcome(client, { model: 'claude-opus-5-5', tools, tool_choice: { type: 'any' } })).toBe(
      'tool_choice: type "tool" and "any" are not supported for this model.',
    );
  });
});
