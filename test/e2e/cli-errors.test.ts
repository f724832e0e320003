// The CLI's first-hour messages: each mistake a new user makes gets an answer that says what to do,
// and stream transforms print exactly the selected values.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngBomb as pngHeader, solid } from '../support/images.js';
import { closedPort } from '../support/upstreams.js';
import { argv, type CliResult, invokeCli } from './support/cli.js';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let cwd: string;

const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  invokeCli(args, {
    env: { ANTHROPIC_BASE_URL: sightline.url, ANTHROPIC_API_KEY: 'sk-first-hour', ...env },
    cwd,
  });

beforeAll(async () => {
  sightline = await startSightline();
  cwd = await mkdtemp(join(tmpdir(), 'sightline-cli-errors-'));
});
afterAll(async () => {
  await sightline.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe('mistakes answered with what to do', () => {
  it('a server that is not running: how to start it', async () => {
    const port = await closedPort();
    const result = await cli(['models', 'list'], { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).toContain(
      `Nothing is listening at http://127.0.0.1:${port}. Start Sightline first`,
    );
    expect(result.stderr).toContain("'sightline serve'");
  });

  it('/v1 in the base URL: drop it', async () => {
    const result = await cli(['--base-url', `${sightline.url}/v1`, 'models', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the base URL ends with /v1');
    expect(result.stderr).toContain('drop it');
  });

  it('an unknown command or flag: the closest one', async () => {
    const command = await cli(['mesages', 'create']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "mesages" (did you mean messages?)');
    const sub = await cli(['messages', 'craete']);
    expect(sub.stderr).toContain('unknown command "craete" (did you mean create?)');
    const option = await cli(['messages', 'create', '--max-token', '5']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option --max-token (did you mean --max-tokens?)');
    const far = await cli(['models', 'list', '--zzzzzz']);
    expect(far.stderr).toContain('unknown option --zzzzzz');
    expect(far.stderr).not.toContain('did you mean');
  });
});

describe('estimate over a large collection', () => {
  it('20,000 files: a summary of at most ~30 lines by default, every file with --list', async () => {
    const collection = join(cwd, 'collection');
    await mkdir(collection, { recursive: true });
    const small = await solid(64, 48, [136, 136, 136]).png().toBuffer();
    const wide = pngHeader(2400, 30); // over 2000 px: refused in many-image requests
    const huge = pngHeader(9000, 10); // over 8000 px: rejected
    const kinds = (index: number) => (index % 10 === 0 ? huge : index % 7 === 0 ? wide : small);
    for (let start = 0; start < 20_000; start += 1000) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, offset) => {
          const index = start + offset;
          return writeFile(join(collection, `img-${index}.png`), kinds(index));
        }),
      );
    }
    const summary = await cli(['estimate', collection]);
    expect(summary.code).toBe(0);
    const lines = summary.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(30);
    expect(lines[0]).toBe('Images: 20000 files, 18000 accepted, 2000 rejected (image rules 2026-09)');
    expect(summary.stdout).toContain('… and 1997 more (--list shows every file)');
    const listed = await cli(['estimate', collection, '--list']);
    expect(
      listed.stdout.split('\n').filter((line) => line.includes(': At least one of the image dimensions')),
    ).toHaveLength(2000);
  }, 60_000);

  it('an input that matches nothing: the error only, no empty table', async () => {
    const result = await cli(['estimate', './nonexistent']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('sightline estimate: ./nonexistent: no such file, directory or match\n');
  });

  it('--model is the one spelling, repeatable and with comma lists', async () => {
    await writeFile(join(cwd, 'one.png'), pngHeader(100, 100));
    const result = await cli(argv`estimate one.png
      --model claude-opus-4-7,claude-haiku-4-5 --model claude-sonnet-4-6 --json`);
    const report = JSON.parse(result.stdout) as { models: Array<{ model: string }> };
    expect(report.models.map((total) => total.model)).toEqual([
      'claude-opus-4-7',
      'claude-haiku-4-5-20251001',
      'claude-sonnet-4-6',
    ]);
  });
});

describe('output', () => {
  it('--stream --transform delta.text -r prints exactly the text, on one line', async () => {
    const streamed = await cli(argv`messages create --model claude-haiku-4-5 --max-tokens 200
      --message ${'{role: user, content: hello there}'} --stream --transform delta.text -r`);
    expect(streamed.code).toBe(0);
    const whole = await cli(argv`messages create --model claude-haiku-4-5 --max-tokens 200
      --message ${'{role: user, content: hello there}'} --transform content.0.text -r`);
    // the same answer as the non-streamed one: no JSON of other events, no line break per delta
    expect(streamed.stdout).toBe(whole.stdout.endsWith('\n') ? whole.stdout : `${whole.stdout}\n`);
    expect(streamed.stdout).not.toContain('{');
  });

  it('--stream --transform without -r prints one JSON value per matching event only', async () => {
    const result = await cli(argv`messages create --model claude-haiku-4-5 --max-tokens 50
      --message ${'{role: user, content: hi}'} --stream --transform message.model --format jsonl`);
    expect(result.stdout).toBe('"claude-haiku-4-5"\n'); // only message_start carries message.model
  });

  it('models list --format jsonl: one line per model', async () => {
    const result = await cli(['models', 'list', '--format', 'jsonl', '--limit', '3']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const page = await cli(['models', 'list', '--limit', '1000', '--transform', 'data.#.id']);
    const listed = JSON.parse(page.stdout) as string[];
    expect(listed.length).toBeGreaterThan(3); // so the jsonl listing had to follow pages
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(listed);
    expect(
      lines.map((line) => (JSON.parse(line) as { type: string }).type).every((type) => type === 'model'),
    ).toBe(true);
  });

  it('inspect takes --model as a comma list too', async () => {
    await writeFile(join(cwd, 'shot.png'), await solid(1920, 1080, [255, 255, 255]).png().toBuffer());
    const result = await cli(argv`inspect shot.png --model claude-opus-4-7,claude-haiku-4-5 --json`);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as unknown;
    const text = JSON.stringify(report);
    expect(text).toContain('claude-opus-4-7');
    expect(text).toContain('claude-haiku-4-5');
    expect(text).not.toContain('claude-sonnet-4-6');
  });
});
