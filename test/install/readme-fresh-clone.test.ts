// The README as a new user follows it, on a fresh clone: its first command with an empty npm cache (the
// registry is reachable; nothing may be compiled), then the first-minutes block (`npm link`, the key,
// a CLI call) and the CLI block, run as written by bash against the server that command started.
// Slow by nature (a real `npm ci`, ~1 min): it is what `.ci/run` proves on every stop.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/images.js';
import { ROOT } from '../support/process.js';

const run = promisify(execFile);
const README_PORT = 8787; // the README's commands name it

/** The bash code blocks of the README, in order. */
async function readmeBlocks(): Promise<string[]> {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

let work: string;
let clone: string;
let server: ChildProcess | undefined;
let output = '';
let startSeconds = 0;

/** Runs `script` with bash -e in `cwd`, the linked bin first on PATH. */
const bash = (script: string, cwd: string) =>
  run('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd,
    env: {
      ...process.env,
      PATH: `${join(work, 'prefix', 'bin')}:${process.env.PATH}`,
      npm_config_prefix: join(work, 'prefix'), // `npm link` links here, not into the system
      npm_config_cache: join(work, 'npm-cache'),
      ANTHROPIC_BASE_URL: '',
      ANTHROPIC_API_KEY: '',
    },
    maxBuffer: 64 * 1024 * 1024,
  });

beforeAll(async () => {
  if (!(await portIsFree(README_PORT)))
    throw new Error(`port ${README_PORT} is busy: the README's commands need it (stop what listens there)`);
  work = await mkdtemp(join(tmpdir(), 'sightline-fresh-'));
  clone = join(work, 'sightline');
  await run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
  const [first] = await readmeBlocks();
  const command = first!.split('\n')[0]!.replace(/\s+#.*$/, '');
  expect(command).toBe('npm ci && npm start');
  const started = Date.now();
  server = spawn('bash', ['-c', command], {
    cwd: clone,
    detached: true, // its own process group: npm, tsc and the server stop together
    env: {
      ...process.env,
      npm_config_cache: join(work, 'npm-cache'),
      CI: 'true',
      SIGHTLINE_LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 5 minutes:\n${output}`)), 300_000);
    const check = () => {
      if (/listening on http:\/\/127\.0\.0\.1:8787/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    server!.stdout?.on('data', check);
    server!.stderr?.on('data', check);
    server!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  startSeconds = (Date.now() - started) / 1000;
  console.log(
    `README first command on a fresh clone, empty npm cache: listening after ${startSeconds.toFixed(1)} s`,
  );
}, 330_000);

afterAll(async () => {
  if (server?.pid !== undefined && server.exitCode === null) {
    process.kill(-server.pid, 'SIGTERM');
    await new Promise((done) => server!.once('exit', done));
  }
  if (work) await rm(work, { recursive: true, force: true });
}, 60_000);

describe('the README on a fresh clone', () => {
  it('installs without compiling anything and the server answers', async () => {
    expect(output).not.toMatch(/node-gyp|gyp info/);
    const health = await fetch(`http://127.0.0.1:${README_PORT}/healthz`);
    expect(health.status).toBe(200);
    const models = await fetch(`http://127.0.0.1:${README_PORT}/v1/models`, {
      headers: { 'x-api-key': 'k' },
    });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect(output).toContain(`Workbench   http://127.0.0.1:${README_PORT}/`);
    // `npm start` built the Workbench too: the page and its compiled modules are served
    expect((await fetch(`http://127.0.0.1:${README_PORT}/`)).status).toBe(200);
    for (const module of ['/workbench/web/main.js', '/workbench/src/imaging/plan.js']) {
      const response = await fetch(`http://127.0.0.1:${README_PORT}${module}`);
      expect(response.status, module).toBe(200);
      expect(response.headers.get('content-type'), module).toMatch(/^text\/javascript/);
    }
  });

  it('the first-minutes block: npm link puts sightline on PATH, and the CLI answers with the key', async () => {
    const blocks = await readmeBlocks();
    const firstMinutes = blocks.find((block) => block.includes('npm link'))!;
    const { stdout } = await bash(firstMinutes, clone);
    // npm link says what it added; then one model id per line
    const ids = stdout
      .trim()
      .split('\n')
      .filter((line) => /^claude-[\w.-]+$/.test(line));
    expect(ids).toContain('claude-opus-4-7');
    expect(ids.length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('the CLI block runs as written', async () => {
    const blocks = await readmeBlocks();
    const firstMinutes = blocks.find((block) => block.includes('npm link'))!;
    const cliBlock = blocks.find((block) => block.includes("messages create <<'YAML'"))!;
    const folder = join(work, 'user');
    await mkdir(join(folder, 'photos', 'trip'), { recursive: true });
    await copyFile(join(FIXTURES, 'libvips', 'sample.jpg'), join(folder, 'image.jpg'));
    const shot = await sharp({ create: { width: 2560, height: 1600, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    await writeFile(join(folder, 'shot.png'), shot);
    for (let index = 0; index < 5; index += 1)
      await copyFile(join(FIXTURES, 'libvips', 'sample.jpg'), join(folder, 'photos', 'trip', `${index}.jpg`));
    // the exports of the first-minutes block, then the CLI block, in one shell
    const exports = firstMinutes
      .split('\n')
      .filter((line) => line.startsWith('export '))
      .join('\n');
    const { stdout } = await bash(`${exports}\n${cliBlock}`, folder);
    expect(stdout).toContain('"type": "message"'); // messages create
    expect(stdout).toContain('"filename": "image.jpg"'); // retrieve-metadata of the uploaded file
    expect(stdout).toContain('claude-opus-4-7'); // inspect
    expect(stdout).toMatch(/claude-sonnet-4-6/); // estimate
    await expect(readFile(join(folder, 'views', 'shot.claude-opus-4-7.png'))).resolves.toBeInstanceOf(Buffer);
  }, 120_000);
});
