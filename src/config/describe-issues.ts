// Every configuration mistake in one style, all of them at once:
//   unknown key "files.max_byte" (did you mean "files.max_bytes"?)
//   port: expected a port number (1–65535), got 70000
//   SIGHTLINE_PORT: expected a port number (1–65535), got "x"
// (prefixed with the file's name when there is one: `sightline.yaml: port: …`).
import type { z } from 'zod';
import type { UnknownKeyParams } from './schema-fields.js';
import { closest } from './suggest.js';

/** One or more configuration mistakes; `problems` lists them, the message has one a line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'));
    this.problems = list;
  }
}

type Path = readonly PropertyKey[];

const formatPath = (path: Path): string => path.map(String).join('.');

function valueAt(document: unknown, path: Path): { found: boolean; value?: unknown } {
  let value = document;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return { found: false };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value };
}

/** The value given, short: `70000`, `"tiff"`, `{"a":1}`; `nothing` when the key is missing. */
function describeValue(document: unknown, path: Path): string {
  const { found, value } = valueAt(document, path);
  if (!found || value === undefined) return 'nothing';
  const text = value instanceof Date ? JSON.stringify(value.toISOString()) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const unknownKeyParams = (issue: z.core.$ZodIssue): UnknownKeyParams | undefined =>
  issue.code === 'custom' && (issue.params as Partial<UnknownKeyParams> | undefined)?.unknownKey === true
    ? (issue.params as UnknownKeyParams)
    : undefined;

function describeIssue(issue: z.core.$ZodIssue, path: Path, document: unknown): string[] {
  const unknownKey = unknownKeyParams(issue);
  if (unknownKey) {
    const { known } = unknownKey;
    const key = String(path.at(-1));
    const match = closest(key, known);
    const suggestion =
      match === undefined ? '' : ` (did you mean "${formatPath([...path.slice(0, -1), match])}"?)`;
    return [`unknown key "${formatPath(path)}"${suggestion}`];
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // a value that had the right shape for one alternative: that alternative's mistakes say more
    const matching = issue.errors.filter((branch) => branch.every((inner) => inner.path.length > 0));
    if (matching.length === 1)
      return matching[0]!.flatMap((inner) => describeIssue(inner, [...path, ...inner.path], document));
  }
  const where = path.length === 0 ? 'the configuration' : formatPath(path);
  return issue.message.startsWith('expected ')
    ? [`${where}: ${issue.message}, got ${describeValue(document, path)}`]
    : [`${where}: ${issue.message}`];
}

/** The schema's issues about `document` as messages, in document order as zod found them. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], document: unknown): string[] {
  return issues.flatMap((issue) => describeIssue(issue, issue.path, document));
}
