// `sightline files download --file-id ID [-o PATH | -o -]` (alias `beta:files download`): GET
// /v1/files/{file_id}/content streamed to PATH, to stdout (-o -), or by default to the file's own name.
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { copyFile, link, lstat, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ApiCommand } from '../api-command.js';
import { requiredParameter, textOption } from '../api-parameters.js';
import { print } from '../io.js';

/**
 * A name from the server (untrusted) or the file id, reduced to a base name; null when that is empty,
 * starts with `.` (`.`, `..`, hidden files such as `.bashrc`) or holds control characters.
 */
export function safeFileName(name: string): string | null {
  const base = basename(name.replace(/\\/g, '/'));
  if (base === '' || base.startsWith('.') || /[\u0000-\u001f\u007f]/.test(base)) return null;
  return base;
}

/** The filename of a `content-disposition` header (RFC 6266; `filename*` per RFC 5987 wins), made safe. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /(?:^|;)\s*filename\*\s*=\s*utf-8'[^']*'([^;\s]+)/i.exec(header)?.[1];
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;\s]+))/i.exec(header);
  const plainName = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  let name: string | undefined;
  try {
    name = extended === undefined ? plainName : decodeURIComponent(extended);
  } catch {
    name = plainName; // a malformed percent-encoding: use the plain fallback, if any
  }
  return name === undefined ? null : safeFileName(name);
}

/** The default target already exists: never overwritten without -o. */
class TargetExistsError extends Error {}

/**
 * Writes `body` to a new file at `path`: into a hidden temporary sibling first (opened `wx`), then linked
 * to `path`, which fails if `path` exists — an existing file is never replaced, and an interrupted
 * download never leaves a truncated file under the real name.
 */
async function writeNewFile(openBody: () => Readable, path: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  // Opened before the copy starts: a stream that opens its file lazily could create it after the
  // cleanup below, when the body fails at once (found by CI: a `.part` file left behind).
  const file = await open(temporary, 'wx');
  try {
    await pipeline(openBody(), file.createWriteStream());
    try {
      await link(temporary, path); // an exclusive rename: EEXIST when path exists
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new TargetExistsError();
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      // a file system without hard links: an exclusive copy instead
      await copyFile(temporary, path, constants.COPYFILE_EXCL).catch((copyError: unknown) => {
        throw (copyError as NodeJS.ErrnoException).code === 'EEXIST' ? new TargetExistsError() : copyError;
      });
    }
  } finally {
    await file.close().catch(() => {}); // already closed by the stream, except when it never started
    await rm(temporary, { force: true });
  }
}

const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

export const filesDownloadCommand: ApiCommand = {
  name: 'files download',
  summary: "a file's content (GET /v1/files/{file_id}/content)",
  help: `Usage: sightline [global options] files download --file-id ID [-o PATH]

Writes the file's bytes to PATH (replacing it), to stdout with '-o -', or by default to the file's
own name in the current directory. That name comes from the server: only its base name is used, and
a name that is empty or starts with '.' is replaced by the file id. The default target is never
overwritten: if it exists, nothing is written (exit 1); name another with -o.

Options:
  --file-id ID            the file (or file_id in piped YAML)
  -o, --output PATH       where to write (- for stdout)`,
  options: { 'file-id': { value: true }, output: { value: true, short: 'o' } },
  stdin: 'parameters',
  parameterKeys: ['file_id'],
  requiredFlag: 'file-id',
  async execute(context) {
    const fileId = await requiredParameter(context, 'file-id', 'file_id');
    const response = await context.client.send({
      method: 'GET',
      path: `/v1/files/${encodeURIComponent(fileId)}/content`,
      beta: context.beta,
      betas: context.betas,
      accept: 'application/binary',
    });
    // The Node stream is made only where it is piped: made earlier, an error while we await something
    // else (the connection dropping) would be emitted with no listener and crash the process.
    const openBody = () =>
      response.body
        ? Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>)
        : Readable.from([]);
    const output = textOption(context, 'output');
    if (output === '-') {
      await pipeline(openBody(), context.io.stdout, { end: false });
      return 0;
    }
    if (output !== undefined) {
      // The user named the target: it is replaced, as asked.
      const path = resolve(context.io.cwd, output);
      await pipeline(openBody(), createWriteStream(path));
      print(context.io.stderr, `Wrote ${(await stat(path)).size} bytes to ${output}`);
      return 0;
    }
    const target =
      filenameFromDisposition(response.headers.get('content-disposition')) ?? safeFileName(fileId);
    const refuse = (reason: string): number => {
      void response.body?.cancel().catch(() => {});
      print(context.io.stderr, `sightline files download: ${reason}`);
      return 1;
    };
    if (target === null) return refuse('no safe file name to write to; choose one with -o PATH');
    const path = resolve(context.io.cwd, target);
    const existsMessage = `${target} already exists; not overwriting it (use -o PATH to choose the target)`;
    if (await exists(path)) return refuse(existsMessage);
    try {
      await writeNewFile(openBody, path);
    } catch (error) {
      if (error instanceof TargetExistsError) return refuse(existsMessage);
      throw error;
    }
    print(context.io.stderr, `Wrote ${(await stat(path)).size} bytes to ${target}`);
    return 0;
  },
};
