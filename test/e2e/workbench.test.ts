// The Workbench in a real browser: Debian's Chromium, headless, driven by playwright-core, against a live
// Sightline (embedded defaults: the built-in offline engine; one model routed to a loopback upstream that
// speaks the Anthropic protocol, for answers written in markdown). It checks what a user sees: images
// attached by dropping them anywhere and by the file chooser, their figures (planImage) and the
// count_tokens total before sending; Send disabled for an empty or invalid request; the streamed answer
// with its status line phases and figures; the conversation kept across a reload (list, rename, delete);
// markdown rendered and sanitised; the model view as thumbnails opening large; image problems shown once
// with the user's numbering and the fix; the Files API switch; the 390 px layout. Screenshots at 1440 and
// 390 px are kept in test-artifacts/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_PROFILE } from '../../src/catalog/index.js';
import { originalToView, viewToOriginal } from '../../src/imaging/coordinates.js';
import { planImage } from '../../src/imaging/plan.js';
import { maxImageBytesFor } from '../../src/imaging/rules.js';
import { halves, noisyJpeg, pngBomb, solid, terminalScreenshot } from '../support/images.js';
import { startAnthropicUpstream, type Upstream } from '../support/upstreams.js';
import { startSightline, type TestSightline } from './support/servers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const MODEL = 'claude-sonnet-4-6'; // local engine, standard profile, $3 / $15 per million tokens
const UPSTREAM_MODEL = 'claude-opus-4-6'; // routed to the loopback Anthropic upstream
const PRICE = 3;
const QUESTION = 'Compare these two images.';

const MARKDOWN_ANSWER = [
  '# Findings',
  '',
  'The photo is **noisy** and the second image has two halves:',
  '',
  '- red on the left',
  '- blue on the right',
  '',
  '<script>window.__answerScriptRan = true</script>',
  '<img src="data:," onerror="window.__answerHandlerRan = true">',
  '',
  '```ts',
  'const halves = 2;',
  '```',
  '',
].join('\n');

let sightline: TestSightline | undefined;
let upstream: Upstream | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
const requestedUrls: string[] = [];

let photo: Buffer; // 1920×1080 JPEG → 1456×819 on the standard profile (rules 2026-09)
let twoTone: Buffer; // 400×300 PNG, not resized

/**
 * expect.poll with a timeout for a machine under load (vitest's default is 1 s): a reload loads the page's
 * modules again before it shows anything.
 */
const poll = <T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) =>
  expect.poll(read, { timeout: 15_000, ...options });

/** Drops a file the way a browser does (dragenter, dragover, drop with a DataTransfer) on `selector`. */
async function dropFile(selector: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name, type }) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      return transfer;
    },
    { base64: file.buffer.toString('base64'), name: file.name, type: file.mimeType },
  );
  const target = page.locator(selector).first();
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
  await dataTransfer.dispose();
}

/** The running total once count_tokens has answered for the current request. */
async function shownTotal(): Promise<number> {
  await poll(() => page.locator('#totals').getAttribute('aria-busy')).toBe('false');
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

/** Records, in the page, every status-line phase and when the answer first shows text. */
async function watchNextAnswer() {
  await page.evaluate(() => {
    const watch = { phases: [] as string[], firstTextAt: 0, sentAt: 0 };
    (window as unknown as { watch: typeof watch }).watch = watch;
    const status = document.getElementById('status')!;
    // every value data-phase took, in order: each record's old value, then the current one
    const note = (phase: string | null | undefined) => {
      if (phase && watch.phases.at(-1) !== phase) watch.phases.push(phase);
    };
    let started = false;
    new MutationObserver((records) => {
      for (const record of records) if (started) note(record.oldValue);
      started = true;
      note(status.dataset.phase);
    }).observe(status, { attributes: true, attributeFilter: ['data-phase'], attributeOldValue: true });
    new MutationObserver(() => {
      const answers = document.querySelectorAll('#turns .answer');
      const last = answers[answers.length - 1];
      if (!watch.firstTextAt && last && (last.textContent ?? '').trim() !== '') {
        watch.firstTextAt = performance.now();
      }
    }).observe(document.getElementById('turns')!, { childList: true, subtree: true, characterData: true });
    document.getElementById('send')!.addEventListener('click', () => {
      watch.sentAt = performance.now();
    });
  });
}

const watched = () =>
  page.evaluate(
    () => (window as unknown as { watch: { phases: string[]; firstTextAt: number; sentAt: number } }).watch,
  );

const lastAnswer = () => page.locator('#turns .answer').last();
const lastMeta = () => page.locator('#turns .answer-meta').last();
const sendButton = () => page.locator('#send');

async function waitForAnswer(timeout = 120_000) {
  await poll(() => lastMeta().getAttribute('data-stop-reason'), { timeout }).toBeTruthy();
}

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
    upstream = await startAnthropicUpstream();
    upstream.reply.text = MARKDOWN_ANSWER;
    sightline = await startSightline(`
backends:
  upstream: { type: anthropic, base_url: "${upstream.url}", api_key: upstream-key }
models:
  - { id: ${UPSTREAM_MODEL}, backend: upstream }
`);
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
      viewport: { width: 1440, height: 900 },
      colorScheme: 'light',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sightline.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000); // a stuck action fails with Playwright's reason, not the test timeout
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requestedUrls.push(request.url()));
    await page.goto(`${sightline.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await sightline?.stop();
    await upstream?.close();
  });

  it('serves the page compiled from web/, the server’s own modules compiled beside it, the markdown modules from node_modules, and nothing else', async () => {
    const url = sightline!.url;
    const index = await fetch(`${url}/`);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const app = await fetch(`${url}/workbench/web/app.js`);
    expect(app.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await app.text()).toContain('export async function start');
    const plan = await fetch(`${url}/workbench/src/imaging/plan.js`);
    expect(plan.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await plan.text()).toContain('export function planImage');
    expect((await fetch(`${url}/workbench/src/imaging/coordinates.js`)).status).toBe(200);
    expect(await (await fetch(`${url}/workbench/src/imaging/checks.js`)).text()).toContain(
      'export function imageProblem',
    );
    // one SSE decoder: the server's, with its CR handling and line cap
    expect(await (await fetch(`${url}/workbench/src/net/server-sent-events.js`)).text()).toContain(
      'export function createServerSentEventTextDecoder',
    );
    // the page computes with the server's revision of the image rules
    expect(await (await fetch(`${url}/workbench/web/vision-rules.js`)).text()).toContain(
      'export const VISION_RULES = "2026-09";',
    );
    const marked = await fetch(`${url}/workbench/web/marked.js`);
    expect(marked.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await marked.text()).toContain('marked v18');
    const purify = await fetch(`${url}/workbench/web/purify.js`);
    expect(purify.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await purify.text()).toContain('DOMPurify');
    expect((await fetch(`${url}/workbench/web/styles.css`)).headers.get('content-type')).toMatch(
      /^text\/css/,
    );
    for (const path of [
      '/workbench/web/..%2F..%2Fpackage.json',
      '/workbench/web/..%2F..%2Fsrc%2Fserver%2Fapp.ts',
      '/workbench/web/nope.js',
      '/workbench/web/app.ts', // the sources are not served, only what tsc compiled
      '/workbench/web/index.html',
      '/workbench/src/server/app.js', // not in the page's program: never compiled for the browser
      '/workbench/src/imaging/pipeline.js',
      '/workbench/src/..%2Fsrc/plan.js',
    ]) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }

    await poll(() => page.locator('#model option').count()).toBeGreaterThan(1);
    await poll(() => page.inputValue('#api-key')).toMatch(/^workbench-[0-9a-f]{16}$/);
    await page.selectOption('#model', MODEL);
    await poll(() => page.textContent('#model-info')).toContain('long edge ≤ 1,568 px');
    expect(await page.locator('#boot-error').isHidden()).toBe(true);
  });

  it('keeps Send disabled for an empty request, an empty key and an invalid max_tokens, and says why', async () => {
    await poll(() => sendButton().isDisabled()).toBe(true); // nothing typed, nothing attached
    await page.fill('#message', 'hello');
    await poll(() => sendButton().isDisabled()).toBe(false);

    // max_tokens 0 is flagged at its field and never silently replaced
    await page.fill('#max-tokens', '0');
    await poll(() => page.locator('#max-tokens-error').isVisible()).toBe(true);
    expect(await page.textContent('#max-tokens-error')).toMatch(/whole number from 1 to/);
    expect(await sendButton().isDisabled()).toBe(true);
    expect(await page.textContent('#send-reason')).toContain('Fix the parameters');
    await page.fill('#max-tokens', '2.5');
    expect(await page.textContent('#max-tokens-error')).toMatch(/whole number/);
    await page.fill('#max-tokens', '1024');
    await poll(() => page.locator('#max-tokens-error').isHidden()).toBe(true);
    await page.fill('#temperature', '3');
    await poll(() => page.textContent('#temperature-error')).toMatch(/from 0 to 1/);
    expect(await sendButton().isDisabled()).toBe(true);
    await page.fill('#temperature', '0.5');
    await poll(() => page.textContent('#request-json')).toContain('"temperature": 0.5');
    // a model that refuses sampling parameters: the fields are off, and nothing of them is sent
    await page.selectOption('#model', 'claude-opus-4-7');
    await poll(() => page.locator('#temperature').isDisabled()).toBe(true);
    expect(await page.locator('#top-p').isDisabled()).toBe(true);
    expect(await page.locator('#top-k').isDisabled()).toBe(true);
    expect(await page.textContent('#sampling-note')).toContain('does not accept temperature, top_p, top_k');
    expect(await page.textContent('#request-json')).not.toContain('temperature');
    expect(await sendButton().isDisabled()).toBe(false);
    await page.selectOption('#model', MODEL);
    await poll(() => page.locator('#temperature').isDisabled()).toBe(false);
    await page.fill('#temperature', '');

    // an empty key asks for a key, not for a model
    const key = await page.inputValue('#api-key');
    await page.fill('#api-key', '');
    await page.locator('#api-key').dispatchEvent('change');
    await poll(() => page.textContent('#api-key-error')).toContain('Enter an API key');
    expect(await page.textContent('body')).not.toContain('Choose a model');
    expect(await sendButton().isDisabled()).toBe(true);
    await page.fill('#api-key', key);
    await page.locator('#api-key').dispatchEvent('change');
    await poll(() => page.locator('#model option').count()).toBeGreaterThan(1);
    await page.selectOption('#model', MODEL);
    await page.fill('#message', '');
    await poll(() => sendButton().isDisabled()).toBe(true);
  });

  it('attaches images dropped anywhere on the page and chosen with +, with figures from planImage and the count_tokens total', async () => {
    // dropped on the top bar, far from the message box
    await dropFile('.topbar', { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
    await poll(() => page.locator('#attachments .image-card').count()).toBe(1);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#attach')]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles({ name: 'two-tone.png', mimeType: 'image/png', buffer: twoTone });
    await poll(() => page.locator('#attachments .image-card').count()).toBe(2);
    await page.fill('#message', QUESTION);

    expect(await page.locator('#attachments .image-label').allTextContents()).toEqual([
      'Image 1:',
      'Image 2:',
    ]);
    const expected = [planImage(1920, 1080, STANDARD_PROFILE), planImage(400, 300, STANDARD_PROFILE)];
    for (const [index, plan] of expected.entries()) {
      const card = page.locator('#attachments .image-card').nth(index);
      expect(Number(await card.locator('[data-field="tokens"]').getAttribute('data-tokens'))).toBe(
        plan.tokens,
      );
      expect(await card.locator('[data-field="original"]').textContent()).toContain(
        `${plan.width.toLocaleString('en-US')} × ${plan.height.toLocaleString('en-US')} px`,
      );
      expect(await card.locator('[data-field="view"]').textContent()).toContain(
        `${plan.viewWidth} × ${plan.viewHeight} px`,
      );
      expect(await card.locator('[data-field="canvas"]').textContent()).toContain(
        `${plan.canvasWidth} × ${plan.canvasHeight} px`,
      );
      // one money format: four significant digits
      const cost = (await card.locator('[data-field="cost"]').textContent())!;
      expect(cost).toMatch(/^\$0\.0*[1-9]\d{3}$/);
      expect(Number(cost.replace('$', ''))).toBeCloseTo((plan.tokens * PRICE) / 1e6, 6);
    }
    expect(expected.map((plan) => plan.tokens)).toEqual([1560, 165]);

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
    await poll(shownTotal).toBe(counted);
    expect(counted).toBeGreaterThan(expected[0]!.tokens + expected[1]!.tokens);
    const cost = (await page.textContent('#total-cost'))!.split(' ')[0]!;
    expect(cost).toMatch(/^\$0\.0*[1-9]\d{3}$/);
    expect(Number(cost.replace('$', ''))).toBeCloseTo((counted * PRICE) / 1e6, 5);

    const panel = await page.textContent('#request-json');
    expect(panel).toContain(`"data": "<base64: ${photo.toString('base64').length} bytes>"`);
    expect(panel).toContain('"text": "Image 2:"');
    expect(await sendButton().isDisabled()).toBe(false);
  });

  it('streams the answer of the built-in engine, with the status line’s phases, then tokens, cost and times', async () => {
    await watchNextAnswer();
    const sent = page.waitForRequest(
      (request) => request.url().endsWith('/v1/messages') && request.method() === 'POST',
    );
    await sendButton().click();
    const body = JSON.parse((await sent).postData()!) as {
      stream: boolean;
      max_tokens: number;
      messages: { content: unknown[] }[];
    };
    expect(body.stream).toBe(true);
    expect(body.max_tokens).toBe(1024);
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]!.content).toHaveLength(5);
    // the message left the box for the conversation
    expect(await page.inputValue('#message')).toBe('');
    expect(await page.locator('#attachments .image-card').count()).toBe(0);
    expect(await page.locator('#turns .turn').count()).toBe(1);
    expect(await page.locator('#turns .image-card').count()).toBe(2);

    await waitForAnswer();
    expect(await lastAnswer().textContent()).toContain('Measured 2 images.');
    const meta = lastMeta();
    expect(await meta.getAttribute('data-stop-reason')).toBe('end_turn');
    const text = (await meta.textContent())!;
    expect(text).toMatch(/[\d,]+ input \+ [\d,]+ output tokens/);
    expect(text).toMatch(/\$0\.0*[1-9]\d{3}/);
    expect(text).toContain('first text after');
    expect(text).toContain('total');
    const ttft = Number(await meta.getAttribute('data-ttft-ms'));
    const total = Number(await meta.getAttribute('data-total-ms'));
    expect(ttft).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(ttft);

    // every phase, in order, and the elapsed time shown at the end
    const { phases } = await watched();
    expect(phases).toEqual(['uploading', 'preparing', 'waiting', 'streaming', 'done']);
    expect(await page.textContent('#status .status-time')).toMatch(/\d+(\.\d+)? (ms|s)$/);
    expect(await page.locator('#turns .answer-error').isHidden()).toBe(true);
    // the workspace's spend today includes this answer (recorded by the server, read back)
    await page.waitForFunction(() =>
      /Spent today \(UTC\) in this workspace: \$[\d.]+ · [1-9]\d* requests, [1-9]\d* images/.test(
        document.getElementById('spend-today')?.textContent ?? '',
      ),
    );
  }, 150_000);

  it('keeps the conversation across a reload, in a list to reopen, rename and delete', async () => {
    await poll(() => page.locator('.conversation-item').count()).toBe(1);
    await page.reload();
    await poll(() => page.locator('#turns .turn').count()).toBe(1);
    expect(await lastAnswer().textContent()).toContain('Measured 2 images.');
    expect(await page.locator('#turns .user-text').textContent()).toBe(QUESTION);
    expect(await page.locator('#turns .image-label').allTextContents()).toEqual(['Image 1:', 'Image 2:']);
    expect(await lastMeta().getAttribute('data-stop-reason')).toBe('end_turn');
    await poll(() => page.locator('#model option').count()).toBeGreaterThan(1);
    expect(await page.inputValue('#model')).toBe(MODEL);
    const item = page.locator('.conversation-item').first();
    expect(await item.locator('.conversation-open').textContent()).toBe(QUESTION);
    expect(await item.locator('.conversation-open').getAttribute('aria-current')).toBe('true');

    await item.hover();
    await item.getByRole('button', { name: /^Rename/ }).click();
    await page.locator('.rename-input').fill('Two test images');
    await page.locator('.rename-input').press('Enter');
    await poll(() => page.locator('.conversation-open').first().textContent()).toBe('Two test images');

    // a second conversation: its draft is kept too; deleting it leaves the first
    await page.click('#new-conversation');
    expect(await page.locator('#turns .turn').count()).toBe(0);
    await page.fill('#message', 'A draft to delete');
    await poll(() => page.locator('.conversation-item').count()).toBe(2);
    await page.reload();
    await poll(() => page.inputValue('#message')).toBe('A draft to delete');
    const draft = page.locator('.conversation-item', { hasText: 'A draft to delete' });
    await draft.hover();
    await draft.getByRole('button', { name: /^Delete/ }).click();
    await poll(() => page.locator('.conversation-item').count()).toBe(1);
    expect(await page.inputValue('#message')).toBe('');
    await page.locator('.conversation-open', { hasText: 'Two test images' }).click();
    await poll(() => page.locator('#turns .turn').count()).toBe(1);
    await page.reload();
    await poll(() => page.locator('.conversation-open').first().textContent()).toBe('Two test images');
    await poll(() => page.locator('#turns .turn').count()).toBe(1);
    await poll(() => page.locator('#model option').count()).toBeGreaterThan(1);
  });

  it('renders the answer as sanitised markdown: a <script> in it does not run; code blocks have Copy', async () => {
    await page.selectOption('#model', UPSTREAM_MODEL);
    // sampling parameters and stop sequences, sent as typed (this model accepts them)
    await page.fill('#temperature', '0.3');
    await page.fill('#top-k', '5');
    await page.fill('#stop-sequences', 'FIN\nEND');
    await page.fill('#message', 'Answer in markdown.');
    await sendButton().click();
    await waitForAnswer(30_000);
    const answer = lastAnswer();
    expect(await answer.locator('h1').textContent()).toBe('Findings');
    expect(await answer.locator('strong').textContent()).toBe('noisy');
    expect(await answer.locator('li').allTextContents()).toEqual(['red on the left', 'blue on the right']);
    expect(await answer.locator('script').count()).toBe(0);
    expect(await answer.locator('[onerror]').count()).toBe(0);
    const ran = await page.evaluate(() => {
      const w = window as unknown as { __answerScriptRan?: boolean; __answerHandlerRan?: boolean };
      return [w.__answerScriptRan ?? false, w.__answerHandlerRan ?? false];
    });
    expect(ran).toEqual([false, false]);
    const code = answer.locator('.code-block');
    expect(await code.locator('code').textContent()).toBe('const halves = 2;\n');
    await code.getByRole('button', { name: 'Copy the code' }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('const halves = 2;\n');
    // the upstream received the conversation so far: both turns, with the first answer
    const received = upstream!.requests.at(-1)!.body as {
      messages: { role: string }[];
      temperature?: number;
      top_p?: number;
      top_k?: number;
      stop_sequences?: string[];
    };
    expect(received.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect([received.temperature, received.top_p, received.top_k]).toEqual([0.3, undefined, 5]);
    expect(received.stop_sequences).toEqual(['FIN', 'END']);
    for (const field of ['#temperature', '#top-k', '#stop-sequences']) await page.fill(field, '');
    await page.selectOption('#model', MODEL);
  }, 60_000);

  it('shows model views as thumbnails that open large, with the grid toggle and the coordinate tools', async () => {
    await page.getByLabel('Show the model view').check();
    await poll(() => page.locator('#turns .model-thumb').count()).toBe(2);
    await page.locator('#turns .model-thumb').first().click();
    const dialog = page.locator('#model-view-dialog');
    await poll(() => dialog.isVisible()).toBe(true);
    const plan = planImage(1920, 1080, STANDARD_PROFILE);
    const canvas = dialog.locator('canvas');
    expect(await canvas.getAttribute('width')).toBe(String(plan.canvasWidth));
    expect(await canvas.getAttribute('height')).toBe(String(plan.canvasHeight));
    const box = (await canvas.boundingBox())!;
    expect(box.width).toBeGreaterThan(700); // large, not a thumbnail
    const output = dialog.locator('output.mapping');

    // the grid toggles: a pixel on a grid line changes
    const gridPixel = () =>
      canvas.evaluate((element: HTMLCanvasElement) =>
        Array.from(element.getContext('2d')!.getImageData(28, 100, 1, 1).data).join(','),
      );
    const withGrid = await gridPixel();
    await dialog.getByLabel(/Show the 28-px grid/).uncheck();
    await poll(gridPixel).not.toBe(withGrid);

    await canvas.click({ position: { x: box.width * 0.3, y: box.height * 0.4 } });
    await poll(() => output.getAttribute('data-direction')).toBe('view-to-original');
    const point = {
      x: Number(await output.getAttribute('data-view-x')),
      y: Number(await output.getAttribute('data-view-y')),
    };
    expect(Math.abs(point.x - 0.3 * plan.canvasWidth)).toBeLessThanOrEqual(2);
    expect(Math.abs(point.y - 0.4 * plan.canvasHeight)).toBeLessThanOrEqual(2);
    const mapped = viewToOriginal(point, plan);
    expect(Number(await output.getAttribute('data-original-x'))).toBe(mapped.x);
    expect(Number(await output.getAttribute('data-original-y'))).toBe(mapped.y);

    // the bottom-right corner is padding (1456×819 on a 1456×840 canvas: the padding is at the bottom)
    await canvas.click({ position: { x: box.width - 3, y: box.height - 3 } });
    await poll(() => output.textContent()).toContain('in padding');
    expect(await output.getAttribute('data-original-y')).toBe(String(plan.height - 1));

    await dialog.getByRole('group', { name: 'Original point → view' }).getByLabel('x').fill('960');
    await dialog.getByRole('group', { name: 'Original point → view' }).getByLabel('y').fill('540');
    await dialog.getByRole('button', { name: 'Show on view' }).press('Enter');
    await poll(() => output.getAttribute('data-direction')).toBe('original-to-view');
    const shown = originalToView({ x: 960, y: 540 }, plan);
    expect(Number(await output.getAttribute('data-view-x'))).toBe(shown.x);
    expect(Number(await output.getAttribute('data-view-y'))).toBe(shown.y);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
    await page.getByLabel('Show the model view').uncheck();
  });

  it('shows an image problem once, on the image, with the user’s numbering, the actual size and the fix; not costed', async () => {
    const imagesBefore = await page.textContent('#images-total');
    await dropFile('#turns', { name: 'bomb.png', mimeType: 'image/png', buffer: pngBomb(9000, 10) });
    await poll(() => page.locator('#attachments .image-card').count()).toBe(1);
    const card = page.locator('#attachments .image-card');
    expect(await card.locator('.image-label').textContent()).toBe('Image 3:');
    const problem = card.locator('.image-problem');
    const summary = (await problem.locator('.problem-summary').textContent())!;
    expect(summary).toContain('Image 3 (bomb.png)');
    expect(summary).toContain('9,000 × 10 px');
    expect(summary).toContain('8,000 px');
    expect(await problem.locator('.problem-fix').textContent()).toMatch(/Fix: Scale it down/);
    // once in the page (answers and the request's JSON aside): not in the count_tokens box, not under
    // Send, and not as a JSON path that counts blocks the user never wrote
    const pageText = await page.evaluate(() => {
      const copy = document.body.cloneNode(true) as HTMLElement;
      for (const element of copy.querySelectorAll('.answer, #request-panel')) element.remove();
      return (copy.textContent ?? '').replace(/\s+/g, ' ');
    });
    expect(pageText.match(/exceed max allowed size/g)).toHaveLength(1);
    expect(pageText.match(/8,000 px/g)).toHaveLength(2); // the summary and the fix, in one box
    expect(pageText).not.toMatch(/content\.\d/);
    expect(await page.locator('.image-problem').count()).toBe(1);
    expect(await page.locator('#count-error').isHidden()).toBe(true);
    expect(await page.locator('#send-error').isHidden()).toBe(true);
    // not costed: no tokens or cost on the card, the images total unchanged
    expect(await card.locator('[data-field="cost"]').count()).toBe(0);
    expect(await card.locator('[data-tokens]').count()).toBe(0);
    expect(await page.textContent('#images-total')).toContain(
      imagesBefore!.split(' · ')[0]!.split(':')[1]!.trim(),
    );
    expect(await page.textContent('#images-total')).toContain('1 not accepted');
    expect(await sendButton().isDisabled()).toBe(true);
    expect(await page.textContent('#send-reason')).toContain('Image 3 would be rejected');
    await card.getByRole('button', { name: /Remove Image 3/ }).click();
    await poll(() => page.locator('#attachments .image-card').count()).toBe(0);

    // a JPEG under the limit whose base64 is over it: the fix is the Files API
    const jpeg = await noisyJpeg(64, 48);
    const limit = maxImageBytesFor('2026-09'); // the server's rules: 10 MB per image
    const big = Buffer.concat([jpeg, Buffer.alloc(Math.floor(limit * 0.9) - jpeg.length)]);
    await dropFile('.sidebar', { name: 'big.jpg', mimeType: 'image/jpeg', buffer: big });
    await poll(() => page.locator('#attachments .image-problem').count()).toBe(1);
    const bigProblem = page.locator('#attachments .image-problem');
    expect(await bigProblem.locator('.problem-summary').textContent()).toMatch(
      /^Image 3 \(big\.jpg\) is [\d.]+ MB, which is [\d.]+ MB as base64 \(base64 adds a third\)/,
    );
    expect(await bigProblem.locator('.problem-fix').textContent()).toContain(
      'Turn on “Send images through the Files API”',
    );
    await page
      .locator('#attachments .image-card')
      .getByRole('button', { name: /Remove Image 3/ })
      .click();
    await poll(() => page.locator('#attachments .image-card').count()).toBe(0);

    // a media type the API does not take: the card says which one and what to convert it to
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(64)]);
    await dropFile('.chat', { name: 'scan.bmp', mimeType: 'image/bmp', buffer: bmp });
    await poll(() => page.locator('#attachments .image-problem').count()).toBe(1);
    const bmpProblem = page.locator('#attachments .image-problem');
    expect(await bmpProblem.locator('.problem-summary').textContent()).toBe(
      'Image 3 (scan.bmp) is image/bmp, which the API does not accept.',
    );
    expect(await bmpProblem.locator('.problem-fix').textContent()).toMatch(
      /^Fix: Convert it to one of 'image\/jpeg', 'image\/png', 'image\/gif' or 'image\/webp'\.$/,
    );
    await page
      .locator('#attachments .image-card')
      .getByRole('button', { name: /Remove Image 3/ })
      .click();
    await poll(() => page.locator('#attachments .image-card').count()).toBe(0);
  });

  it('uploads through the Files API and sends file_id sources; the request copies as TypeScript and curl', async () => {
    await page.getByLabel('Send images through the Files API').check();
    await page.fill('#message', 'And now through the Files API?');
    const sent = page.waitForRequest(
      (request) => request.url().endsWith('/v1/messages') && request.method() === 'POST',
    );
    await sendButton().click();
    const request = await sent;
    expect(request.headers()['anthropic-beta']).toBe('files-api-2025-04-14');
    const body = JSON.parse(request.postData()!) as {
      messages: { content: string | { type: string; source?: { type: string; file_id?: string } }[] }[];
    };
    const first = body.messages[0]!.content as {
      type: string;
      source?: { type: string; file_id?: string };
    }[];
    const sources = first.filter((block) => block.type === 'image').map((block) => block.source!);
    expect(sources).toHaveLength(2);
    for (const source of sources) {
      expect(source.type).toBe('file');
      expect(source.file_id).toMatch(/^file_/);
    }
    await waitForAnswer();
    expect(await lastAnswer().textContent()).toContain('Measured 2 images.');

    await page.click('summary:has-text("Request")');
    await page.click('#copy-ts');
    await poll(() => page.textContent('#live-status')).toContain('as TypeScript');
    const typescript = await page.evaluate(() => navigator.clipboard.readText());
    expect(typescript).toContain("import Anthropic from '@anthropic-ai/sdk';");
    expect(typescript).toContain('client.messages.stream({');
    expect(typescript).toContain(`file_id: "${sources[1]!.file_id}"`);
    await page.click('#copy-curl');
    await poll(() => page.textContent('#live-status')).toContain('as a curl command');
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toContain(`curl ${sightline!.url}/v1/messages`);
    expect(curl).toContain("-H 'anthropic-beta: files-api-2025-04-14'");
    expect(curl).toContain(`"file_id": "${sources[0]!.file_id}"`);
    await page.getByLabel('Send images through the Files API').uncheck();

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-1440.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-1440-full.png'), fullPage: true });
  }, 150_000);

  it('shows the first text of a local answer within 1 s of sending a text-heavy 1920×1080 screenshot', async () => {
    await page.click('#new-conversation');
    const screenshot = await terminalScreenshot();
    await dropFile('.composer', { name: 'terminal.png', mimeType: 'image/png', buffer: screenshot });
    await poll(() => page.locator('#attachments .image-card').count()).toBe(1);
    await page.fill('#message', 'What does this terminal show?');
    await poll(() => sendButton().isDisabled()).toBe(false);
    await watchNextAnswer();
    await sendButton().click();
    await waitForAnswer(90_000);
    const { firstTextAt, sentAt } = await watched();
    expect(sentAt).toBeGreaterThan(0);
    expect(firstTextAt - sentAt).toBeLessThan(1_000);
    // the page's own figure agrees: time to first text, from the Send click
    expect(Number(await lastMeta().getAttribute('data-ttft-ms'))).toBeLessThan(1_000);
    expect(await lastAnswer().textContent()).toContain('git status');
  }, 150_000);

  it('lets Sightline repair an image the API would refuse, and shows the repair on that image', async () => {
    await page.click('#new-conversation');
    const wide = await solid(9000, 40, [30, 140, 60]).png().toBuffer();
    await page.getByLabel('Let Sightline repair images').check();
    await dropFile('.chat', { name: 'wide.png', mimeType: 'image/png', buffer: wide });
    await poll(() => page.locator('#attachments .image-card').count()).toBe(1);
    const problem = page.locator('#attachments .image-problem');
    expect(await problem.getAttribute('data-problem')).toBe('repairable');
    expect(await problem.locator('.problem-summary').textContent()).toContain(
      'Image 1 (wide.png) is 9,000 × 40 px',
    );
    await page.fill('#message', 'Is the strip green?');
    await poll(() => sendButton().isDisabled()).toBe(false);
    const sent = page.waitForRequest(
      (request) => request.url().endsWith('/v1/messages') && request.method() === 'POST',
    );
    await sendButton().click();
    expect((await sent).headers()['sightline-repair']).toBe('images');
    await waitForAnswer();
    const repaired = page.locator('#turns .turn').last().locator('.image-repair');
    await poll(() => repaired.count()).toBe(1);
    expect(await repaired.getAttribute('data-repair')).toBe('downscaled');
    expect(await repaired.textContent()).toMatch(
      /^Repaired by Sightline: downscaled\. 9,000 × 40 px, .+ → [\d,]+ × \d+ px/,
    );
    // still on: the next message would send the same image, repaired again
    expect(await page.locator('#turns .image-problem').getAttribute('data-problem')).toBe('repairable');
  }, 150_000);

  it('fits a 390 px screen: one column, the settings behind a button, the message box on screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(() =>
        page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      )
      .toBe(0);
    expect(await page.locator('#settings').isVisible()).toBe(false);
    expect(await page.locator('#conversations').isVisible()).toBe(false);
    const composer = (await page.locator('.composer-box').boundingBox())!;
    expect(composer.x).toBeGreaterThanOrEqual(0);
    expect(composer.x + composer.width).toBeLessThanOrEqual(390);
    expect(composer.y + composer.height).toBeLessThanOrEqual(844);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-390.png') });

    await page.getByRole('button', { name: 'Settings' }).click();
    await poll(() => page.locator('#settings').isVisible()).toBe(true);
    expect(await page.locator('#api-key').isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'workbench-390-settings.png') });
    await page.getByRole('button', { name: 'Settings' }).click();
    await poll(() => page.locator('#settings').isVisible()).toBe(false);

    const outside = requestedUrls.filter(
      (url) => !url.startsWith(`${sightline!.url}/`) && !url.startsWith('blob:') && !url.startsWith('data:'),
    );
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
