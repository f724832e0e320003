// Unit tests of the mapping from upstream SSE events / JSON Messages to BackendEvents.
import { describe, expect, it } from 'vitest';
import type { ServerSentEvent } from '../../net/index.js';
import type { BackendEvent } from '../types.js';
import { mapAnthropicMessage, mapAnthropicStream } from './map-anthropic-stream.js';

const frame = (event: string | null, payload: unknown): ServerSentEvent => ({
  event,
  data: typeof payload === 'string' ? payload : JSON.stringify(payload),
});

async function run(frames: ServerSentEvent[]): Promise<{ events: BackendEvent[]; error: unknown }> {
  async function* source() {
    yield* frames;
  }
  const events: BackendEvent[] = [];
  try {
    for await (const event of mapAnthropicStream(source(), 'test')) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

const messageStart = (inputTokens: number) =>
  frame('message_start', {
    type: 'message_start',
    message: { type: 'message', content: [], usage: { input_tokens: inputTokens, output_tokens: 1 } },
  });
const textDelta = (text: string) =>
  frame('content_block_delta', {
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'text_delta', text },
  });
const messageDelta = (stopReason: string, outputTokens: number, inputTokens: number | null = null) =>
  frame('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: stopReason === 'stop_sequence' ? '###' : null },
    usage: { output_tokens: outputTokens, input_tokens: inputTokens },
  });
const messageStop = frame('message_stop', { type: 'message_stop' });

describe('mapAnthropicStream', () => {
  it('yields text deltas, then one end with the last cumulative counts', async () => {
    const { events, error } = await run([
      messageStart(10),
      frame('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text' },
      }),
      frame('ping', { type: 'ping' }),
      textDelta('a'),
      frame('some_future_event', { type: 'some_future_event' }),
      textDelta('b'),
      frame('content_block_stop', { type: 'content_block_stop', index: 0 }),
      messageDelta('max_tokens', 3),
      messageDelta('stop_sequence', 5, 12),
      messageStop,
      textDelta('after the stop is never read'),
    ]);
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'start', usage: { inputTokens: 10, outputTokens: 1 } },
      { type: 'text_delta', text: 'a' },
      { type: 'text_delta', text: 'b' },
      {
        type: 'end',
        stopReason: 'stop_sequence',
        stopSequence: '###',
        usage: { inputTokens: 12, outputTokens: 5 },
      },
    ]);
  });

  it('skips thinking blocks silently', async () => {
    const { events, error } = await run([
      messageStart(1),
      frame('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '' },
      }),
      frame('content_block_delta', {
        type: 'content_block_delta',
        delta: { type: 'thinking_delta', thinking: 'x' },
      }),
      frame('content_block_start', {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'redacted_thinking', data: 'opaque' },
      }),
      textDelta('visible'),
      messageDelta('end_turn', 2),
      messageStop,
    ]);
    expect(error).toBeUndefined();
    expect(events.filter((event) => event.type === 'text_delta')).toEqual([
      { type: 'text_delta', text: 'visible' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'end', stopReason: 'end_turn' });
  });

  it('relays a tool_use block piece by piece, its input joined and parsed at its content_block_stop', async () => {
    const toolBlock = (index: number, id: string, pieces: string[]) => [
      frame('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id, name: 'computer', input: {} },
      }),
      ...pieces.map((partial_json) =>
        frame('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json },
        }),
      ),
      frame('content_block_stop', { type: 'content_block_stop', index }),
    ];
    const { events, error } = await run([
      messageStart(1),
      textDelta('Clicking.'),
      ...toolBlock(1, 'toolu_01', ['{"action": "left_click", ', '"coordinate": [70', '0, 400]}']),
      ...toolBlock(2, 'toolu_02', []),
      messageDelta('tool_use', 9),
      messageStop,
    ]);
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'start', usage: { inputTokens: 1, outputTokens: 1 } },
      { type: 'text_delta', text: 'Clicking.' },
      { type: 'tool_use_start', id: 'toolu_01', name: 'computer' },
      { type: 'tool_input_delta', partialJson: '{"action": "left_click", ' },
      { type: 'tool_input_delta', partialJson: '"coordinate": [70' },
      { type: 'tool_input_delta', partialJson: '0, 400]}' },
      { type: 'tool_use_stop', input: { action: 'left_click', coordinate: [700, 400] } },
      { type: 'tool_use_start', id: 'toolu_02', name: 'computer' },
      { type: 'tool_use_stop', input: {} },
      { type: 'end', stopReason: 'tool_use', stopSequence: null, usage: { inputTokens: 1, outputTokens: 9 } },
    ]);
    const broken = await run([messageStart(1), ...toolBlock(1, 'toolu_03', ['{"action": ']), messageStop]);
    expect(broken.error).toMatchObject({
      status: 500,
      message: 'test: the upstream sent a tool input that is not JSON',
    });
  });

  it.each(['server_tool_use'])(
    'fails on a %s block instead of dropping it, after the text before it',
    async (blockType) => {
      const { events, error } = await run([
        messageStart(1),
        textDelta('Let me check.'),
        frame('content_block_start', {
          type: 'content_block_start',
          index: 1,
          content_block: { type: blockType, id: 'toolu_01', name: 'get_weather', input: {} },
        }),
        frame('content_block_delta', {
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'input_json_delta', partial_json: '{' },
        }),
        messageDelta('tool_use', 2),
        messageStop,
      ]);
      expect(events.slice(1)).toEqual([{ type: 'text_delta', text: 'Let me check.' }]);
      expect(error).toMatchObject({
        status: 500,
        type: 'api_error',
        message: `test: the upstream answered with a ${blockType} block, which Sightline cannot relay yet`,
      });
    },
  );

  it('falls back to the JSON type when a frame has no event name', async () => {
    const { events } = await run([
      frame(null, { type: 'message_start', message: { usage: { input_tokens: 4 } } }),
      frame(null, { type: 'content_block_delta', delta: { type: 'text_delta', text: 'hi' } }),
      frame(null, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }),
      frame(null, { type: 'message_stop' }),
    ]);
    expect(events).toEqual([
      { type: 'start', usage: { inputTokens: 4 } },
      { type: 'text_delta', text: 'hi' },
      { type: 'end', stopReason: 'end_turn', stopSequence: null, usage: { inputTokens: 4, outputTokens: 1 } },
    ]);
  });

  it('throws the in-band error after yielding the deltas before it', async () => {
    const { events, error } = await run([
      messageStart(1),
      textDelta('partial'),
      frame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]);
    expect(events.slice(1)).toEqual([{ type: 'text_delta', text: 'partial' }]);
    expect(error).toMatchObject({ status: 529, type: 'overloaded_error', message: 'Overloaded' });
  });

  it('rejects a malformed known event, and a stream cut before any stop reason', async () => {
    expect((await run([frame('content_block_delta', '{not json')])).error).toMatchObject({
      status: 500,
      type: 'api_error',
    });
    const cut = await run([messageStart(1), textDelta('x')]);
    expect(cut.events.slice(1)).toEqual([{ type: 'text_delta', text: 'x' }]);
    expect(cut.error).toMatchObject({ status: 500, type: 'api_error', message: /ended before message_stop/ });
  });

  it('starts on the upstream message_start, before any delta; an error before it stays an HTTP error', async () => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow() {
      yield messageStart(42);
      await gate; // the first delta is held back until start has been seen
      yield textDelta('late');
    }
    const iterator = mapAnthropicStream(slow(), 'test')[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({
      type: 'start',
      usage: { inputTokens: 42, outputTokens: 1 },
    });
    release();
    expect((await iterator.next()).value).toEqual({ type: 'text_delta', text: 'late' });
    await iterator.return?.(undefined);

    const early = await run([
      frame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    ]);
    expect(early.events).toEqual([]);
    expect(early.error).toMatchObject({ status: 529 });
    // an upstream that skips message_start is started by its first event, with no counts
    const bare = await run([textDelta('x'), messageDelta('end_turn', 1), messageStop]);
    expect(bare.events.slice(0, 2)).toEqual([{ type: 'start' }, { type: 'text_delta', text: 'x' }]);
  });

  it('ends a stream cut after its final message_delta', async () => {
    const { events, error } = await run([messageStart(1), textDelta('x'), messageDelta('end_turn', 2)]);
    expect(error).toBeUndefined();
    expect(events.at(-1)).toEqual({
      type: 'end',
      stopReason: 'end_turn',
      stopSequence: null,
      usage: { inputTokens: 1, outputTokens: 2 },
    });
  });
});

describe('mapAnthropicMessage', () => {
  it('maps the text blocks and usage of a JSON Message', () => {
    expect(
      mapAnthropicMessage(
        {
          type: 'message',
          content: [
            { type: 'thinking', thinking: 'hidden' },
            { type: 'text', text: 'one ' },
            { type: 'text', text: 'two' },
          ],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 7, output_tokens: 3 },
        },
        'test',
      ),
    ).toEqual([
      { type: 'start', usage: { inputTokens: 7 } },
      { type: 'text_delta', text: 'one ' },
      { type: 'text_delta', text: 'two' },
      { type: 'end', stopReason: 'end_turn', stopSequence: null, usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
  });

  it('relays the tool_use blocks of a Message', () => {
    expect(
      mapAnthropicMessage(
        {
          type: 'message',
          content: [
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
          ],
          stop_reason: 'tool_use',
          usage: { input_tokens: 7, output_tokens: 3 },
        },
        'test',
      ),
    ).toEqual([
      { type: 'start', usage: { inputTokens: 7 } },
      { type: 'text_delta', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'end', stopReason: 'tool_use', stopSequence: null, usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
  });

  it('throws on an error body or a malformed one', () => {
    expect(() =>
      mapAnthropicMessage({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } }, 'test'),
    ).toThrow('busy');
    expect(() => mapAnthropicMessage(undefined, 'test')).toThrow(/malformed/);
  });
});
