import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../wire/index.js';
import { findComputerTools, mapActionInput } from './computer-tools.js';
import { parseScreenSize, resolveComputerUseMode, scaleComputerUse } from './scale-computer-use.js';

const viewOf = () => ({ width: 1389, height: 868 });

const body = (tools: unknown[], messages: MessagesRequest['messages'] = []): MessagesRequest => ({
  model: 'm',
  max_tokens: 1,
  tools,
  messages,
});

describe('findComputerTools', () => {
  it('the computer_* tools with their display size, and the toolset members', () => {
    expect(
      findComputerTools([
        { name: 'search', input_schema: {} },
        { type: 'computer_20250124', name: 'computer', display_width_px: 2560, display_height_px: 1600 },
      ]),
    ).toEqual({ names: new Set(['computer']), display: { width: 2560, height: 1600 }, toolIndexes: [1] });
    const toolset = findComputerTools([{ type: 'computer_toolset_20260801' }])!;
    expect(toolset.display).toBeUndefined();
    expect([...toolset.names]).toContain('left_click_drag');
    expect(findComputerTools([{ name: 'computer', input_schema: {} }])).toBeUndefined();
  });
});

describe('mapActionInput', () => {
  it('maps coordinate, start_coordinate and region; leaves everything else', () => {
    const double = (x: number, y: number): [number, number] => [x * 2, y * 2];
    expect(
      mapActionInput(
        { action: 'left_click_drag', start_coordinate: [1, 2], coordinate: [3, 4], text: 'shift' },
        double,
      ),
    ).toEqual({ action: 'left_click_drag', start_coordinate: [2, 4], coordinate: [6, 8], text: 'shift' });
    expect(mapActionInput({ region: [1, 2, 3, 4] }, double)).toEqual({ region: [2, 4, 6, 8] });
    const scroll = { action: 'scroll', scroll_direction: 'down', scroll_amount: 5 };
    expect(mapActionInput(scroll, double)).toBe(scroll);
    expect(mapActionInput({ coordinate: ['a', 2] }, double)).toEqual({ coordinate: ['a', 2] });
  });
});

describe('scaleComputerUse', () => {
  const tools = [
    { type: 'computer_20251124', name: 'computer', display_width_px: 2560, display_height_px: 1600 },
  ];

  it('a view pixel sent to the client and back is the same view pixel, over the whole view', () => {
    const scaling = scaleComputerUse(body(tools), { viewOf })!;
    for (let x = 0; x < 1389; x += 1) {
      const y = (x * 7) % 868;
      const event = scaling.toClient({
        type: 'tool_use',
        id: 't',
        name: 'computer',
        input: { coordinate: [x, y] },
      });
      const real = (event as { input: { coordinate: number[] } }).input.coordinate;
      expect(real[0]).toBeLessThan(2560);
      const back = scaleComputerUse(
        body(tools, [
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 't', name: 'computer', input: { coordinate: real } }],
          },
        ]),
        { viewOf },
      )!.body.messages[0]!.content as Array<{ input: unknown }>;
      expect(back[0]!.input).toEqual({ coordinate: [x, y] });
    }
  });

  it('tells the model the view size; other tools and tool calls are untouched', () => {
    const scaling = scaleComputerUse(body([...tools, { name: 'search', input_schema: {} }]), { viewOf })!;
    expect(scaling.body.tools).toEqual([
      { ...tools[0], display_width_px: 1389, display_height_px: 868 },
      { name: 'search', input_schema: {} },
    ]);
    const other = { type: 'tool_use' as const, id: 'x', name: 'search', input: { coordinate: [1, 1] } };
    expect(scaling.toClient(other)).toBe(other);
  });

  it('the toolset takes its screen from the header, else the newest screenshot; none: no scaling', () => {
    const toolset = body([{ type: 'computer_toolset_20260801' }]);
    expect(scaleComputerUse(toolset, { viewOf })).toBeUndefined();
    expect(scaleComputerUse(toolset, { viewOf, screen: parseScreenSize('2560x1600') })!.screen).toEqual({
      width: 2560,
      height: 1600,
    });
    expect(
      scaleComputerUse(toolset, { viewOf, lastScreenshot: { width: 1920, height: 1200 } })!.screen,
    ).toEqual({ width: 1920, height: 1200 });
  });

  it('modes and header values', () => {
    expect(resolveComputerUseMode('off', undefined, undefined)).toBe('off');
    expect(resolveComputerUseMode('off', 'scale', undefined)).toBe('scale');
    expect(resolveComputerUseMode('scale', undefined, 'off')).toBe('off');
    expect(() => resolveComputerUseMode('off', undefined, 'zoom')).toThrow(/use scale or off/);
    expect(() => parseScreenSize('2560 by 1600')).toThrow(/WIDTHxHEIGHT/);
  });
});
