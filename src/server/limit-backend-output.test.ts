// The runaway-output stop, with streamed tool calls: their pieces count, and a cut inside one closes it.
import { describe, expect, it } from 'vitest';
import type { BackendEvent } from '../backends/types.js';
import { limitBackendOutput, outputAllowance } from './limit-backend-output.js';

async function run(events: BackendEvent[], maxTokens: number): Promise<BackendEvent[]> {
  async function* source() {
    yield* events;
  }
  const seen: BackendEvent[] = [];
  for await (const event of limitBackendOutput(source(), maxTokens)) seen.push(event);
  return seen;
}

const end: BackendEvent = { type: 'end', stopReason: 'end_turn', stopSequence: null, usage: {} };

describe('limitBackendOutput', () => {
  it('passes an answer within the allowance through unchanged', async () => {
    const events: BackendEvent[] = [
      { type: 'start' },
      { type: 'text_delta', text: 'ok' },
      { type: 'tool_use_start', id: 'toolu_1', name: 'f' },
      { type: 'tool_input_delta', partialJson: '{"a":' },
      { type: 'tool_input_delta', partialJson: '1}' },
      { type: 'tool_use_stop', input: { a: 1 } },
      end,
    ];
    expect(await run(events, 100)).toEqual(events);
  });

  it('counts streamed tool input pieces, and closes the open tool call before a max_tokens end', async () => {
    const piece = 'x'.repeat(4 * outputAllowance(1)); // one piece is the whole allowance
    const seen = await run(
      [
        { type: 'start' },
        { type: 'tool_use_start', id: 'toolu_1', name: 'f' },
        { type: 'tool_input_delta', partialJson: piece },
        { type: 'tool_input_delta', partialJson: 'more' },
        { type: 'tool_use_stop', input: {} },
        end,
      ],
      1,
    );
    expect(seen.map((event) => event.type)).toEqual([
      'start',
      'tool_use_start',
      'tool_input_delta',
      'tool_use_stop',
      'end',
    ]);
    expect(seen.at(-1)).toMatchObject({ stopReason: 'max_tokens', usage: { outputTokens: 1 } });
  });
});
