// The building blocks of the configuration schema (schema.ts). Every field says in words what it expects
// ("a port number (1–65535)"), and every error of that field is `expected <that>`, so the messages read
// the same everywhere (describe-issues.ts adds the key path and the value given).
//
// Why zod (4) rather than TypeBox, which Fastify speaks: the file's snake_case keys must come out as the
// camelCase settings the backends and the server take, and zod infers the *output* type of a transform,
// so those settings' types are inferred from the schema instead of written a second time. Its issues
// carry their paths, and it reports every issue of a document, not just the first.
import { z } from 'zod';

/** `expected <what>` on every issue of one field, whichever check failed. */
const expecting = (what: string) => ({ error: `expected ${what}` });

/** A non-empty string. */
export const text = (what = 'a string') => z.string(expecting(what)).min(1, expecting(what));

export const flag = () => z.boolean(expecting('true or false'));

export const positiveInteger = (what = 'a positive integer') =>
  z.number(expecting(what)).int(expecting(what)).positive(expecting(what));

/** A whole number from `min` up (0 allowed when min is 0). */
export const wholeNumber = (
  min: number,
  what = min === 0 ? 'a whole number (0 or more)' : `an integer ≥ ${min}`,
) => z.number(expecting(what)).int(expecting(what)).min(min, expecting(what));

export const integerBetween = (min: number, max: number, what = `an integer from ${min} to ${max}`) =>
  z.number(expecting(what)).int(expecting(what)).min(min, expecting(what)).max(max, expecting(what));

export const port = () => integerBetween(1, 65_535, 'a port number (1–65535)');

/** A finite number ≥ 0 (prices, budgets). */
export const amount = (what: string) => z.number(expecting(what)).min(0, expecting(what));

/** `a, b or c` */
export const choices = (values: readonly string[]) =>
  values.length < 2 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, expecting(choices(values)));

export const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, expecting(what));

/** A mapping of names (backend names, key ids) to values of one shape. */
export const mapping = <T extends z.ZodType>(value: T, what = 'a mapping') =>
  z.record(z.string(), value, expecting(what));

/** An http(s) URL (upstream base URLs). */
export const httpUrl = (what = 'an http:// or https:// URL') =>
  text(what).refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, expecting(what));

/** A date; YAML may hand an unquoted 2027-01-22 over as a Date. */
export const date = () => {
  const what = 'a date (2027-01-22 or RFC 3339)';
  return z.preprocess(
    (value) => (value instanceof Date ? value.toISOString() : value),
    text(what).refine(
      (value) => /^\d{4}-\d{2}-\d{2}(T|$)/.test(value) && !Number.isNaN(Date.parse(value)),
      expecting(what),
    ),
  );
};

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
/** The same object with camelCase keys (distributes over unions: each backend type keeps its own). */
export type Camelized<T> = T extends unknown
  ? { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] }
  : never;

export const camelCase = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Renames an object's snake_case keys to camelCase (one level: nested sections rename their own). */
export const camelize = <T extends object>(value: T): Camelized<T> =>
  Object.fromEntries(Object.entries(value).map(([key, inner]) => [camelCase(key), inner])) as Camelized<T>;

/** What an unknown-key issue carries (describe-issues.ts turns it into `unknown key "a.b" (did you mean …)`). */
export interface UnknownKeyParams {
  unknownKey: true;
  known: string[];
}

/**
 * A mapping with exactly these keys. Unknown keys are reported one issue each, with the keys known at that
 * place, even when other fields of the mapping are wrong too (zod's own strict mode would name them
 * without the known keys, which the "did you mean" needs). The schema's type is the strict object's: a
 * document that passes has no other key.
 */
export function section<Shape extends z.ZodRawShape>(shape: Shape, what = 'a mapping') {
  const known = Object.keys(shape);
  return z.looseObject(shape, expecting(what)).superRefine(
    (value, context) => {
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(shape, key)) continue;
        const params: UnknownKeyParams = { unknownKey: true, known };
        context.addIssue({ code: 'custom', path: [key], message: 'unknown key', params, input: value[key] });
      }
    },
    // run even when a known field failed, so every mistake is reported at once
    { when: ({ value }) => typeof value === 'object' && value !== null && !Array.isArray(value) },
  ) as unknown as z.ZodObject<Shape, z.core.$strict>;
}
