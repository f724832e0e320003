// Issue 11, item 7: a disk that fills up during an upload. The blob directory of a real `sightline serve`
// process is a 3 MB tmpfs, so the failure is the kernel's own ENOSPC. Mounting needs root: elsewhere the
// test is skipped (it says so).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic, { toFile } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer, waitForExit } from '../support/process.js';

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = join(tmpdir(), `sightline-mount-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', probe]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rm', ['-rf', probe]);
  }
})();

let server: ServerProcess;
let dataDir: string;
let blobs: string;
let client: Anthropic;

beforeAll(async () => {
  if (!canMount) return;
  dataDir = await mkdtemp(join(tmpdir(), 'sightline-enospc-'));
  blobs = join(dataDir, 'blobs');
  await mkdir(blobs, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', blobs]);
  server = await spawnServer(['--data-dir', dataDir]);
  client = new Anthropic({ baseURL: server.url, apiKey: 'sk-enospc', maxRetries: 0 });
});

afterAll(async () => {
  if (!canMount) return;
  server?.child.kill('SIGTERM');
  if (server) await waitForExit(server.child);
  execFileSync('umount', [blobs]);
  await rm(dataDir, { recursive: true, force: true });
});

const upload = async (name: string, bytes: Buffer) =>
  client.beta.files.upload({ file: await toFile(bytes, name, { type: 'application/octet-stream' }) });

describe.skipIf(!canMount)('a full disk during an upload', () => {
  it('answers 500 api_error with a generic message, retryable, and lists nothing half-written', async () => {
    const kept = await upload('fits.bin', randomBytes(1024 * 1024));
    const error = await upload('too-big-for-the-disk.bin', randomBytes(6 * 1024 * 1024)).then(
      () => undefined,
      (failure: unknown) => failure as InstanceType<typeof Anthropic.APIError>,
    );
    expect(error?.status).toBe(500);
    expect(error?.error).toMatchObject({
      type: 'error',
      error: { type: 'api_error', message: 'The file could not be stored: storage is failing on the server' },
    });
    expect(JSON.stringify(error?.error)).not.toMatch(/ENOSPC|no space|\/tmp/i);
    expect(error?.headers?.get('x-should-retry')).toBe('true');
    expect(error?.requestID).toMatch(/^req_/);

    const listed = [];
    for await (const file of client.beta.files.list()) listed.push(file.id);
    expect(listed).toEqual([kept.id]);
    expect(await readdir(join(blobs, 'tmp'))).toEqual([]);
    // the space came back: the next upload that fits is stored
    const after = await upload('small.bin', randomBytes(100 * 1024));
    expect(after.size_bytes).toBe(100 * 1024);
  });
});
