import { describe, expect, it } from 'vitest';
import { scaleComputerUse } from '../computer-use/index.js';
import { mapToClient } from './apply-computer-use.js';

const scaling = scaleComputerUse(
  {
    model: 'm',
    max_tokens: 1,
    messages: [],
    tools: [{ type: 'computer_20250124', name: 'computer', display_width_px: 2000, display_height_px: 1000 }],
  },
  { viewOf: () => ({ width: 1000, height: 500 }) },
)!;

async function collect<E>(events: E[]): Promise<E[]> {
  async function* source() {
    yield* events;
  }
  const out: E[] = [];
  for await (const event of mapToClient(source() as AsyncIterable<E & { type: string }>, scaling))
    out.push(event);
  return out;
}

describe('mapToClient', () => {
  it('maps a whole computer tool call; other events pass as they are', async () => {
    expect(
      await collect([
        { type: 'text_delta', text: 'Clicking.' },
        {
          type: 'tool_use',
          id: 't',
          name: 'computer',
          input: { action: 'left_click', coordinate: [100, 50] },
        },
        { type: 'tool_use', id: 'u', name: 'search', input: { coordinate: [100, 50] } },
      ]),
    ).toEqual([
      { type: 'text_delta', text: 'Clicking.' },
      {
        type: 'tool_use',
        id: 't',
        name: 'computer',
        input: { action: 'left_click', coordinate: [200, 100] },
      },
      { type: 'tool_use', id: 'u', name: 'search', input: { coordinate: [100, 50] } },
    ]);
  });

  it('holds a streamed computer call until it stops, then emits one delta with the mapped input', async () => {
    const input = { action: 'left_click_drag', start_coordinate: [10, 20], coordinate: [30, 40] };
    const json = JSON.stringify(input);
    expect(
      await collect([
        { type: 'tool_use_start', id: 't', name: 'computer' },
        { type: 'tool_input_delta', partialJson: json.slice(0, 9) },
        { type: 'tool_input_delta', partialJson: json.slice(9) },
        { type: 'tool_use_stop', input },
        { type: 'end' },
      ]),
    ).toEqual([
      { type: 'tool_use_start', id: 't', name: 'computer' },
      {
        type: 'tool_input_delta',
        partialJson: JSON.stringify({
          action: 'left_click_drag',
          start_coordinate: [20, 40],
          coordinate: [60, 80],
        }),
      },
      {
        type: 'tool_use_stop',
        input: { action: 'left_click_drag', start_coordinate: [20, 40], coordinate: [60, 80] },
      },
      { type: 'end' },
    ]);
  });

  it('streams other tools piece by piece, and releases a computer call cut short as it came', async () => {
    const pieces = [
      { type: 'tool_use_start', id: 'u', name: 'search' },
      { type: 'tool_input_delta', partialJson: '{"q":' },
      { type: 'tool_input_delta', partialJson: '"x"}' },
      { type: 'tool_use_stop', input: { q: 'x' } },
    ];
    expect(await collect(pieces)).toEqual(pieces);
    const cut = [
      { type: 'tool_use_start', id: 't', name: 'computer' },
      { type: 'tool_input_delta', partialJson: '{"action":"le' },
      { type: 'end' },
    ];
    expect(await collect(cut)).toEqual(cut);
  });
});
