// Every docs/rules/cli.md §6 rule: `@path` text vs binary, `@data://`, `@file://`, `\@`, `@username`, a missing
// file, stdin, recursion through the body, and files read relative to the working directory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUtf8TextFile, sniffsAsText } from './detect-text.js';
import {
  fileSystemSources,
  InlineFileError,
  type InlineSources,
  inlineFiles,
  inlineFileValue,
} from './inline-files.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);
const FILES: Record<string, Buffer> = {
  'notes.txt': Buffer.from('héllo\nworld\n'),
  'image.png': PNG,
  'data.json': Buffer.from('{"a": 1}'),
  'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
  'doc.pdf': Buffer.from('%PDF-1.4 all text'),
};
const memory: InlineSources = { readFile: async (path) => FILES[path.replace(/^\.\//, '')] ?? null };

describe('inlineFileValue', () => {
  it('@path to a text file: the text', async () =>
    expect(await inlineFileValue('@notes.txt', memory)).toBe('héllo\nworld\n'));
  it('@./path works too', async () =>
    expect(await inlineFileValue('@./notes.txt', memory)).toBe('héllo\nworld\n'));
  it('@path to JSON: the text', async () =>
    expect(await inlineFileValue('@data.json', memory)).toBe('{"a": 1}'));
  it('@path to an image: base64', async () =>
    expect(await inlineFileValue('@image.png', memory)).toBe(PNG.toString('base64')));
  it('@path to text that is not UTF-8: base64', async () =>
    expect(await inlineFileValue('@latin1.txt', memory)).toBe(FILES['latin1.txt']!.toString('base64')));
  it('@path to a PDF (sniffed as application/pdf): base64', async () =>
    expect(await inlineFileValue('@doc.pdf', memory)).toBe(FILES['doc.pdf']!.toString('base64')));
  it('@data:// is always base64', async () =>
    expect(await inlineFileValue('@data://notes.txt', memory)).toBe(FILES['notes.txt']!.toString('base64')));
  it('@file:// is always text', async () =>
    expect(await inlineFileValue('@file://latin1.txt', memory)).toBe(FILES['latin1.txt']!.toString('utf8')));
  it('\\@ escapes', async () => expect(await inlineFileValue('\\@notes.txt', memory)).toBe('@notes.txt'));
  it('@username (no such file, no dot or slash) is kept', async () =>
    expect(await inlineFileValue('@username', memory)).toBe('@username'));
  it('@missing.png is an error', async () =>
    await expect(inlineFileValue('@missing.png', memory)).rejects.toThrow(InlineFileError));
  it('@dir/missing is an error', async () =>
    await expect(inlineFileValue('@dir/missing', memory)).rejects.toThrow('Cannot read file "dir/missing"'));
  it('@data://missing is an error', async () =>
    await expect(inlineFileValue('@data://missing', memory)).rejects.toThrow(InlineFileError));
  it('plain strings and a lone @ are untouched', async () => {
    expect(await inlineFileValue('hello @notes.txt', memory)).toBe('hello @notes.txt');
    expect(await inlineFileValue('@', memory)).toBe('@');
  });
  it('@- reads stdin', async () =>
    expect(await inlineFileValue('@-', { ...memory, readStdin: async () => Buffer.from('from stdin') })).toBe(
      'from stdin',
    ));
  it('@- without stdin', async () => await expect(inlineFileValue('@-', memory)).rejects.toThrow('stdin'));
});

describe('inlineFiles', () => {
  it('every string value, recursively; keys and other values untouched', async () =>
    expect(
      await inlineFiles(
        {
          model: 'm',
          max_tokens: 5,
          '@notes.txt': true,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: '@./image.png' } },
                { type: 'text', text: '@file://notes.txt' },
                { type: 'text', text: '\\@me' },
              ],
            },
          ],
        },
        memory,
      ),
    ).toEqual({
      model: 'm',
      max_tokens: 5,
      '@notes.txt': true,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') },
            },
            { type: 'text', text: 'héllo\nworld\n' },
            { type: 'text', text: '@me' },
          ],
        },
      ],
    }));
});

describe('fileSystemSources', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sightline-inline-'));
    await writeFile(join(directory, 'image.png'), PNG);
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('reads relative to the working directory', async () =>
    expect(await inlineFileValue('@./image.png', fileSystemSources(directory))).toBe(PNG.toString('base64')));
  it('a missing file is null, so @name rules apply', async () =>
    expect(await fileSystemSources(directory).readFile('nope/x.png')).toBeNull());
  it('stdin can be read by one parameter only', async () => {
    const sources = fileSystemSources(directory, async () => Buffer.from('x'));
    expect(await inlineFileValue('@-', sources)).toBe('x');
    await expect(inlineFileValue('@-', sources)).rejects.toThrow('only one parameter');
  });
});

describe('detect-text', () => {
  it('plain text', () => expect(sniffsAsText(Buffer.from('hello\tworld\r\n'))).toBe(true));
  it('an empty file is text', () => expect(isUtf8TextFile(Buffer.alloc(0))).toBe(true));
  it('control bytes make it binary', () => expect(sniffsAsText(Buffer.from([0x68, 0x00, 0x69]))).toBe(false));
  it('only the first 512 bytes are sniffed', () =>
    expect(sniffsAsText(Buffer.concat([Buffer.alloc(600, 0x61), Buffer.from([0])]))).toBe(true));
  it('GIF, JPEG and WebP headers are binary', () => {
    expect(sniffsAsText(Buffer.from('GIF89a text'))).toBe(false);
    expect(sniffsAsText(Buffer.from([0xff, 0xd8, 0xff, 0x41]))).toBe(false);
    expect(sniffsAsText(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '))).toBe(false);
  });
  it('a UTF-8 BOM is text', () => expect(isUtf8TextFile(Buffer.from('\ufeffhi'))).toBe(true));
});
