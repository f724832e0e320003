// Unit tests of the tool call accumulator: pieces split anywhere and interleaved by index, parallel
// calls, index order, generated ids, and the 500s for arguments that are not JSON or a missing name.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors/index.js';
import { createOpenAiToolCallAccumulator, generateToolUseId } from './accumulate-openai-tool-calls.js';
import type { OpenAiChatToolCallFragment } from './read-openai-chat-response.js';

function piece(
  index: number | undefined,
  argumentsText: string,
  start?: { id?: string; name?: string },
): OpenAiChatToolCallFragment {
  return { index, id: start?.id, name: start?.name, arguments: argumentsText };
}

/** Splits text into pieces of `size` characters. */
function split(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) pieces.push(text.slice(offset, offset + size));
  return pieces;
}

describe('createOpenAiToolCallAccumulator', () => {
  it('joins arguments split across many pieces and parses them', () => {
    const accumulator = createOpenAiToolCallAccumulator('t');
    const argumentsText = JSON.stringify({ action: 'left_click', coordinate: [640, 400], note: 'Ça 👍' });
    accumulator.add(piece(0, '', { id: 'call_1', name: 'computer' }));
    for (const text of split(argumentsText, 3)) accumulator.add(piece(0, text));
    expect(accumulator.drain()).toEqual([
      {
        type: 'tool_use',
        id: 'call_1',
        name: 'computer',
        input: { action: 'left_click', coordinate: [640, 400], note: 'Ça 👍' },
      },
    ]);
    expect(accumulator.drain()).toEqual([]);
  });

  it('separates interleaved indexes and yields the calls in index order', () => {
    const accumulator = createOpenAiToolCallAccumulator('t');
    accumulator.add(piece(1, '{"city":', { id: 'call_b', name: 'weather' }));
    accumulator.add(piece(0, '{"q', { id: 'call_a', name: 'search' }));
    accumulator.add(piece(1, '"Paris"'));
    accumulator.add(piece(0, '":"cats"'));
    accumulator.add(piece(0, '}'));
    accumulator.add(piece(1, '}'));
    expect(accumulator.drain()).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'search', input: { q: 'cats' } },
      { type: 'tool_use', id: 'call_b', name: 'weather', input: { city: 'Paris' } },
    ]);
  });

  it('takes two parallel calls sent whole, and empty arguments as {}', () => {
    const accumulator = createOpenAiToolCallAccumulator('t');
    accumulator.add(piece(0, '', { id: 'call_1', name: 'screenshot' }));
    accumulator.add(piece(1, '  ', { id: 'call_2', name: 'screenshot' }));
    expect(accumulator.drain()).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'screenshot', input: {} },
      { type: 'tool_use', id: 'call_2', name: 'screenshot', input: {} },
    ]);
  });

  it('starts a new call when a piece at a used index carries another id, or has no index', () => {
    const accumulator = createOpenAiToolCallAccumulator('t');
    // A server that numbers every parallel call 0.
    accumulator.add(piece(0, '{"a":', { id: 'call_1', name: 'first' }));
    accumulator.add(piece(0, '1}', { id: 'call_1' }));
    accumulator.add(piece(0, '{"b":', { id: 'call_2', name: 'second' }));
    accumulator.add(piece(0, '2}'));
    // A server that sends no index at all.
    accumulator.add(piece(undefined, '{"c":3}', { id: 'call_3', name: 'third' }));
    accumulator.add(piece(undefined, '{"d":', { id: 'call_4', name: 'fourth' }));
    accumulator.add(piece(undefined, '4}'));
    expect(accumulator.drain()).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'first', input: { a: 1 } },
      { type: 'tool_use', id: 'call_2', name: 'second', input: { b: 2 } },
      { type: 'tool_use', id: 'call_3', name: 'third', input: { c: 3 } },
      { type: 'tool_use', id: 'call_4', name: 'fourth', input: { d: 4 } },
    ]);
  });

  it('generates a toolu_ id for a call sent without one', () => {
    const accumulator = createOpenAiToolCallAccumulator('t');
    accumulator.add(piece(0, '{}', { name: 'screenshot' }));
    accumulator.add(piece(1, '{}', { name: 'screenshot' }));
    const [first, second] = accumulator.drain();
    expect(first?.id).toMatch(/^toolu_[0-9A-Za-z]{24}$/);
    expect(second?.id).toMatch(/^toolu_[0-9A-Za-z]{24}$/);
    expect(first?.id).not.toBe(second?.id);
    expect(generateToolUseId()).toMatch(/^toolu_[0-9A-Za-z]{24}$/);
  });

  it('throws a 500 api_error for arguments that are not JSON', () => {
    const accumulator = createOpenAiToolCallAccumulator('ollama');
    accumulator.add(piece(0, '{"x": 1', { id: 'call_1', name: 'click' }));
    const drain = (): unknown => accumulator.drain();
    expect(drain).toThrow(ApiError);
    accumulator.add(piece(0, '{"x": 1', { id: 'call_1', name: 'click' }));
    expect(drain).toThrow(
      expect.objectContaining({
        status: 500,
        type: 'api_error',
        message: 'ollama: the upstream sent tool call arguments that are not JSON',
      }),
    );
  });

  it('throws a 500 api_error for a call without a name', () => {
    const accumulator = createOpenAiToolCallAccumulator('ollama');
    accumulator.add(piece(0, '{}', { id: 'call_1' }));
    expect(() => accumulator.drain()).toThrow(
      expect.objectContaining({
        status: 500,
        type: 'api_error',
        message: 'ollama: the upstream sent a tool call without a name',
      }),
    );
  });
});
