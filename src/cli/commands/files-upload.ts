// `sightline files upload --file PATH` (alias `beta:files upload`): POST /v1/files as multipart, the file
// streamed from disk in the field `file` (filename = basename, part type from the extension).
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { type ApiCommand, printResponse, readAll } from '../api-command.js';
import { integerOption, textOption } from '../api-parameters.js';
import { UsageError } from '../args.js';
import { contentTypeForFile, type UploadPart } from '../http-client.js';
import { InlineFileError } from '../inline-files.js';

/** `--file` takes a plain path; `@path`, `@data://path` and `@file://path` mean the same file. */
export const uploadPath = (value: string): string => value.replace(/^@(?:data:\/\/|file:\/\/)?/, '');

export const filesUploadCommand: ApiCommand = {
  name: 'files upload',
  summary: 'upload a file (POST /v1/files)',
  help: `Usage: sightline [global options] files upload --file PATH [options]

Uploads a file to the Files API and prints its metadata. Print only the id with
'--transform id --raw-output'.

Options:
  --file PATH                  the file (- reads stdin)
  --expires-in-seconds N       expiry, 3600 to 7776000 (GA surface)
  --beta NAME                  extra anthropic-beta values (beta:files always sends files-api-2025-04-14)`,
  options: { file: { value: true }, 'expires-in-seconds': { value: true } },
  stdin: 'none',
  async execute(context) {
    const given = textOption(context, 'file');
    if (given === undefined) throw new UsageError('missing --file PATH');
    const path = uploadPath(given);
    const expires = integerOption(context, 'expires-in-seconds');
    const fields = expires === undefined ? {} : { expires_in_seconds: String(expires) };
    let upload: UploadPart;
    if (path === '-') {
      if (context.io.stdin.isTTY) throw new UsageError('--file -: stdin is a terminal');
      upload = {
        filename: 'stdin',
        contentType: 'application/octet-stream',
        bytes: await readAll(context.io.stdin),
        fields,
      };
    } else {
      const absolute = isAbsolute(path) ? path : resolve(context.io.cwd, path);
      const info = await stat(absolute).catch(() => null);
      if (!info?.isFile()) throw new InlineFileError(`Cannot read file "${path}": no such file`);
      upload = { filename: basename(path), contentType: contentTypeForFile(path), path: absolute, fields };
    }
    const response = await context.client.send({
      method: 'POST',
      path: '/v1/files',
      beta: context.beta,
      betas: context.betas,
      upload,
    });
    return printResponse(context, response, 'FileMetadata');
  },
};
