// A loopback Anthropic upstream that plays a computer-use model: it looks at the newest screenshot it
// received (the view Sightline sent), finds the coloured targets in it, and answers one computer action in
// the pixels of that image, streamed as Claude streams tool input (input_json_delta pieces).
import sharp from 'sharp';
import { startAnthropicUpstream } from '../../support/upstreams.js';

export type Colour = 'red' | 'blue' | 'green';

export interface SeenScreenshot {
  width: number;
  height: number;
  /** centroid of each target colour, in pixels of the received image */
  targets: Partial<Record<Colour, { x: number; y: number; x0: number; y0: number; x1: number; y1: number }>>;
}

const COLOURS: Record<Colour, [number, number, number]> = {
  red: [230, 20, 20],
  blue: [20, 20, 230],
  green: [20, 200, 20],
};

/** Finds each target colour's pixels: centroid and bounding box. */
export async function look(png: Buffer): Promise<SeenScreenshot> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const seen: SeenScreenshot = { width: info.width, height: info.height, targets: {} };
  for (const [name, [r, g, b]] of Object.entries(COLOURS) as Array<[Colour, [number, number, number]]>) {
    let count = 0;
    let sumX = 0;
    let sumY = 0;
    let [x0, y0, x1, y1] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -1, -1];
    for (let y = 0; y < info.height; y += 1) {
      for (let x = 0; x < info.width; x += 1) {
        const at = (y * info.width + x) * 3;
        const close =
          Math.abs(data[at]! - r) < 60 &&
          Math.abs(data[at + 1]! - g) < 60 &&
          Math.abs(data[at + 2]! - b) < 60;
        if (!close) continue;
        count += 1;
        sumX += x;
        sumY += y;
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
    }
    if (count > 0) seen.targets[name] = { x: sumX / count, y: sumY / count, x0, y0, x1, y1 };
  }
  return seen;
}

export interface ComputerUpstream {
  url: string;
  requests: Array<{ body: Record<string, unknown> }>;
  /** what the model saw in the newest screenshot of each request */
  seen: SeenScreenshot[];
  /** the action to answer next: builds the tool call from what the model saw */
  next: (seen: SeenScreenshot) => { name: string; input: Record<string, unknown> };
  close(): Promise<void>;
}

type Block = { type: string; content?: Block[]; source?: { data?: string } };

function newestImage(body: Record<string, unknown>): string | undefined {
  const messages = body.messages as Array<{ content: Block[] | string }>;
  for (let m = messages.length - 1; m >= 0; m -= 1) {
    const content = messages[m]!.content;
    if (typeof content === 'string') continue;
    for (let b = content.length - 1; b >= 0; b -= 1) {
      const block = content[b]!;
      const inner = block.type === 'tool_result' ? (block.content ?? []) : [block];
      for (let i = inner.length - 1; i >= 0; i -= 1)
        if (inner[i]!.type === 'image' && inner[i]!.source?.data) return inner[i]!.source!.data;
    }
  }
  return undefined;
}

/** Starts the computer-use model; `next` decides each answer. */
export async function startComputerUpstream(): Promise<ComputerUpstream> {
  // the plain upstream records requests and streams text + one tool call; the model fills the call in
  const base = await startAnthropicUpstream();
  const upstream: ComputerUpstream = {
    url: base.url,
    requests: base.requests as ComputerUpstream['requests'],
    seen: [],
    next: () => ({ name: 'computer', input: { action: 'screenshot' } }),
    close: () => base.close(),
  };
  base.reply.text = 'I see it.';
  base.reply.prepare = async (body) => {
    const data = newestImage(body);
    if (data === undefined) throw new Error('the model received no screenshot');
    const seen = await look(Buffer.from(data, 'base64'));
    upstream.seen.push(seen);
    base.reply.toolUse = { id: `toolu_${upstream.seen.length}`, ...upstream.next(seen) };
  };
  return upstream;
}
