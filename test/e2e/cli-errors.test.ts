// The CLI's first-hour messages: each mistake a new user makes gets an answer that says what to do,
// and stream transforms print exactly the selected values.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, invokeCli } from './support/cli.js';
import { startSightline, type TestSightline } from './support/servers.js';

let sightline: TestSightline;
let cwd: string;

const cli = (argv: string[], env: Record<string, string> = {}): Promise<CliResult> =>
  invokeCli(argv, {
    env: { ANTHROPIC_BASE_URL: sightline.url, ANTHROPIC_API_KEY: 'sk-first-hour', ...env },
    cwd,
  });

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

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

describe('output', () => {
  it('--stream --transform delta.text -r prints exactly the text, on one line', async () => {
    const streamed = await cli([
      'messages',
      'create',
      '--model',
      'claude-haiku-4-5',
      '--max-tokens',
      '200',
      '--message',
      '{role: user, content: hello there}',
      '--stream',
      '--transform',
      'delta.text',
      '-r',
    ]);
    expect(streamed.code).toBe(0);
    const whole = await cli([
      'messages',
      'create',
      '--model',
      'claude-haiku-4-5',
      '--max-tokens',
      '200',
      '--message',
      '{role: user, content: hello there}',
      '--transform',
      'content.0.text',
      '-r',
    ]);
    // the same answer as the non-streamed one: no JSON of other events, no line break per delta
    expect(streamed.stdout).toBe(whole.stdout.endsWith('\n') ? whole.stdout : `${whole.stdout}\n`);
    expect(streamed.stdout).not.toContain('{');
  });

  it('--stream --transform without -r prints one JSON value per matching event only', async () => {
    const result = await cli([
      'messages',
      'create',
      '--model',
      'claude-haiku-4-5',
      '--max-tokens',
      '50',
      '--message',
      '{role: user, content: hi}',
      '--stream',
      '--transform',
      'message.model',
      '--format',
      'jsonl',
    ]);
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
    const { writeFile } = await import('node:fs/promises');
    const sharp = (await import('sharp')).default;
    await writeFile(
      join(cwd, 'shot.png'),
      await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#fff' } })
        .png()
        .toBuffer(),
    );
    const result = await cli([
      'inspect',
      'shot.png',
      '--model',
      'claude-opus-4-7,claude-haiku-4-5',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as unknown;
    const text = JSON.stringify(report);
    expect(text).toContain('claude-opus-4-7');
    expect(text).toContain('claude-haiku-4-5');
    expect(text).not.toContain('claude-sonnet-4-6');
  });
});
