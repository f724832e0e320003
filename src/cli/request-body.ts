// Request bodies as `ant` builds them (docs/rules/cli.md §5): piped stdin parsed as YAML (JSON too), path/query/
// header keys taken out of it, then body flags (relaxed YAML values) overwriting top-level keys. Pure.
import { parse as parseYaml } from 'yaml';
import { type OptionSpec, type ParsedArgs, UsageError } from './args.js';

/** How a flag's text becomes a body value. */
export type BodyFlagKind = 'string' | 'integer' | 'number' | 'boolean' | 'value' | 'text-or-value';

export interface BodyFlag {
  /** the body field, in the API's snake_case */
  key: string;
  kind: BodyFlagKind;
  /** repeatable; each use appends one element to the field's array */
  repeat?: boolean;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The parser spec for a set of body flags. */
export function bodyFlagOptions(flags: Readonly<Record<string, BodyFlag>>): Record<string, OptionSpec> {
  return Object.fromEntries(
    Object.entries(flags).map(([name, flag]) => [
      name,
      flag.kind === 'boolean' ? {} : { value: true, ...(flag.repeat ? { repeat: true } : {}) },
    ]),
  );
}

/** A "relaxed" flag value: YAML, so `{role: user, content: hi}` needs no quotes. */
export function parseRelaxedValue(text: string, flagName: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new UsageError(`--${flagName}: cannot parse "${text}" as YAML/JSON: ${(error as Error).message}`);
  }
}

function convert(text: string, flagName: string, kind: BodyFlagKind): unknown {
  switch (kind) {
    case 'integer':
      if (!/^-?\d+$/.test(text.trim()))
        throw new UsageError(`--${flagName} takes an integer (got "${text}")`);
      return Number(text);
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value))
        throw new UsageError(`--${flagName} takes a number (got "${text}")`);
      return value;
    }
    case 'value':
      return parseRelaxedValue(text, flagName);
    case 'text-or-value':
      return /^\s*[[{]/.test(text) ? parseRelaxedValue(text, flagName) : text;
    default:
      return text;
  }
}

/** The body fields set by flags, in flag order of declaration. */
export function readBodyFlags(
  options: ParsedArgs['options'],
  flags: Readonly<Record<string, BodyFlag>>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const given = options[name];
    if (given === undefined) continue;
    if (flag.kind === 'boolean') {
      body[flag.key] = given === true;
    } else if (flag.repeat) {
      const texts = Array.isArray(given) ? given : [String(given)];
      body[flag.key] = texts.map((text) => convert(text, name, flag.kind));
    } else if (typeof given === 'string') {
      body[flag.key] = convert(given, name, flag.kind);
    }
  }
  return body;
}

/** Piped stdin as YAML (JSON is a subset); blank input is no body. */
export function parsePipedBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return parseYaml(text);
  } catch (error) {
    throw new UsageError(`Failed to parse piped data as YAML/JSON: ${(error as Error).message}`);
  }
}

/** Takes path/query/header keys (e.g. `file_id`, `limit`, `anthropic-beta`) out of a piped map. */
export function takeParameters(
  piped: unknown,
  names: readonly string[],
): { body: unknown; parameters: Record<string, unknown> } {
  if (!isPlainObject(piped)) return { body: piped, parameters: {} };
  const body: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(piped)) {
    if (names.includes(key)) parameters[key] = value;
    else body[key] = value;
  }
  return { body, parameters };
}

/** Flags overwrite the piped body's top-level keys (a shallow copy, not a deep merge). */
export function mergeBody(piped: unknown, flagBody: Readonly<Record<string, unknown>>): unknown {
  if (Object.keys(flagBody).length === 0) return piped ?? {};
  if (piped === undefined || piped === null) return { ...flagBody };
  if (!isPlainObject(piped)) throw new UsageError('Cannot merge flags with a body that is not a map');
  return { ...piped, ...flagBody };
}
