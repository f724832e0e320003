// The `ant`-style global flags (docs/rules/cli.md §2): accepted before the resource and after the command,
// resolved with the environment into the settings every API command uses. Pure.
import { type OptionSpec, type ParsedArgs, UsageError } from './args.js';

export const OUTPUT_FORMATS = ['auto', 'explore', 'json', 'jsonl', 'pretty', 'raw', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'base-url': { value: true },
  'api-key': { value: true },
  'auth-token': { value: true },
  format: { value: true },
  'format-error': { value: true },
  transform: { value: true },
  'transform-error': { value: true },
  'raw-output': { short: 'r' },
  debug: {},
};

export const GLOBAL_HELP = `Global options (before the resource or after the command):
  --base-url URL          server (env ANTHROPIC_BASE_URL; default ${DEFAULT_BASE_URL})
  --api-key KEY           API key, sent as x-api-key (env ANTHROPIC_API_KEY)
  --auth-token TOKEN      sent as Authorization: Bearer (env ANTHROPIC_AUTH_TOKEN)
  --format F              auto|json|jsonl|yaml|pretty|raw (default auto: indented JSON); jsonl
                          prints a list one item per line, all pages, --transform applied to each;
                          explore (ant's interactive viewer) is accepted and prints indented JSON
  --format-error F        the same, for error bodies
  --transform PATH        GJSON path applied to the response, e.g. content.0.text or data.#.id
  --transform-error PATH  GJSON path applied to error bodies, e.g. error.message
  -r, --raw-output        print a string result without quotes
  --debug                 log each request and response status to stderr`;

export interface GlobalSettings {
  baseUrl: string;
  apiKey: string | undefined;
  authToken: string | undefined;
  format: OutputFormat;
  formatError: OutputFormat;
  transform: string | undefined;
  transformError: string | undefined;
  rawOutput: boolean;
  debug: boolean;
}

const parseFormat = (value: string | undefined, flagName: string): OutputFormat => {
  if (value === undefined) return 'auto';
  const lower = value.toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(lower))
    throw new UsageError(`--${flagName} must be one of ${OUTPUT_FORMATS.join(', ')} (got "${value}")`);
  return lower as OutputFormat;
};

/** Options from several places (leading globals, then the command's own) merged: later ones win. */
export function mergeOptions(...sources: ParsedArgs['options'][]): ParsedArgs['options'] {
  return Object.assign({}, ...sources) as ParsedArgs['options'];
}

export function resolveGlobalSettings(
  options: ParsedArgs['options'],
  env: Readonly<Record<string, string | undefined>>,
): GlobalSettings {
  const text = (name: string): string | undefined => {
    const value = options[name];
    return typeof value === 'string' ? value : undefined;
  };
  const baseUrl = (text('base-url') ?? (env.ANTHROPIC_BASE_URL || undefined) ?? DEFAULT_BASE_URL).replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\//i.test(baseUrl))
    throw new UsageError(`the base URL must start with http:// or https:// (got "${baseUrl}")`);
  if (/\/v1$/i.test(baseUrl))
    throw new UsageError(
      `the base URL ends with /v1 (got "${baseUrl}"): drop it, as for the SDKs' ANTHROPIC_BASE_URL; the CLI adds /v1/… itself`,
    );
  return {
    baseUrl,
    apiKey: text('api-key') ?? (env.ANTHROPIC_API_KEY || undefined),
    authToken: text('auth-token') ?? (env.ANTHROPIC_AUTH_TOKEN || undefined),
    format: parseFormat(text('format'), 'format'),
    formatError: parseFormat(text('format-error'), 'format-error'),
    transform: text('transform') || undefined,
    transformError: text('transform-error') || undefined,
    rawOutput: options['raw-output'] === true,
    debug: options.debug === true,
  };
}
