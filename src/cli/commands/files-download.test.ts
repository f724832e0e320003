// The download target from content-disposition (a safe basename or nothing), and how the default target
// is written: never over an existing file, never left truncated by an interrupted download.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../run.js';
import { filenameFromDisposition, safeFileName } from './files-download.js';

describe('filenameFromDisposition', () => {
  it('quoted', () => expect(filenameFromDisposition('attachment; filename="photo.png"')).toBe('photo.png'));
  it('bare', () => expect(filenameFromDisposition('attachment; filename=photo.png')).toBe('photo.png'));
  it('RFC 5987', () =>
    expect(filenameFromDisposition("attachment; filename*=UTF-8''f%C3%BCr%20dich.png")).toBe('für dich.png'));
  it('RFC 5987 wins over the ASCII fallback, whatever the case of the charset and with a language', () => {
    expect(
      filenameFromDisposition(`attachment; filename="f?r dich.png"; filename*=UTF-8''f%C3%BCr%20dich.png`),
    ).toBe('für dich.png');
    expect(filenameFromDisposition("attachment; filename*=utf-8'de'%C3%BCber.png")).toBe('über.png');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%ZZ; filename=plain.png")).toBe('plain.png');
  });
  it('paths are cut to the basename', () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(filenameFromDisposition('attachment; filename="..\\\\..\\\\evil.png"')).toBe('evil.png');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fcron.d%2Fx")).toBe('x');
  });
  it('nothing usable: empty, dot names, hidden files, control characters', () => {
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition('attachment')).toBeNull();
    expect(filenameFromDisposition('attachment; filename=".."')).toBeNull();
    expect(filenameFromDisposition('attachment; filename=""')).toBeNull();
    expect(filenameFromDisposition('attachment; filename=".bashrc"')).toBeNull();
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%2Essh%2Fauthorized_keys")).toBe(
      'authorized_keys',
    );
    expect(filenameFromDisposition("attachment; filename*=UTF-8''a%0Ab.png")).toBeNull();
  });
  it('safeFileName', () => {
    expect(safeFileName('file_011abc')).toBe('file_011abc');
    expect(safeFileName('a/b/.hidden')).toBeNull();
    expect(safeFileName('')).toBeNull();
  });
});

describe('files download to the default target', () => {
  let server: Server;
  let baseUrl: string;
  let cwd: string;
  /** What the stand-in server answers for /v1/files/{id}/content. */
  let answer: (response: ServerResponse) => void;

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'sightline-download-'));
    server = createServer((_request, response) => answer(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(cwd, { recursive: true, force: true });
  });

  const serve = (disposition: string, body: string) => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-disposition': disposition });
      response.end(body);
    };
  };

  async function download(...extra: string[]): Promise<{ code: number; stderr: string }> {
    const stderr = new PassThrough();
    const chunks: Buffer[] = [];
    stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const code = await run(['--base-url', baseUrl, 'files', 'download', '--file-id', 'file_01', ...extra], {
      stdout: new PassThrough(),
      stderr,
      stdin,
      env: {},
      cwd,
    });
    return { code, stderr: Buffer.concat(chunks).toString('utf8') };
  }

  it('writes the server name (RFC 5987), leaving no temporary file', async () => {
    serve(`attachment; filename="f_r.png"; filename*=UTF-8''f%C3%BCr.png`, 'bytes');
    expect(await download()).toEqual({ code: 0, stderr: 'Wrote 5 bytes to für.png\n' });
    expect(await readdir(cwd)).toEqual(['für.png']);
    expect(await readFile(join(cwd, 'für.png'), 'utf8')).toBe('bytes');
  });

  it('never overwrites an existing file: exit 1, a message naming -o, the file unchanged', async () => {
    serve('attachment; filename="photo.png"', 'new bytes');
    await writeFile(join(cwd, 'photo.png'), 'precious');
    const result = await download();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/photo\.png already exists.*-o PATH/);
    expect(await readFile(join(cwd, 'photo.png'), 'utf8')).toBe('precious');
    expect(await readdir(cwd)).toEqual(['photo.png']);
  });

  it('falls back to the file id for a name starting with "."', async () => {
    serve('attachment; filename=".bashrc"', 'echo pwned');
    expect((await download()).code).toBe(0);
    expect(await readdir(cwd)).toEqual(['file_01']);
  });

  it('an interrupted download leaves no file behind', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': '100000' });
      response.write('x'.repeat(1000), () => response.destroy());
    };
    const result = await download();
    expect(result.code).toBe(1);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('a connection dropped right after the headers is an error, never a crash', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': '100000' });
      response.flushHeaders();
      setImmediate(() => response.destroy());
    };
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const result = await download();
      expect(result.code).toBe(1);
      expect(await readdir(cwd)).toEqual([]);
    }
  });

  it('-o PATH still replaces the file the user named', async () => {
    serve('attachment; filename="photo.png"', 'new bytes');
    await writeFile(join(cwd, 'photo.png'), 'old');
    expect((await download('-o', 'photo.png')).code).toBe(0);
    expect(await readFile(join(cwd, 'photo.png'), 'utf8')).toBe('new bytes');
  });
});
