// The GJSON subset `--transform` takes (docs/rules/cli.md §4): dotted keys (`\.` escapes, `*`/`?` wildcards),
// array indexes, `#` (an array's length) and `#.rest` (rest on every element). Pure.

export type PathResult = { found: true; value: unknown } | { found: false };

const NOT_FOUND: PathResult = { found: false };

/** Splits `a.b\.c.0` into `['a', 'b.c', '0']`. */
export function splitPath(path: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let index = 0; index < path.length; index += 1) {
    const character = path[index]!;
    if (character === '\\' && index + 1 < path.length) {
      current += path[index + 1];
      index += 1;
    } else if (character === '.') {
      segments.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  segments.push(current);
  return segments;
}

const hasWildcard = (segment: string): boolean => /[*?]/.test(segment);

function wildcardMatcher(pattern: string): RegExp {
  const source = [...pattern]
    .map((character) =>
      character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 's');
}

function walk(value: unknown, segments: readonly string[]): PathResult {
  if (segments.length === 0) return { found: true, value };
  const [segment, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(value)) {
    if (segment === '#') {
      if (rest.length === 0) return { found: true, value: value.length };
      const collected: unknown[] = [];
      for (const element of value) {
        const result = walk(element, rest);
        if (result.found) collected.push(result.value);
      }
      return { found: true, value: collected };
    }
    if (!/^\d+$/.test(segment)) return NOT_FOUND;
    const index = Number(segment);
    return index < value.length ? walk(value[index], rest) : NOT_FOUND;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (hasWildcard(segment)) {
      const matcher = wildcardMatcher(segment);
      const key = Object.keys(record).find((candidate) => matcher.test(candidate));
      return key === undefined ? NOT_FOUND : walk(record[key], rest);
    }
    return Object.hasOwn(record, segment) ? walk(record[segment], rest) : NOT_FOUND;
  }
  return NOT_FOUND;
}

/** Looks `path` up in `value`; an empty path matches the value itself. */
export function getPath(value: unknown, path: string): PathResult {
  if (path === '' || path === '@this') return { found: true, value };
  return walk(value, splitPath(path));
}

/** `--transform`: the matched value, or the whole value when the path matches nothing. */
export function applyTransform(value: unknown, path: string | undefined): unknown {
  if (path === undefined) return value;
  const result = getPath(value, path);
  return result.found ? result.value : value;
}
