import { describe, expect, it } from 'vitest';
import { createImagePipeline } from '../../../src/imaging/index.js';
import { type RepairImageRef, repairRequest } from '../../../src/repair/repair-request.js';
import { formatRepairsHeader } from '../../../src/repair/report-header.js';
import { resolveRepairSettings } from '../../../src/repair/settings.js';
import type { RepairLimits, RepairReport } from '../../../src/repair/types.js';
import type { ImageBlockParam, MessagesRequest } from '../../../src/wire/index.js';
import { halves } from '../../support/images.js';

const pipeline = createImagePipeline();
const limits: RepairLimits = {
  maxImageBytes: 5 * 1024 * 1024,
  maxSide: 8000,
  manyImagesThreshold: 20,
  manyImagesMaxSide: 2000,
  maxImages: 100,
  maxRequestBytes: 32 * 1024 * 1024,
};

const block = (bytes: Buffer): ImageBlockParam => ({
  type: 'image',
  source: { type: 'base64', media_type: 'image/png', data: bytes.toString('base64') },
});

/** A session: `count` turns of (tool_use, tool_result with `image(turn)`), as parseMessagesRequest finds them. */
function session(count: number, image: (turn: number) => ImageBlockParam) {
  const messages: MessagesRequest['messages'] = [{ role: 'user', content: 'Go.' }];
  const images: RepairImageRef[] = [];
  for (let turn = 1; turn <= count; turn += 1) {
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id: `t${turn}`, name: 'computer', input: {} }],
    });
    const shot = image(turn);
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: `t${turn}`, content: [shot] }],
    });
    images.push({ path: `messages.${messages.length - 1}.content.0.tool_result.content.0`, block: shot });
  }
  const body: MessagesRequest = { model: 'm', max_tokens: 1, messages };
  return { body, images, bodyBytes: Buffer.byteLength(JSON.stringify(body)) };
}

const run = (input: ReturnType<typeof session>, settings: { images: boolean; history: boolean }, keep = 3) =>
  repairRequest({
    ...input,
    settings: { ...settings, keepRecentScreenshots: keep },
    limits,
    decode: (source) => pipeline.decodeSource(source),
    viewSize: (width, height) => ({ width: Math.min(width, 100), height: Math.min(height, 100) }),
  });

describe('repairRequest', () => {
  it('changes nothing (same body object) when the request is acceptable or repair is off', async () => {
    const small = block(await halves(40, 30, [0, 0, 0], [9, 9, 9]));
    const input = session(3, () => small);
    expect(await run(input, { images: true, history: true })).toEqual({
      body: input.body,
      repairs: [],
      bodyBytes: input.bodyBytes,
    });
    const many = session(120, () => small);
    expect((await run(many, { images: false, history: false })).body).toBe(many.body);
  });

  it('history only, many-image rule: older offenders shrunk to 2000 px; never the protected ones', async () => {
    const wide = block(await halves(2400, 60, [0, 0, 0], [9, 9, 9]));
    const small = block(await halves(40, 30, [0, 0, 0], [9, 9, 9]));
    const input = session(22, (turn) => (turn <= 2 ? wide : small));
    const { repairs } = await run(input, { images: false, history: true });
    expect(repairs.map((repair) => [repair.path, repair.action, repair.after?.width])).toEqual([
      ['messages.2.content.0.tool_result.content.0', 'shrunk', 2000],
      ['messages.4.content.0.tool_result.content.0', 'shrunk', 2000],
    ]);
  });

  it('history only: when the newest images break the many-image rule, older ones are omitted down to 20', async () => {
    const wide = block(await halves(2400, 60, [0, 0, 0], [9, 9, 9]));
    const small = block(await halves(40, 30, [0, 0, 0], [9, 9, 9]));
    const input = session(23, (turn) => (turn === 23 ? wide : small));
    const { body, repairs } = await run(input, { images: false, history: true });
    expect(repairs.map((repair) => repair.action)).toEqual(['omitted', 'omitted', 'omitted']);
    // in place of each image, a text block in the same tool_result
    const first = body.messages[2]!.content as Array<{ type: string; tool_use_id: string; content: unknown }>;
    expect(first[0]).toEqual({
      type: 'tool_result',
      tool_use_id: 't1',
      content: [{ type: 'text', text: '[image omitted by Sightline: 40×30 screenshot from turn 2]' }],
    });
    // the client's body is never written to
    expect(input.body.messages[2]).not.toBe(body.messages[2]);
    expect((input.body.messages[2]!.content as Array<{ content: unknown[] }>)[0]!.content[0]).toMatchObject({
      type: 'image',
    });
  });

  it('protected images are never omitted: with too many protected, the request is left to be refused', async () => {
    const small = block(await halves(40, 30, [0, 0, 0], [9, 9, 9]));
    const input = session(101, () => small);
    const { repairs } = await run(input, { images: false, history: true }, 101);
    expect(repairs).toEqual([]);
  });
});

describe('resolveRepairSettings', () => {
  const server = { images: false, history: false, keepRecentScreenshots: 3 };
  it('server, then key, then header', () => {
    expect(resolveRepairSettings(server, undefined, undefined)).toEqual(server);
    expect(resolveRepairSettings(server, { images: true }, undefined).images).toBe(true);
    expect(resolveRepairSettings(server, { images: true }, 'history')).toMatchObject({
      images: false,
      history: true,
    });
    expect(resolveRepairSettings({ ...server, images: true }, undefined, ' Images , HISTORY ')).toMatchObject(
      {
        images: true,
        history: true,
      },
    );
    expect(resolveRepairSettings({ ...server, images: true }, undefined, 'none').images).toBe(false);
  });
  it('refuses unknown kinds and empty values', () => {
    expect(() => resolveRepairSettings(server, undefined, 'images,colour')).toThrow(
      /"colour" is not a repair kind/,
    );
    expect(() => resolveRepairSettings(server, undefined, '')).toThrow(/is not a repair kind/);
  });
});

describe('formatRepairsHeader', () => {
  const report = (index: number): RepairReport => ({
    path: `messages.${index}.content.0`,
    action: 'omitted',
    reason: 'x',
    before: { width: 1920, height: 1080, media_type: 'image/png', bytes: 1000 },
    after: null,
  });
  it('lists every change while short, and stays within the bound with a count of the rest', () => {
    expect(formatRepairsHeader([report(1)])).toBe(
      'messages.1.content.0 omitted 1920x1080 image/png 1000B>text',
    );
    const long = formatRepairsHeader(Array.from({ length: 200 }, (_, index) => report(index)));
    expect(long.length).toBeLessThanOrEqual(2048);
    const shown = long.split(', ').length - 1;
    expect(long.endsWith(`... +${200 - shown} more`)).toBe(true);
  });
});
