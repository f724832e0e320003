// The guide's `ant` examples run as `sightline` (same YAML heredocs, `@./image.jpg`, upload flow), and every
// other CLI command, against a live Sightline, the CLI driven in-process through run(argv, io).
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createCatalog, planImage } from '../../src/index.js';
import { animated, FIXTURES, halves, noisyJpeg, pngBomb, solid } from '../support/images.js';
import { type LoopbackServer, startContentServer } from '../support/upstreams.js';
import { argv, type CliOptions, type CliResult, invokeCli } from './support/cli.js';
import { startSightline, type TestSightline } from './support/servers.js';

const GUIDE_IMAGE_URL =
  'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg';
const GUIDE_IMAGE_PATH = '/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg';
const API_KEY = 'sk-cli-e2e';

let sightline: TestSightline;
let images: LoopbackServer;
let cwd: string;
let photo: Buffer; // the guide's ./image.jpg: the 290×442 JPEG fixture

type InvokeOptions = Partial<CliOptions>;

/** `sightline ARGS` in-process, stdin piped (not a TTY), the server's URL and a key in the environment. */
const sightlineCli = (args: string[], options: InvokeOptions = {}): Promise<CliResult> =>
  invokeCli(args, {
    ...options,
    env: { ANTHROPIC_BASE_URL: sightline.url, ANTHROPIC_API_KEY: API_KEY, ...options.env },
    cwd: options.cwd ?? cwd,
  });

const textOf = (message: { content: Array<{ type: string; text?: string }> }) =>
  message.content.map((block) => block.text ?? '').join('');

beforeAll(async () => {
  photo = await readFile(join(FIXTURES, 'libvips', 'sample.jpg'));
  images = await startContentServer({ [GUIDE_IMAGE_PATH]: { body: photo, type: 'image/jpeg' } });
  // the stand-in image host is on loopback; uploaded files may be downloaded
  sightline = await startSightline('files: { downloadable: true }', { allowPrivateUrls: true });
  cwd = await mkdtemp(join(tmpdir(), 'sightline-cli-'));
  await copyFile(join(FIXTURES, 'libvips', 'sample.jpg'), join(cwd, 'image.jpg'));
});

afterAll(async () => {
  await sightline?.stop();
  await images?.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

describe('the guide, with `sightline` in place of `ant`', () => {
  it('ant messages create <<\'YAML\' … data: "@./image.jpg" (a base64 image from a file)', async () => {
    const result = await sightlineCli(['messages', 'create'], {
      stdin: `model: claude-opus-4-7
max_tokens: 1024
messages:
  - role: user
    content:
      - type: image
        source:
          type: base64
          media_type: image/jpeg
          data: "@./image.jpg"
      - type: text
        text: Describe this image.
`,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const message = JSON.parse(result.stdout);
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-opus-4-7' });
    expect(textOf(message)).toContain('original 290×442');
  });

  it("ant messages create <<'YAML' … source: {type: url, url: …} (a URL image)", async () => {
    const guideYaml = `model: claude-opus-4-7
max_tokens: 1024
messages:
  - role: user
    content:
      - type: image
        source:
          type: url
          url: ${GUIDE_IMAGE_URL}
      - type: text
        text: Describe this image.
`;
    // offline: the same path, served from a loopback stand-in for upload.wikimedia.org
    const result = await sightlineCli(['messages', 'create'], {
      stdin: guideYaml.replace('https://upload.wikimedia.org', images.url),
    });
    expect(result.code).toBe(0);
    expect(textOf(JSON.parse(result.stdout))).toContain('original 290×442');
  });

  it('FILE_ID=$(ant beta:files upload --file ./image.jpg --transform id --raw-output); ant beta:messages create --beta files-api-2025-04-14 --transform content --format yaml <<YAML', async () => {
    const upload = await sightlineCli(argv`beta:files upload --file ./image.jpg --transform id --raw-output`);
    expect(upload.code).toBe(0);
    const fileId = upload.stdout.trim();
    expect(fileId).toMatch(/^file_\w+$/);
    expect(upload.stdout).toBe(`${fileId}\n`);

    const result = await sightlineCli(
      [
        'beta:messages',
        'create',
        '--beta',
        'files-api-2025-04-14',
        '--transform',
        'content',
        '--format',
        'yaml',
      ],
      {
        stdin: `model: claude-opus-4-7
max_tokens: 1024
messages:
  - role: user
    content:
      - type: image
        source:
          type: file
          file_id: ${fileId}
      - type: text
        text: Describe this image.
`,
      },
    );
    expect(result.code).toBe(0);
    const content = parseYaml(result.stdout) as Array<{ type: string; text: string }>;
    expect(content[0]!.type).toBe('text');
    expect(content[0]!.text).toContain('original 290×442');
  });
});

describe('beta spellings on the wire', () => {
  it('beta:files adds ?beta=true and the files beta header; files (GA) adds neither', async () => {
    const beta = await sightlineCli(['--debug', 'beta:files', 'list', '--limit', '1']);
    expect(beta.stderr).toMatch(
      /→ GET http:\/\/[^ ]+\/v1\/files\?beta=true&limit=1 \(anthropic-beta: files-api-2025-04-14\)/,
    );
    const plain = await sightlineCli(['--debug', 'files', 'list']);
    expect(plain.stderr).toMatch(/→ GET http:\/\/[^ ]+\/v1\/files\n/);
  });
  it('beta:messages create --beta X sends anthropic-beta: X on /v1/messages?beta=true', async () => {
    const result = await sightlineCli(argv`beta:messages count-tokens --beta files-api-2025-04-14
      --debug --model claude-haiku-4-5 --message ${'{role: user, content: hi}'}`);
    expect(result.stderr).toMatch(
      /\/v1\/messages\/count_tokens\?beta=true \(anthropic-beta: files-api-2025-04-14\)/,
    );
    expect(JSON.parse(result.stdout)).toHaveProperty('context_management', null);
  });
});

describe('files', () => {
  it('upload, list, retrieve-metadata, download (-o PATH, -o -, default name), delete', async () => {
    const uploaded = JSON.parse((await sightlineCli(['files', 'upload', '--file', 'image.jpg'])).stdout);
    expect(uploaded).toMatchObject({
      type: 'file',
      filename: 'image.jpg',
      mime_type: 'image/jpeg',
      size_bytes: photo.length,
    });
    const ids = await sightlineCli(['files', 'list', '--transform', 'id', '--format', 'jsonl']);
    expect(
      ids.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toContain(uploaded.id);
    const page = await sightlineCli(['files', 'list', '--transform', 'data.#.id']);
    expect(JSON.parse(page.stdout)).toContain(uploaded.id);

    const metadata = await sightlineCli(['beta:files', 'retrieve-metadata', '--file-id', uploaded.id]);
    expect(JSON.parse(metadata.stdout)).toEqual(uploaded);
    // a path parameter from piped YAML
    const piped = await sightlineCli(['files', 'retrieve-metadata', '--transform', 'filename', '-r'], {
      stdin: `file_id: ${uploaded.id}\n`,
    });
    expect(piped.stdout).toBe('image.jpg\n');

    const toPath = await sightlineCli(['files', 'download', '--file-id', uploaded.id, '-o', 'copy.jpg']);
    expect(toPath.code).toBe(0);
    expect(toPath.stderr).toBe(`Wrote ${photo.length} bytes to copy.jpg\n`);
    expect((await readFile(join(cwd, 'copy.jpg'))).equals(photo)).toBe(true);

    const toStdout = await sightlineCli(['beta:files', 'download', '--file-id', uploaded.id, '-o', '-']);
    expect(toStdout.stdoutBytes.equals(photo)).toBe(true);

    const elsewhere = await mkdtemp(join(tmpdir(), 'sightline-cli-download-'));
    const byName = await sightlineCli(['files', 'download', '--file-id', uploaded.id], { cwd: elsewhere });
    expect(byName.code).toBe(0);
    expect((await readFile(join(elsewhere, 'image.jpg'))).equals(photo)).toBe(true);
    await rm(elsewhere, { recursive: true, force: true });

    const deleted = await sightlineCli(['files', 'delete', '--file-id', uploaded.id]);
    expect(JSON.parse(deleted.stdout)).toEqual({ id: uploaded.id, type: 'file_deleted' });
    const gone = await sightlineCli(['files', 'retrieve-metadata', '--file-id', uploaded.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.split('\n')[0]).toBe(`GET "${sightline.url}/v1/files/${uploaded.id}": 404 Not Found`);
  });

  it('list --max-items follows pages and prints one item per value', async () => {
    for (let index = 0; index < 3; index += 1) await sightlineCli(['files', 'upload', '--file', 'image.jpg']);
    const result = await sightlineCli(argv`files list --limit 1 --max-items 3 --format jsonl`);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(new Set(lines.map((file) => file.id)).size).toBe(3);
    expect(lines.every((file) => file.type === 'file')).toBe(true);
  });

  it('upload of a missing file: exit 1', async () => {
    const result = await sightlineCli(['files', 'upload', '--file', 'nope.png']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('sightline files upload: Cannot read file "nope.png": no such file\n');
  });
});

describe('models', () => {
  it('list, newest first', async () => {
    const result = await sightlineCli(['models', 'list', '--transform', 'id', '-r', '--format', 'jsonl']);
    const page = await sightlineCli(['models', 'list', '--limit', '1000', '--transform', 'data.#.id']);
    expect(result.stdout.trim().split('\n')).toEqual(JSON.parse(page.stdout));
    expect(result.stdout.trim().split('\n')[0]).toBe(createCatalog().models[0]!.id); // newest first
  });
  it('retrieve by alias', async () => {
    const result = await sightlineCli(argv`models retrieve --model-id claude-haiku-4-5 --transform id -r`);
    expect(result.stdout).toBe('claude-haiku-4-5-20251001\n');
  });
  it('retrieve, as YAML', async () => {
    const result = await sightlineCli(argv`--format yaml beta:models retrieve --model-id claude-opus-4-7`);
    expect(parseYaml(result.stdout)).toMatchObject({ type: 'model', id: 'claude-opus-4-7' });
  });
});

describe('messages', () => {
  const imageMessage =
    '{role: user, content: [{type: image, source: {type: base64, media_type: image/jpeg, data: "@image.jpg"}}, {type: text, text: What is this?}]}';

  it('count-tokens matches the usage of messages create for the same body', async () => {
    const counted = await sightlineCli(argv`messages count-tokens
      --model claude-sonnet-4-6 --message ${imageMessage} --transform input_tokens`);
    expect(counted.code).toBe(0);
    const created = await sightlineCli(argv`messages create --model claude-sonnet-4-6
      --max-tokens 256 --message ${imageMessage} --transform usage.input_tokens`);
    expect(Number(counted.stdout)).toBe(Number(created.stdout));
    expect(Number(counted.stdout)).toBeGreaterThan(
      planImage(290, 442, createCatalog().find('claude-sonnet-4-6')!.profile).tokens,
    );
  });

  it('flags overwrite the piped body (shallow), global flags before the resource', async () => {
    const result = await sightlineCli(
      [
        '--base-url',
        sightline.url,
        '--api-key',
        'sk-other',
        'messages',
        'create',
        '--model',
        'claude-haiku-4-5',
        '--transform',
        'model',
        '-r',
      ],
      {
        stdin:
          '{"model": "claude-opus-4-7", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}',
        env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:1', ANTHROPIC_API_KEY: '' },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('claude-haiku-4-5\n');
  });

  it('--stream --format jsonl: one event per line, as they arrive', async () => {
    const result = await sightlineCli(argv`messages create --model claude-haiku-4-5 --max-tokens 64
      --message ${'{role: user, content: hello @username}'} --stream --format jsonl`);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events[0].type).toBe('message_start');
    expect(events.at(-1).type).toBe('message_stop');
    expect(events.some((event) => event.type === 'content_block_delta')).toBe(true);
  });

  it('--stream --max-items 2 prints only the first two events', async () => {
    const result = await sightlineCli(argv`messages create --model claude-haiku-4-5 --max-tokens 64
      --message ${'{role: user, content: hi}'} --stream --max-items 2 --format jsonl`);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('an API error is printed as docs/rules/cli.md §7 says, exit 1', async () => {
    const result = await sightlineCli(argv`messages create --model claude-opus-4-7 --max-tokens 64
      --message ${'{role: user, content: [{type: image, source: {type: base64, media_type: image/png, data: "@./image.jpg"}}]}'}`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const [first, ...rest] = result.stderr.split('\n');
    expect(first).toBe(`POST "${sightline.url}/v1/messages": 400 Bad Request`);
    expect(JSON.parse(rest.join('\n'))).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'messages.0.content.0.image.source.base64: The image was specified using the image/png media type, but the image appears to be a image/jpeg image',
      },
    });
  });

  it('--transform-error error.message -r prints only the message under the status line', async () => {
    const result = await sightlineCli(argv`messages create --model claude-nope --max-tokens 64
      --message ${'{role: user, content: hi}'} --transform-error error.message -r`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`POST "${sightline.url}/v1/messages": 404 Not Found\nmodel: claude-nope\n`);
  });

  it('@missing.png is an error before any request (exit 1); a missing field is a usage error (exit 2)', async () => {
    const missing = await sightlineCli(argv`messages create --model claude-haiku-4-5
      --max-tokens 5 --message ${'{role: user, content: "@missing.png"}'}`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read file "missing.png"');
    const usage = await sightlineCli(['messages', 'create', '--model', 'claude-haiku-4-5']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      'sightline messages create: missing --max-tokens (or "max_tokens" in piped stdin)\n',
    );
  });

  it('colour only on a terminal without NO_COLOR', async () => {
    const argv = ['models', 'retrieve', '--model-id', 'claude-opus-4-7'];
    expect((await sightlineCli(argv, { stdoutIsTerminal: true })).stdout).toContain('\u001b[');
    expect(
      (await sightlineCli(argv, { stdoutIsTerminal: true, env: { NO_COLOR: '1' } })).stdout,
    ).not.toContain('\u001b[');
    expect((await sightlineCli(argv)).stdout).not.toContain('\u001b[');
  });
});

describe('estimate', () => {
  let collection: string;
  beforeAll(async () => {
    collection = await mkdtemp(join(tmpdir(), 'sightline-cli-estimate-'));
    await mkdir(join(collection, 'nested', 'deeper'), { recursive: true });
    await writeFile(join(collection, 'photo.jpg'), await noisyJpeg(1920, 1080));
    await writeFile(join(collection, 'wide.png'), await halves(2400, 100, [255, 0, 0], [0, 0, 255]));
    await writeFile(
      join(collection, 'nested', 'small.webp'),
      await solid(200, 200, [9, 9, 9]).webp().toBuffer(),
    );
    await writeFile(
      join(collection, 'nested', 'deeper', 'anim.gif'),
      await animated(
        'gif',
        [
          [255, 0, 0],
          [0, 255, 0],
        ],
        40,
        30,
      ),
    );
    await writeFile(join(collection, 'nested', 'bomb.png'), pngBomb(9000, 10));
    await writeFile(join(collection, 'notes.txt'), 'not an image\n');
  });
  afterAll(() => rm(collection, { recursive: true, force: true }));

  it('--json over a directory: totals per model, largest, rejected with reasons', async () => {
    const result = await sightlineCli(argv`estimate ${collection}
      --models claude-sonnet-4-6,claude-opus-4-7 --json`);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(''); // no progress bar when stderr is not a terminal
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ files: 6, accepted: 4, rejected: 2 });
    const catalog = createCatalog();
    const sizes: Array<[number, number]> = [
      [1920, 1080],
      [2400, 100],
      [200, 200],
      [40, 30],
    ];
    for (const [index, id] of ['claude-sonnet-4-6', 'claude-opus-4-7'].entries()) {
      const model = catalog.find(id)!;
      const tokens = sizes.reduce(
        (sum, [width, height]) => sum + planImage(width, height, model.profile).tokens,
        0,
      );
      expect(report.models[index]).toEqual({
        model: id,
        images: 4,
        tokens,
        cost_usd: Number(((tokens * model.inputPricePerMillion) / 1e6).toFixed(6)),
      });
    }
    expect(report.largest[0]).toMatchObject({
      path: join(collection, 'photo.jpg'),
      width: 1920,
      height: 1080,
    });
    expect(
      report.rejected_images.map((entry: { path: string; reason: string }) => [
        entry.path.slice(collection.length + 1),
        entry.reason,
      ]),
    ).toEqual([
      ['nested/bomb.png', 'At least one of the image dimensions exceed max allowed size: 8000 pixels'],
      ['notes.txt', 'Could not process image: not a JPEG, PNG, GIF or WebP image'],
    ]);
    expect(report.many_image_requests.images.map((entry: { path: string }) => entry.path)).toEqual([
      join(collection, 'wide.png'),
    ]);
    expect(report.many_image_requests.rule).toMatch(
      /^would be rejected in a request with more than 20 images/,
    );
  });

  it('the table, from a relative directory', async () => {
    const result = await sightlineCli(['estimate', '.', '--models', 'claude-haiku-4-5'], { cwd: collection });
    expect(result.stdout).toContain('Images: 6 files, 4 accepted, 2 rejected');
    expect(result.stdout).toMatch(/claude-haiku-4-5-20251001\s+4\s+\d+\s+\$0\.\d{4}/);
    expect(result.stdout).toContain('Largest 3 images:'); // a summary; --list shows 5
    expect(result.stdout).toContain(
      'nested/bomb.png: At least one of the image dimensions exceed max allowed size: 8000 pixels',
    );
    expect(result.stdout).toContain('would be rejected in a request with more than 20 images');
    expect(result.stdout).toContain('wide.png (2400x100)');
  });

  it('--csv over a ** glob: one row per file', async () => {
    const result = await sightlineCli(['estimate', '**/*.png', '--csv', '--models', 'claude-opus-4-7'], {
      cwd: collection,
    });
    const rows = result.stdout.trim().split('\n');
    expect(rows[0]).toBe(
      'path,format,width,height,bytes,status,reason,claude-opus-4-7_tokens,claude-opus-4-7_usd',
    );
    expect(rows.slice(1).map((row) => row.split(',').slice(0, 4).join(','))).toEqual([
      'nested/bomb.png,png,9000,10',
      'wide.png,png,2400,100',
    ]);
  });

  it('--rules 2026-04,2026-09: both revisions side by side, tokens and cost per model per revision', async () => {
    const catalog = createCatalog();
    const models = ['claude-sonnet-4-6', 'claude-opus-4-7'];
    const sizes: Array<[number, number]> = [
      [1920, 1080],
      [2400, 100],
      [200, 200],
      [40, 30],
    ];
    const totals = (id: string, rules: '2026-04' | '2026-09') =>
      sizes.reduce((sum, [w, h]) => sum + planImage(w, h, catalog.find(id)!.profile, rules).tokens, 0);
    const json = await sightlineCli(argv`estimate ${collection}
      --models ${models.join(',')} --rules 2026-04,2026-09 --json`);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.rules).toEqual(['2026-04', '2026-09']);
    for (const [index, id] of models.entries()) {
      const price = catalog.find(id)!.inputPricePerMillion;
      const [old, current] = [totals(id, '2026-04'), totals(id, '2026-09')];
      expect(old).not.toBe(current);
      expect(report.side_by_side[index]).toEqual({
        model: id,
        revisions: {
          '2026-04': { images: 4, tokens: old, cost_usd: Number(((old * price) / 1e6).toFixed(6)) },
          '2026-09': { images: 4, tokens: current, cost_usd: Number(((current * price) / 1e6).toFixed(6)) },
        },
        tokens_change: current - old,
        cost_change_usd: expect.closeTo(((current - old) * price) / 1e6, 6),
        change_percent: Number((((current - old) / old) * 100).toFixed(2)),
      });
    }
    expect(report.revisions.map((revision: { rules: string }) => revision.rules)).toEqual([
      '2026-04',
      '2026-09',
    ]);

    const table = await sightlineCli(
      ['estimate', '.', '--models', 'claude-opus-4-7', '--rules', '2026-04,2026-09'],
      {
        cwd: collection,
      },
    );
    expect(table.stdout).toContain('Image rules side by side: 2026-04 → 2026-09');
    expect(table.stdout).toMatch(
      /model\s+tokens 2026-04\s+cost 2026-04\s+tokens 2026-09\s+cost 2026-09\s+change/,
    );
    const old = totals('claude-opus-4-7', '2026-04');
    const current = totals('claude-opus-4-7', '2026-09');
    expect(table.stdout).toMatch(
      new RegExp(`claude-opus-4-7\\s+${old}\\s+\\$[\\d.]+\\s+${current}\\s+\\$[\\d.]+\\s+-?[\\d.]+%`),
    );
    // one revision by name, or the environment's
    const single = JSON.parse(
      (await sightlineCli(['estimate', collection, '--rules', '2026-04', '--json'])).stdout,
    );
    expect(single.rules).toBe('2026-04');
    const fromEnv = await sightlineCli(['estimate', collection, '--json'], {
      env: { SIGHTLINE_VISION_RULES: '2026-04' },
    });
    expect(JSON.parse(fromEnv.stdout).rules).toBe('2026-04');
    expect((await sightlineCli(['estimate', collection, '--rules', '2025-01'])).code).toBe(2);
  });

  it('an input matching nothing: reported, exit 1; no input: usage error', async () => {
    const result = await sightlineCli(['estimate', 'nothing-here/*.jpg', '--json'], { cwd: collection });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing-here/*.jpg: no such file, directory or match');
    expect((await sightlineCli(['estimate'])).code).toBe(2);
  });
});

describe('inspect --point', () => {
  it('maps a model-view point back to the original and forth', async () => {
    await writeFile(join(cwd, 'wide.png'), await halves(1920, 1080, [200, 30, 30], [30, 30, 200]));
    const result = await sightlineCli(argv`inspect wide.png
      --model claude-sonnet-4-6 --point 722.5,406.5 --json`);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.rules).toBe('2026-09');
    expect(report.models['claude-sonnet-4-6']).toMatchObject({
      view_width: 1456,
      view_height: 819,
      point: {
        view: [722.5, 406.5],
        original: [952.75, 536.04],
        in_padding: false,
        back_to_view: [722.5, 406.5],
      },
    });
    // the 2026-04 rules, asked for
    const old = await sightlineCli(argv`inspect wide.png
      --model claude-sonnet-4-6 --point 722.5,406.5 --json --rules 2026-04`);
    expect(JSON.parse(old.stdout)).toMatchObject({
      rules: '2026-04',
      models: {
        'claude-sonnet-4-6': {
          view_width: 1445,
          view_height: 813,
          tokens: 1567,
          point: { original: [960, 540], back_to_view: [722.5, 406.5] },
        },
      },
    });
  });
});

describe('help, version, usage', () => {
  const commands = [
    ['messages', 'create'],
    ['messages', 'count-tokens'],
    ['files', 'upload'],
    ['files', 'list'],
    ['files', 'retrieve-metadata'],
    ['files', 'download'],
    ['files', 'delete'],
    ['models', 'list'],
    ['models', 'retrieve'],
    ['beta:files', 'upload'],
    ['estimate'],
    ['inspect'],
    ['serve'],
  ];
  it.each(commands)('sightline %s %s --help', async (...argv) => {
    const result = await sightlineCli([...argv.filter(Boolean), '--help'], { stdinIsTerminal: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sightline /);
  });
  it('sightline --help, --version; no command; unknown command and resource command', async () => {
    expect((await sightlineCli(['--help'])).stdout).toContain('messages create');
    expect((await sightlineCli(['files', '--help'])).stdout).toContain('retrieve-metadata');
    expect((await sightlineCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await sightlineCli([])).code).toBe(2);
    expect((await sightlineCli(['frobnicate'])).code).toBe(2);
    expect((await sightlineCli(['files', 'frobnicate'])).code).toBe(2);
    expect((await sightlineCli(['--format', 'xml', 'models', 'list'])).code).toBe(2);
  });
});
