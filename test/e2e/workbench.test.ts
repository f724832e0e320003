// The Workbench in a real browser: Debian's Chromium, headless, driven by playwright-core, against a live
// Sightline (embedded defaults: the built-in offline engine). Images are added with the add-image button
// and by drag and drop; figures are checked against planImage and count_tokens; the answer streams; the
// model view maps points with coordinates.ts; limits show the API's messages; the Files API switch sends
// file ids; the page fits a 400 px screen. A screenshot is kept in test-artifacts/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_PROFILE } from '../../src/catalog/index.js';
import { originalToView, viewToOriginal } from '../../src/imaging/coordinates.js';
import { planImage } from '../../src/imaging/plan.js';
import { halves, noisyJpeg, pngBomb } from '../support/images.js';
import { startSightline, type TestSightline } from './support/servers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const MODEL = 'claude-sonnet-4-6'; // standard profile, $3 per million input tokens
const PRICE = 3;
const QUESTION = 'Compare these two images.';
const SAY_8000 = 'At least one of the image dimensions exceed max allowed size: 8000 pixels';

let sightline: TestSightline | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
const requestedUrls: string[] = [];

let photo: Buffer; // 1920×1080 JPEG → 1456×819 on the standard profile (rules 2026-09)
let twoTone: Buffer; // 400×300 PNG, not resized
let countedTotal = 0; // count_tokens for the two images and the question, from the test itself

/** Polls until the Workbench route answers GET / (the route is wired into createApp separately). */
async function waitForPage(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await fetch(`${url}/`)).status;
    if (status === 200) return;
    await new Promise((done) => setTimeout(done, 2_000));
  }
  throw new Error(`GET ${url}/ still answers ${status}: registerWorkbenchRoutes is not wired into createApp`);
}

/** Drops a file onto an element the way a browser does: dragenter, dragover, drop with a DataTransfer. */
async function dropFile(target: Locator, file: { name: string; mimeType: string; buffer: Buffer }) {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name, type }) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      return transfer;
    },
    { base64: file.buffer.toString('base64'), name: file.name, type: file.mimeType },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
  await dataTransfer.dispose();
}

/** The running total once count_tokens has answered for the current request. */
async function shownTotal(): Promise<number> {
  await expect.poll(() => page.locator('#totals').getAttribute('aria-busy')).toBe('false');
  const tokens = await page.locator('#total-tokens').getAttribute('data-tokens');
  return Number(tokens);
}

async function countTokens(body: unknown): Promise<number> {
  const response = await fetch(`${sightline!.url}/v1/messages/count_tokens`, {
    method: 'POST',
    headers: {
      'x-api-key': 'workbench',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { input_tokens: number }).input_tokens;
}

const userBlock = () => page.locator('.user-block').first();
const assistantText = () => page.locator('.assistant-block textarea').last();

describe('Workbench in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: the Workbench browser test needs it (apt-get install -y chromium). It never skips.`,
      );
    }
    [photo, twoTone] = await Promise.all([
      noisyJpeg(1920, 1080),
      halves(400, 300, [220, 60, 40], [40, 90, 220]),
    ]);
    sightline = await startSightline();
    await waitForPage(sightline.url, 5 * 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sightline.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000); // a stuck action fails with Playwright's reason, not the test timeout
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requestedUrls.push(request.url()));
    await page.goto(`${sightline.url}/`);
  }, 6 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await sightline?.stop();
  });

  it('serves the page and the server’s own imaging modules, and nothing else', async () => {
    const url = sightline!.url;
    const index = await fetch(`${url}/`);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const plan = await fetch(`${url}/workbench/plan.js`);
    expect(plan.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await plan.text()).toContain('export function planImage');
    expect((await fetch(`${url}/workbench/coordinates.js`)).status).toBe(200);
    expect(await (await fetch(`${url}/workbench/checks.js`)).text()).toContain(
      'export function imageProblem',
    );
    // the page computes with the server's revision of the image rules
    expect(await (await fetch(`${url}/workbench/vision-rules.js`)).text()).toContain(
      'export const VISION_RULES = "2026-09";',
    );
    expect((await fetch(`${url}/workbench/styles.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    for (const path of [
      '/workbench/..%2Fpackage.json',
      '/workbench/..%2F..%2Fsrc%2Fserver%2Fapp.ts',
      '/workbench/nope.js',
    ]) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }

    await expect.poll(() => page.locator('#model option').count()).toBeGreaterThan(1);
    await expect.poll(() => page.inputValue('#api-key')).toMatch(/^workbench-[0-9a-f]{16}$/);
    await page.selectOption('#model', MODEL);
    await expect.poll(() => page.textContent('#model-info')).toContain('long edge ≤ 1,568 px');
    expect(await page.locator('#boot-error').isHidden()).toBe(true);
  });

  it('adds two images (file chooser and drop) with labels, figures from planImage and the count_tokens total', async () => {
    const block = userBlock();
    const addImage = block.getByRole('button', { name: /Add image/ });
    // the add-image button sits at the block's top right
    const [blockBox, buttonBox] = [await block.boundingBox(), await addImage.boundingBox()];
    expect(buttonBox!.y - blockBox!.y).toBeLessThan(40);
    expect(blockBox!.x + blockBox!.width - (buttonBox!.x + buttonBox!.width)).toBeLessThan(30);

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), addImage.click()]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => page.locator('.image-card').count()).toBe(1);
    await dropFile(block, { name: 'two-tone.png', mimeType: 'image/png', buffer: twoTone });
    await expect.poll(() => page.locator('.image-card').count()).toBe(2);
    await block.locator('textarea').fill(QUESTION);

    expect(await page.locator('.image-card .image-label').allTextContents()).toEqual([
      'Image 1:',
      'Image 2:',
    ]);
    const expected = [planImage(1920, 1080, STANDARD_PROFILE), planImage(400, 300, STANDARD_PROFILE)];
    for (const [index, plan] of expected.entries()) {
      const card = page.locator('.image-card').nth(index);
      expect(Number(await card.locator('[data-field="tokens"]').getAttribute('data-tokens'))).toBe(
        plan.tokens,
      );
      expect(await card.locator('[data-field="original"]').textContent()).toContain(
        `${plan.width} × ${plan.height} px`,
      );
      expect(await card.locator('[data-field="view"]').textContent()).toContain(
        `${plan.viewWidth} × ${plan.viewHeight} px`,
      );
      expect(await card.locator('[data-field="canvas"]').textContent()).toContain(
        `${plan.canvasWidth} × ${plan.canvasHeight} px`,
      );
      const cost = Number((await card.locator('[data-field="cost"]').textContent())!.replace('$', ''));
      expect(cost).toBeCloseTo((plan.tokens * PRICE) / 1e6, 6);
    }
    expect(expected.map((plan) => plan.tokens)).toEqual([1560, 165]);

    // the total shown is count_tokens' answer for the same request, with the guide's labels
    const body = {
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Image 1:' },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/jpeg', data: photo.toString('base64') },
            },
            { type: 'text', text: 'Image 2:' },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: twoTone.toString('base64') },
            },
            { type: 'text', text: QUESTION },
          ],
        },
      ],
    };
    const counted = await countTokens(body);
    await expect.poll(shownTotal).toBe(counted);
    countedTotal = counted;
    expect(counted).toBeGreaterThan(1560 + 165);
    const cost = Number((await page.textContent('#total-cost'))!.split(' ')[0]!.replace('$', ''));
    expect(cost).toBeCloseTo((counted * PRICE) / 1e6, 6);

    const panel = await page.textContent('#request-json');
    expect(panel).toContain(`"data": "<base64: ${photo.toString('base64').length} bytes>"`);
    expect(panel).toContain('"text": "Image 2:"');
  });

  it('streams the answer of the built-in engine into the assistant block', async () => {
    await page.evaluate(() => {
      const log = document.getElementById('live-answer')!;
      const seen: number[] = [];
      (window as unknown as { streamLengths: number[] }).streamLengths = seen;
      let length = 0;
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            length += node.textContent?.length ?? 0;
            seen.push(length);
          }
        }
      }).observe(log, { childList: true });
    });
    const sent = page.waitForRequest(
      (request) => request.url().endsWith('/v1/messages') && request.method() === 'POST',
    );
    await page.getByRole('button', { name: /^Send/ }).click();
    const body = JSON.parse((await sent).postData()!) as {
      stream: boolean;
      messages: { content: unknown[] }[];
    };
    expect(body.stream).toBe(true);
    expect(body.messages[0]!.content).toHaveLength(5);

    await expect
      .poll(() => assistantText().inputValue(), { timeout: 60_000 })
      .toContain('Measured 2 images.');
    await expect
      .poll(() => page.textContent('.assistant-block .block-meta'), { timeout: 30_000 })
      .toContain('end_turn');
    const lengths = await page.evaluate(
      () => (window as unknown as { streamLengths: number[] }).streamLengths,
    );
    expect(lengths.length).toBeGreaterThan(2); // the text grew delta by delta
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(lengths.at(-1)).toBe((await assistantText().inputValue()).length);
    expect(await page.locator('.assistant-block .block-error').isHidden()).toBe(true);
  }, 90_000);

  it('shows the model view and maps clicked and typed points with coordinates.ts', async () => {
    await page.getByLabel('Show the model view').check();
    await expect.poll(() => page.locator('.model-view canvas').count()).toBe(2);
    const plan = planImage(1920, 1080, STANDARD_PROFILE);
    const view = page.locator('.model-view').first();
    const canvas = view.locator('canvas');
    expect(await canvas.getAttribute('width')).toBe(String(plan.canvasWidth));
    expect(await canvas.getAttribute('height')).toBe(String(plan.canvasHeight));
    const box = (await canvas.boundingBox())!;
    const output = view.locator('output.mapping');

    await canvas.click({ position: { x: box.width * 0.3, y: box.height * 0.4 } });
    await expect.poll(() => output.getAttribute('data-direction')).toBe('view-to-original');
    const point = {
      x: Number(await output.getAttribute('data-view-x')),
      y: Number(await output.getAttribute('data-view-y')),
    };
    expect(Math.abs(point.x - 0.3 * plan.canvasWidth)).toBeLessThanOrEqual(2);
    expect(Math.abs(point.y - 0.4 * plan.canvasHeight)).toBeLessThanOrEqual(2);
    const mapped = viewToOriginal(point, plan);
    expect(Number(await output.getAttribute('data-original-x'))).toBe(mapped.x);
    expect(Number(await output.getAttribute('data-original-y'))).toBe(mapped.y);
    expect(await output.textContent()).not.toContain('in padding');

    // the bottom-right corner is padding (1456×819 on a 1456×840 canvas: the padding is at the bottom)
    await canvas.click({ position: { x: box.width - 3, y: box.height - 3 } });
    await expect.poll(() => output.textContent()).toContain('in padding');
    expect(await output.getAttribute('data-original-y')).toBe(String(plan.height - 1));

    // the keyboard alternative: type an original point, see it on the view
    await view.getByRole('group', { name: 'Original point → view' }).getByLabel('x').fill('960');
    await view.getByRole('group', { name: 'Original point → view' }).getByLabel('y').fill('540');
    await view.getByRole('button', { name: 'Show on view' }).press('Enter');
    await expect.poll(() => output.getAttribute('data-direction')).toBe('original-to-view');
    const shown = originalToView({ x: 960, y: 540 }, plan);
    expect(Number(await output.getAttribute('data-view-x'))).toBe(shown.x);
    expect(Number(await output.getAttribute('data-view-y'))).toBe(shown.y);
    // integers as they are, fractions to two decimals (960 → 728, 540 → 409.50 on the 1456×819 view)
    const shownAs = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));
    expect(await output.textContent()).toContain(`view (${shownAs(shown.x)}, ${shownAs(shown.y)})`);
  });

  it('marks an image over 8000 px with the API’s message, and shows count_tokens’ and send’s 400 in place', async () => {
    await dropFile(userBlock(), { name: 'bomb.png', mimeType: 'image/png', buffer: pngBomb(9000, 10) });
    await expect.poll(() => page.locator('.image-card').count()).toBe(3);
    const card = page.locator('.image-card').nth(2);
    expect(await card.locator('.image-label').textContent()).toBe('Image 3:');
    const message = `messages.0.content.5.image.source.base64.data: ${SAY_8000}`;
    expect(await card.locator('.image-problem').textContent()).toBe(message);
    await expect.poll(() => page.textContent('#count-error'), { timeout: 10_000 }).toContain(message);
    expect(await page.getAttribute('#count-error', 'role')).toBe('alert');

    await page.getByRole('button', { name: /^Send/ }).click();
    const error = page.locator('.assistant-block .block-error').last();
    await expect.poll(() => error.textContent(), { timeout: 10_000 }).toContain(SAY_8000);
    expect(await error.textContent()).toContain('invalid_request_error');
    expect(await assistantText().inputValue()).toContain('Measured 2 images.'); // the last answer is kept

    await card.getByRole('button', { name: /Remove Image 3/ }).click();
    await expect.poll(() => page.locator('.image-card').count()).toBe(2);
    await expect.poll(() => page.locator('#count-error').isHidden()).toBe(true);
  });

  it('draws an EXIF-rotated photo as the model sees it: as stored, not rotated', async () => {
    const stored = await sharp(await halves(64, 48, [255, 0, 0], [0, 0, 255]))
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    await dropFile(userBlock(), { name: 'phone.jpg', mimeType: 'image/jpeg', buffer: stored });
    await expect.poll(() => page.locator('.model-view canvas').count()).toBe(3);
    const canvas = page.locator('.model-view canvas').nth(2);
    expect([await canvas.getAttribute('width'), await canvas.getAttribute('height')]).toEqual(['84', '56']);
    const pixels = await canvas.evaluate((element: HTMLCanvasElement) => {
      const context = element.getContext('2d')!;
      return [
        Array.from(context.getImageData(8, 24, 1, 1).data),
        Array.from(context.getImageData(56, 24, 1, 1).data),
      ];
    });
    // red on the left, blue on the right: the stored pixels (a rotated drawing would put red on top)
    expect(pixels[0]![0]).toBeGreaterThan(200);
    expect(pixels[0]![2]).toBeLessThan(60);
    expect(pixels[1]![2]).toBeGreaterThan(200);
    expect(pixels[1]![0]).toBeLessThan(60);
    await page
      .locator('.image-card')
      .nth(2)
      .getByRole('button', { name: /Remove Image 3/ })
      .click();
    await expect.poll(() => page.locator('.image-card').count()).toBe(2);
  });

  it('uploads through the Files API and sends file_id sources when the switch is on', async () => {
    await page.getByLabel('Send images through the Files API').check();
    await expect.poll(() => page.locator('.image-card [data-file-id]').count(), { timeout: 10_000 }).toBe(2);
    const sent = page.waitForRequest(
      (request) => request.url().endsWith('/v1/messages') && request.method() === 'POST',
    );
    await page.getByRole('button', { name: /^Send/ }).click();
    const request = await sent;
    expect(request.headers()['anthropic-beta']).toBe('files-api-2025-04-14');
    const body = JSON.parse(request.postData()!) as {
      messages: { content: { type: string; source?: { type: string; file_id?: string } }[] }[];
    };
    const sources = body.messages[0]!.content.filter((block) => block.type === 'image').map(
      (block) => block.source!,
    );
    expect(sources).toHaveLength(2);
    for (const source of sources) {
      expect(source.type).toBe('file');
      expect(source.file_id).toMatch(/^file_/);
    }
    expect(await page.textContent('#request-json')).toContain(`"file_id": "${sources[0]!.file_id}"`);
    await expect
      .poll(() => page.textContent('.assistant-block .block-meta'), { timeout: 60_000 })
      .toContain('end_turn');
    expect(await assistantText().inputValue()).toContain('Measured 2 images.');
    expect(await page.locator('.assistant-block .block-error').isHidden()).toBe(true);
    // the total is still count_tokens' answer, now counted with the file ids: the same figure
    expect(await shownTotal()).toBe(countedTotal);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'workbench.png'), fullPage: true });

    // the same request as code: the official SDK, and curl with the beta header
    await page.click('#copy-ts');
    await expect.poll(() => page.textContent('#live-status')).toContain('as TypeScript');
    const typescript = await page.evaluate(() => navigator.clipboard.readText());
    expect(typescript).toContain("import Anthropic from '@anthropic-ai/sdk';");
    expect(typescript).toContain('client.messages.stream({');
    expect(typescript).toContain(`file_id: "${sources[1]!.file_id}"`);
    await page.click('#copy-curl');
    await expect.poll(() => page.textContent('#live-status')).toContain('as a curl command');
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toContain(`curl ${sightline!.url}/v1/messages`);
    expect(curl).toContain("-H 'anthropic-beta: files-api-2025-04-14'");
    expect(curl).toContain(`"file_id": "${sources[0]!.file_id}"`);
  }, 90_000);

  it('fits a 400 px wide screen in one column, and loaded nothing from outside the server', async () => {
    await page.setViewportSize({ width: 400, height: 860 });
    await expect
      .poll(() =>
        page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      )
      .toBe(0);
    const settings = (await page.locator('.settings').boundingBox())!;
    const conversation = (await page.locator('.conversation').boundingBox())!;
    expect(Math.abs(settings.x - conversation.x)).toBeLessThan(2);
    expect(conversation.y).toBeGreaterThan(settings.y);
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-narrow.png'), fullPage: true });

    const outside = requestedUrls.filter(
      (url) => !url.startsWith(`${sightline!.url}/`) && !url.startsWith('blob:') && !url.startsWith('data:'),
    );
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
