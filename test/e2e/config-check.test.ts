// `sightline config check FILE`: a configuration checked without starting, as an operator runs it —
// in process through run(argv, io), and once through the real binary for the exit code.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, ROOT } from '../support/process.js';
import { invokeCli } from './support/cli.js';

const GOOD = `
backends:
  ollama: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1", headers: { x-team: vision } }
  claude: { type: anthropic, base_url: "https://api.anthropic.com", api_key_env: UPSTREAM_KEY, anthropic_version: "2023-06-01" }
models:
  - { id: qwen-vl, backend: ollama, upstream_model: "qwen2.5vl:7b" }
  - { id: "claude-*", backend: claude }
files: { postgres_url: "postgres://sightline:secret@db/sightline" }
redis: { url: "redis://cache:6379" }
`;

const BAD = `
prot: 8080
port: 70000
files: { max_byte: 10 }
backends:
  ollama: { type: openai-compatible, base_url: "http://127.0.0.1:11434/v1", header: { x-team: vision } }
models:
  - { id: qwen-vl, backend: olama }
`;

let cwd: string;
const cli = (argv: string[], env: Record<string, string> = {}) => invokeCli(argv, { env, cwd });

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'sightline-config-check-'));
  await writeFile(join(cwd, 'good.yaml'), GOOD);
  await writeFile(join(cwd, 'bad.yaml'), BAD);
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('sightline config check FILE', () => {
  it('a valid file: exit 0 and a summary of backends, models and stores (passwords hidden)', async () => {
    const result = await cli(['config', 'check', 'good.yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('good.yaml: valid');
    expect(result.stdout).toMatch(
      /backends +ollama \(openai-compatible, http:\/\/127\.0\.0\.1:11434\/v1\), claude \(anthropic, https:\/\/api\.anthropic\.com\), local \(built in\)/,
    );
    expect(result.stdout).toMatch(
      /models +qwen-vl → ollama \(qwen2\.5vl:7b\), claude-\* → claude, every other catalog model → local/,
    );
    expect(result.stdout).toContain('metadata in PostgreSQL (postgres://sightline:***@db/sightline)');
    expect(result.stdout).toContain('rate limits in Redis (redis://cache:6379)');
    expect(result.stdout).not.toContain('secret');
  });

  it('a wrong file: exit 1 and every mistake, one a line, with the closest valid key', async () => {
    const result = await cli(['config', 'check', 'bad.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect([...lines].sort()).toEqual(
      [
        'bad.yaml: unknown key "prot" (did you mean "port"?)',
        'bad.yaml: port: expected a port number (1–65535), got 70000',
        'bad.yaml: unknown key "files.max_byte" (did you mean "files.max_bytes"?)',
        'bad.yaml: unknown key "backends.ollama.header" (did you mean "backends.ollama.headers"?)',
        'bad.yaml: models.0.backend: no backend named olama (known: local, ollama)',
        'bad.yaml: 5 problems',
      ].sort(),
    );
  });

  it('checks the environment serve would apply, and a model like no catalog model', async () => {
    const badEnv = await cli(['config', 'check', 'good.yaml'], { SIGHTLINE_PORT: '99999' });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toContain('SIGHTLINE_PORT: expected a port number (1–65535), got "99999"');
    await writeFile(join(cwd, 'like.yaml'), 'models: [{ id: acme, backend: local, like: claude-nope }]\n');
    const like = await cli(['config', 'check', 'like.yaml']);
    expect(like.code).toBe(1);
    expect(like.stderr).toContain('like.yaml: models.0.like: no catalog model named claude-nope');
  });

  it('usage mistakes: exit 2 with what to type; listed in the help', async () => {
    const missing = await cli(['config', 'check']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('sightline config check FILE');
    const unreadable = await cli(['config', 'check', 'nowhere.yaml']);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain('nowhere.yaml: ENOENT');
    const help = await cli(['--help']);
    expect(help.stdout).toMatch(/config check FILE +check a YAML configuration without starting/);
    const own = await cli(['config', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('Usage: sightline config check FILE');
  });

  it('serve refuses the same file before starting, every mistake on its own line; and --port 70000', async () => {
    const serve = await cli(['serve', '--config', 'bad.yaml']);
    expect(serve.code).toBe(2);
    const lines = serve.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines).toContain(
      'sightline serve: configuration: bad.yaml: unknown key "prot" (did you mean "port"?)',
    );
    const port = await cli(['serve', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port takes a port number, 0–65535 (got "70000")');
  });

  it('the real binary exits 0 for a valid file and 1 for a wrong one', async () => {
    ensureBuilt();
    const run = promisify(execFile);
    const good = await run(process.execPath, [BIN, 'config', 'check', join(cwd, 'good.yaml')], { cwd: ROOT });
    expect(good.stdout).toContain('good.yaml: valid');
    const bad = await run(process.execPath, [BIN, 'config', 'check', join(cwd, 'bad.yaml')], {
      cwd: ROOT,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown key "prot" (did you mean "port"?)');
  });
});
