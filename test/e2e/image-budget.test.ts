// Issue 11, item 6: one server-wide budget for image memory, against a real `sightline serve` process.
// Eight concurrent requests of an 8000×8000 image (small on the wire, 192 MB decoded) used to take the
// process past 1.7 GB; with a 300 MB budget some are served, the rest get 529 overloaded_error (retryable),
// and the peak stays bounded.
import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solid } from '../support/images.js';
import { type ServeProcess, startServeProcess } from '../support/process.js';

let server: ServeProcess;
let huge: string[]; // base64 of 8000×8000 PNGs, each a different colour (no shared cache entry)

/** The PNG with a tEXt chunk after IHDR: other bytes (its own cache entry and decode), the same pixels. */
function withTextChunk(png: Buffer, text: string): Buffer {
  const data = Buffer.from(`Comment\0${text}`, 'latin1');
  const typeAndData = Buffer.concat([Buffer.from('tEXt', 'latin1'), data]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  const afterHeader = 8 + 25; // signature, then IHDR (4 length + 4 type + 13 data + 4 crc)
  return Buffer.concat([png.subarray(0, afterHeader), chunk, png.subarray(afterHeader)]);
}

const peakRssMb = async (pid: number): Promise<number> =>
  Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

beforeAll(async () => {
  const png = await solid(8000, 8000, [10, 200, 90]).png({ compressionLevel: 9 }).toBuffer();
  huge = Array.from({ length: 8 }, (_, index) => withTextChunk(png, `copy ${index}`).toString('base64'));
  server = await startServeProcess('server:\n  image_budget_bytes: 314572800\n  image_budget_wait_ms: 500\n');
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const countTokens = (index: number) =>
  fetch(`${server.url}/v1/messages/count_tokens`, {
    method: 'POST',
    headers: { 'x-api-key': 'sk-budget', 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-6',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: huge[index] } },
            { type: 'text', text: 'What colour?' },
          ],
        },
      ],
    }),
  });

describe('the image memory budget', () => {
  it('8 concurrent 8000×8000 images: some served, the rest 529 overloaded_error, memory bounded', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, (_, index) => countTokens(index)));
    const statuses = responses.map((response) => response.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(529);
    expect(statuses.every((status) => status === 200 || status === 529)).toBe(true);
    for (const response of responses.filter((r) => r.status === 529)) {
      expect(response.headers.get('x-should-retry')).toBe('true');
      expect(response.headers.get('request-id')).toMatch(/^req_/);
      expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    }
    expect(await peakRssMb(server.child.pid!)).toBeLessThan(1_000);
    // the budget is returned: the same image is served again
    expect((await countTokens(7)).status).toBe(200);
  }, 90_000);
});
