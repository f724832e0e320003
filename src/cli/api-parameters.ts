// Path and query parameters of API commands: from a flag or from piped stdin, `@path` inlined, checked.
import type { ApiCommandContext } from './api-command.js';
import { UsageError } from './args.js';
import { inlineFileValue } from './inline-files.js';

/** A required path parameter (`--file-id` / piped `file_id`), `@path` inlined. */
export async function requiredParameter(
  context: ApiCommandContext,
  flagName: string,
  key: string,
): Promise<string> {
  const fromFlag = context.args.options[flagName];
  const fromStdin = context.pipedParameters[key];
  const value =
    typeof fromFlag === 'string' ? fromFlag : fromStdin === undefined ? undefined : String(fromStdin);
  if (value === undefined || value === '')
    throw new UsageError(`missing --${flagName} (or "${key}" in piped stdin)`);
  return inlineFileValue(value, context.sources);
}

/** An optional positive integer option such as --limit. */
export function integerOption(context: ApiCommandContext, flagName: string): number | undefined {
  const value = context.args.options[flagName];
  if (typeof value !== 'string') return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flagName} takes a whole number (got "${value}")`);
  return Number(value);
}

export function textOption(context: ApiCommandContext, flagName: string): string | undefined {
  const value = context.args.options[flagName];
  return typeof value === 'string' ? value : undefined;
}
