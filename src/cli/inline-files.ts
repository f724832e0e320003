// `@path` inlining in bodies and parameters (docs/rules/cli.md §6): `\@x` escapes, `@data://` base64, `@file://`
// text, `@path` text or base64 by sniffing, `@-` stdin once; file access comes in through InlineSources.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from './args.js';
import { isUtf8TextFile } from './detect-text.js';

export interface InlineSources {
  /** the file's bytes, or null when there is no such file */
  readFile(path: string): Promise<Buffer | null>;
  /** all of stdin; undefined when stdin is not available (a terminal, or already read as the body) */
  readStdin?: (() => Promise<Buffer>) | undefined;
}

export class InlineFileError extends Error {
  override name = 'InlineFileError';
}

const STDIN_PATHS = new Set(['-', '/dev/stdin', '/dev/fd/0']);

/** Reads files relative to `cwd`; a missing file (or a missing directory on its path) is null. */
export function fileSystemSources(cwd: string, readStdin?: () => Promise<Buffer>): InlineSources {
  return {
    async readFile(path) {
      try {
        return await readFile(isAbsolute(path) ? path : resolve(cwd, path));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw new InlineFileError(`Cannot read file "${path}": ${(error as Error).message}`);
      }
    },
    readStdin: readStdin ? readStdinOnce(readStdin) : undefined,
  };
}

/** Wraps a stdin reader so that only one parameter can read it. */
export function readStdinOnce(readStdin: () => Promise<Buffer>): () => Promise<Buffer> {
  let used = false;
  return () => {
    if (used) throw new UsageError('only one parameter can read stdin (@-)');
    used = true;
    return readStdin();
  };
}

async function readRequired(path: string, sources: InlineSources): Promise<Buffer> {
  if (STDIN_PATHS.has(path)) {
    if (!sources.readStdin)
      throw new UsageError(
        `@${path}: stdin is not available (it is a terminal or was already read as the body)`,
      );
    return sources.readStdin();
  }
  const bytes = await sources.readFile(path);
  if (bytes === null) throw new InlineFileError(`Cannot read file "${path}": no such file`);
  return bytes;
}

/** One string value: returned unchanged unless it starts with `@` or `\@`. */
export async function inlineFileValue(value: string, sources: InlineSources): Promise<string> {
  if (value.startsWith('\\@')) return value.slice(1);
  if (!value.startsWith('@') || value.length === 1) return value;
  if (value.startsWith('@data://'))
    return (await readRequired(value.slice('@data://'.length), sources)).toString('base64');
  if (value.startsWith('@file://'))
    return (await readRequired(value.slice('@file://'.length), sources)).toString('utf8');
  const path = value.slice(1);
  if (STDIN_PATHS.has(path)) return asTextOrBase64(await readRequired(path, sources));
  const bytes = await sources.readFile(path);
  if (bytes === null) {
    if (path.includes('.') || path.includes('/'))
      throw new InlineFileError(
        `Cannot read file "${path}": no such file (write \\@${path} for a literal @)`,
      );
    return value; // `@username` is kept as it is
  }
  return asTextOrBase64(bytes);
}

const asTextOrBase64 = (bytes: Buffer): string =>
  isUtf8TextFile(bytes) ? bytes.toString('utf8') : bytes.toString('base64');

/** Every string anywhere in `value` (recursively, object keys excepted) goes through `inlineFileValue`. */
export async function inlineFiles(value: unknown, sources: InlineSources): Promise<unknown> {
  const visit = async (node: unknown): Promise<unknown> => {
    if (typeof node === 'string') return inlineFileValue(node, sources);
    if (Array.isArray(node)) {
      const result: unknown[] = [];
      for (const element of node) result.push(await visit(element));
      return result;
    }
    if (node !== null && typeof node === 'object') {
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) result[key] = await visit(child);
      return result;
    }
    return node;
  };
  return visit(value);
}
