// Computer use on a real 2560×1600 screen through the official SDK: with `sightline-computer-use: scale`,
// the model (a loopback upstream that finds coloured targets in the screenshot it receives) sees the view
// of its tier and answers in view pixels; the client gets real-screen pixels back, and its history goes
// upstream in view pixels again. Clicks, drags and zoom regions land on the real targets.
import Anthropic from '@anthropic-ai/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, planImage } from '../../src/index.js';
import {
  type ComputerUpstream,
  type SeenScreenshot,
  startComputerUpstream,
} from './support/computer-upstream.js';
import { startSightline, type TestSightline } from './support/servers.js';

const SCREEN = { width: 2560, height: 1600 };
const scale = { headers: { 'sightline-computer-use': 'scale' } };

let upstream: ComputerUpstream;
let sightline: TestSightline;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startComputerUpstream();
  sightline = await startSightline(`
backends:
  claude: { type: anthropic, base_url: "${upstream.url}", api_key: upstream-key }
models:
  - { id: "claude-*", backend: claude }
`);
  client = new Anthropic({ baseURL: sightline.url, apiKey: 'sk-computer', maxRetries: 0 });
});

afterAll(async () => {
  await sightline?.stop();
  await upstream?.close();
});

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const centre = (box: Box) => ({ x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 });

/** A 2560×1600 desktop with a red, a blue and a green target (boxes inclusive, in screen pixels). */
async function desktop(seed: number) {
  let state = seed;
  const random = (max: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state >> 8) % max;
  };
  const place = (width: number, height: number): Box => {
    const x0 = 40 + random(SCREEN.width - width - 80);
    const y0 = 40 + random(SCREEN.height - height - 80);
    return { x0, y0, x1: x0 + width - 1, y1: y0 + height - 1 };
  };
  const targets = { red: place(12, 12), blue: place(12, 12), green: place(64, 40) };
  const square = (box: Box, rgb: [number, number, number]) => ({
    input: {
      create: {
        width: box.x1 - box.x0 + 1,
        height: box.y1 - box.y0 + 1,
        channels: 3 as const,
        background: { r: rgb[0], g: rgb[1], b: rgb[2] },
      },
    },
    left: box.x0,
    top: box.y0,
  });
  const png = await sharp({
    create: { ...SCREEN, channels: 3, background: { r: 228, g: 228, b: 232 } },
  })
    .composite([
      square(targets.red, [230, 20, 20]),
      square(targets.blue, [20, 20, 230]),
      square(targets.green, [20, 200, 20]),
    ])
    .png()
    .toBuffer();
  return { png, targets };
}

const screenshotBlock = (png: Buffer) => ({
  type: 'image' as const,
  source: { type: 'base64' as const, media_type: 'image/png' as const, data: png.toString('base64') },
});

/** Distance from a point to a box (0 inside). */
const distanceToBox = ([x, y]: number[], box: Box) =>
  Math.hypot(Math.max(box.x0 - x!, 0, x! - box.x1), Math.max(box.y0 - y!, 0, y! - box.y1));

const modelClicks = (colour: 'red' | 'blue') => (seen: SeenScreenshot) => {
  const target = seen.targets[colour]!;
  return {
    name: 'computer',
    input: { action: 'left_click', coordinate: [Math.round(target.x), Math.round(target.y)] },
  };
};

const catalog = createCatalog();

describe.each([
  ['standard tier', 'claude-sonnet-4-6'],
  ['high-resolution tier', 'claude-opus-4-7'],
])('a 2560×1600 screen on the %s (%s)', (_tier, model) => {
  const plan = planImage(SCREEN.width, SCREEN.height, catalog.find(model)!.profile);
  const view = { width: plan.viewWidth, height: plan.viewHeight };
  const tools = [
    {
      type: 'computer_20251124' as const,
      name: 'computer' as const,
      display_width_px: SCREEN.width,
      display_height_px: SCREEN.height,
    },
  ];

  it('a click on a known target lands on it, JSON and streamed; the history goes back in view pixels', async () => {
    const { png, targets } = await desktop(model.length);
    const history: Anthropic.Beta.BetaMessageParam[] = [
      { role: 'user', content: 'Click the red button.' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_0', name: 'computer', input: { action: 'screenshot' } }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_0', content: [screenshotBlock(png)] }],
      },
    ];
    upstream.next = modelClicks('red');
    const { data: message, response } = await client.beta.messages
      .create({ model, max_tokens: 200, tools, messages: history, betas: ['computer-use-2025-11-24'] }, scale)
      .withResponse();
    expect(response.headers.get('sightline-computer-use')).toBe(
      `${SCREEN.width}x${SCREEN.height}>${view.width}x${view.height}`,
    );
    // the model saw the view of its tier and was told that size
    const sent = upstream.requests.at(-1)!.body;
    expect((sent.tools as Array<Record<string, unknown>>)[0]).toMatchObject({
      display_width_px: view.width,
      display_height_px: view.height,
    });
    expect([upstream.seen.at(-1)!.width, upstream.seen.at(-1)!.height]).toEqual([view.width, view.height]);
    const click = message.content.find((block) => block.type === 'tool_use')!;
    const coordinate = (click.input as { coordinate: number[] }).coordinate;
    expect(distanceToBox(coordinate, targets.red)).toBeLessThanOrEqual(1);
    const error = Math.hypot(coordinate[0]! - centre(targets.red).x, coordinate[1]! - centre(targets.red).y);
    expect(error).toBeLessThanOrEqual(plan.width / plan.viewWidth + 1);

    // streamed: the SDK rebuilds the input from input_json_delta, and gets the same real-screen pixels
    const streamed = await client.beta.messages
      .stream({ model, max_tokens: 200, tools, messages: history, betas: ['computer-use-2025-11-24'] }, scale)
      .finalMessage();
    expect(streamed.content.find((block) => block.type === 'tool_use')!.input).toEqual(click.input);

    // the next turn: the client sends its action back in real pixels; the model gets its own view pixels
    const viewClick = [
      Math.round(upstream.seen.at(-1)!.targets.red!.x),
      Math.round(upstream.seen.at(-1)!.targets.red!.y),
    ];
    upstream.next = () => ({ name: 'computer', input: { action: 'screenshot' } });
    await client.beta.messages.create(
      {
        model,
        max_tokens: 200,
        tools,
        betas: ['computer-use-2025-11-24'],
        messages: [
          ...history,
          { role: 'assistant', content: [click as Anthropic.Beta.BetaToolUseBlockParam] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: click.id, content: [screenshotBlock(png)] }],
          },
        ],
      },
      scale,
    );
    const echoed = (
      upstream.requests.at(-1)!.body.messages as Array<{ content: Array<{ input?: unknown }> }>
    )[3]!.content[0]!.input;
    expect(echoed).toEqual({ action: 'left_click', coordinate: viewClick });
  });

  it('a drag from one target to another lands on both', async () => {
    const { png, targets } = await desktop(model.length * 7);
    upstream.next = (seen) => ({
      name: 'computer',
      input: {
        action: 'left_click_drag',
        start_coordinate: [Math.round(seen.targets.red!.x), Math.round(seen.targets.red!.y)],
        coordinate: [Math.round(seen.targets.blue!.x), Math.round(seen.targets.blue!.y)],
      },
    });
    const message = await client.beta.messages
      .stream(
        {
          model,
          max_tokens: 200,
          tools,
          betas: ['computer-use-2025-11-24'],
          messages: [
            { role: 'user', content: [screenshotBlock(png), { type: 'text', text: 'Drag red onto blue.' }] },
          ],
        },
        scale,
      )
      .finalMessage();
    const input = message.content.find((block) => block.type === 'tool_use')!.input as Record<
      string,
      number[]
    >;
    expect(distanceToBox(input.start_coordinate!, targets.red)).toBeLessThanOrEqual(1);
    expect(distanceToBox(input.coordinate!, targets.blue)).toBeLessThanOrEqual(1);
  });

  it('the computer toolset: a zoom region around a target maps to the real target', async () => {
    const { png, targets } = await desktop(model.length * 13);
    upstream.next = (seen) => {
      const green = seen.targets.green!;
      return { name: 'zoom', input: { region: [green.x0, green.y0, green.x1, green.y1] } };
    };
    const message = await client.messages.create(
      {
        model,
        max_tokens: 200,
        tools: [{ type: 'computer_toolset_20260801' }],
        messages: [
          {
            role: 'user',
            content: [screenshotBlock(png), { type: 'text', text: 'Zoom on the green panel.' }],
          },
        ],
      } as Anthropic.MessageCreateParamsNonStreaming,
      scale,
    );
    const region = (message.content.find((block) => block.type === 'tool_use')!.input as { region: number[] })
      .region;
    const pixel = plan.width / plan.viewWidth; // one view pixel, in screen pixels
    const { green } = targets;
    // each edge within one view pixel (plus rounding) of the real edge
    expect(Math.abs(region[0]! - green.x0)).toBeLessThanOrEqual(pixel + 1);
    expect(Math.abs(region[1]! - green.y0)).toBeLessThanOrEqual(pixel + 1);
    expect(Math.abs(region[2]! - green.x1)).toBeLessThanOrEqual(pixel + 1);
    expect(Math.abs(region[3]! - green.y1)).toBeLessThanOrEqual(pixel + 1);
  });
});

describe('off by default', () => {
  it('without the header nothing is rewritten: the display size and coordinates pass as they are', async () => {
    const { png } = await desktop(5);
    upstream.next = () => ({ name: 'computer', input: { action: 'left_click', coordinate: [700, 400] } });
    const tools = [
      {
        type: 'computer_20250124' as const,
        name: 'computer' as const,
        display_width_px: 2560,
        display_height_px: 1600,
      },
    ];
    const message = await client.beta.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools,
      betas: ['computer-use-2025-01-24'],
      messages: [{ role: 'user', content: [screenshotBlock(png)] }],
    });
    expect(message.content.find((block) => block.type === 'tool_use')!.input).toEqual({
      action: 'left_click',
      coordinate: [700, 400],
    });
    expect((upstream.requests.at(-1)!.body.tools as unknown[])[0]).toEqual(tools[0]);
  });
});
