// Turns `estimate` inputs into files: a file as is, a directory walked recursively, a glob (`*`, `?`,
// `**`, `{a,b}`, `[abc]`) matched by a small matcher of our own (Node 20 has no fs.glob).
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

export const hasGlob = (text: string): boolean => /[*?[{]/.test(text);

/** A glob over `/`-separated relative paths, as a RegExp. `**` spans directories, `*` does not. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index]!;
    if (character === '*') {
      if (pattern[index + 1] === '*') {
        const slashFollows = pattern[index + 2] === '/';
        source += slashFollows ? '(?:[^/]*/)*' : '.*';
        index += slashFollows ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (character === '?') {
      source += '[^/]';
    } else if (character === '[') {
      const end = pattern.indexOf(']', index + 2);
      if (end === -1) {
        source += '\\[';
      } else {
        const inside = pattern
          .slice(index + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${inside}]`;
        index = end;
      }
    } else if (character === '{') {
      braceDepth += 1;
      source += '(?:';
    } else if (character === '}' && braceDepth > 0) {
      braceDepth -= 1;
      source += ')';
    } else if (character === ',' && braceDepth > 0) {
      source += '|';
    } else if (character === '\\' && index + 1 < pattern.length) {
      source += pattern[index + 1]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      index += 1;
    } else {
      source += character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Splits a glob into the directory to walk (its segments without wildcards) and the pattern below it. */
export function splitGlob(pattern: string): { base: string; rest: string } {
  const segments = pattern.replace(/\\/g, '/').split('/');
  const firstGlob = segments.findIndex(hasGlob);
  if (firstGlob === -1) return { base: pattern, rest: '' };
  const baseSegments = segments.slice(0, firstGlob);
  const base = baseSegments.length === 0 ? '.' : baseSegments.join('/') || '/';
  return { base, rest: segments.slice(firstGlob).join('/') };
}

function isFile(path: string, entry: Dirent): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  // a link to a file counts; a link to a directory is not followed (no cycles)
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function readDirectory(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Every file under `directory` (relative `/`-separated paths), sorted, at most `maxDepth` levels down;
 * hidden entries (names starting with a dot) are skipped.
 */
export async function walkFiles(directory: string, maxDepth = Number.POSITIVE_INFINITY): Promise<string[]> {
  // synchronous listing: thousands of small directory reads are cheaper than as many thread-pool hops
  const found: string[] = [];
  const visit = (absolute: string, relative: string, depth: number): void => {
    const entries = readDirectory(absolute);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // hidden files and directories (.git, .DS_Store)
      const childAbsolute = join(absolute, entry.name);
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < maxDepth) visit(childAbsolute, childRelative, depth + 1);
      } else if (isFile(childAbsolute, entry)) {
        found.push(childRelative);
      }
    }
  };
  visit(directory, '', 1);
  return found;
}

export interface FoundFiles {
  /** absolute paths, in input order then sorted within each input, without duplicates */
  files: string[];
  /** inputs that name nothing (no such path, or a glob without matches) */
  unmatched: string[];
}

export async function findFiles(inputs: readonly string[], cwd: string): Promise<FoundFiles> {
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const input of inputs) {
    const before = files.size;
    const absolute = isAbsolute(input) ? input : resolve(cwd, input);
    const info = await stat(absolute).catch(() => null);
    if (info?.isFile()) {
      files.add(absolute);
    } else if (info?.isDirectory()) {
      for (const relative of await walkFiles(absolute)) files.add(join(absolute, ...relative.split('/')));
    } else if (hasGlob(input)) {
      const { base, rest } = splitGlob(input);
      const baseAbsolute = isAbsolute(base) ? base : resolve(cwd, base);
      const matcher = globToRegExp(rest);
      const maxDepth = rest.includes('**') ? Number.POSITIVE_INFINITY : rest.split('/').length;
      for (const relative of await walkFiles(baseAbsolute, maxDepth))
        if (matcher.test(relative)) files.add(join(baseAbsolute, ...relative.split('/')));
    }
    if (files.size === before) unmatched.push(input);
  }
  return { files: [...files], unmatched };
}

/** A path for display: relative to cwd when below it. */
export const displayPath = (absolute: string, cwd: string): string =>
  absolute.startsWith(cwd + sep) ? absolute.slice(cwd.length + 1) : absolute;
