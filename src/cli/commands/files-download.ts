// `sightline files download --file-id ID [-o PATH | -o -]` (alias `beta:files download`): GET
// /v1/files/{file_id}/content streamed to PATH, to stdout (-o -), or by default to the file's own name.
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ApiCommand } from '../api-command.js';
import { requiredParameter, textOption } from '../api-parameters.js';
import { print } from '../io.js';

/** The filename of a `content-disposition` header, reduced to a safe basename; null when absent. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  const plain = /filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;\s]+))/.exec(header);
  let name: string | undefined;
  try {
    name = extended ? decodeURIComponent(extended) : (plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]);
  } catch {
    name = plain?.[1] ?? plain?.[2];
  }
  const safe = name === undefined ? '' : basename(name.replace(/\\/g, '/'));
  return safe === '' || safe === '.' || safe === '..' ? null : safe;
}

export const filesDownloadCommand: ApiCommand = {
  name: 'files download',
  summary: "a file's content (GET /v1/files/{file_id}/content)",
  help: `Usage: sightline [global options] files download --file-id ID [-o PATH]

Writes the file's bytes to PATH, to stdout with '-o -', or by default to the file's own name in the
current directory.

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
    const body = response.body
      ? Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>)
      : Readable.from([]);
    const output = textOption(context, 'output');
    if (output === '-') {
      await pipeline(body, context.io.stdout, { end: false });
      return 0;
    }
    const target =
      output ?? filenameFromDisposition(response.headers.get('content-disposition')) ?? basename(fileId);
    const path = resolve(context.io.cwd, target);
    await pipeline(body, createWriteStream(path));
    print(context.io.stderr, `Wrote ${(await stat(path)).size} bytes to ${target}`);
    return 0;
  },
};
