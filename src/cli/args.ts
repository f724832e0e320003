// Pure command-line parsing: `--name value`, `--name=value`, boolean switches, repeatable options and
// positionals. Knows nothing of commands; each command declares the options it takes.
import { didYouMean } from '../config/suggest.js';

export interface OptionSpec {
  /** takes a value (`--model ID`); otherwise a switch (`--json`) */
  value?: boolean;
  /** may be given several times; values are collected in order */
  repeat?: boolean;
  /** one-letter alias, e.g. 'o' for `-o` */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[]>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParseSettings {
  /** stop at the first positional: it and everything after it are returned as positionals, unparsed */
  stopAtPositional?: boolean;
}

export function parseArgs(
  argv: readonly string[],
  spec: Readonly<Record<string, OptionSpec>>,
  settings: ParseSettings = {},
): ParsedArgs {
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  const byShort = new Map(
    Object.entries(spec).flatMap(([name, option]) => (option.short ? [[option.short, name]] : [])),
  );
  let index = 0;
  const store = (name: string, value: string | boolean) => {
    const option = spec[name]!;
    if (option.repeat) options[name] = [...((options[name] as string[] | undefined) ?? []), String(value)];
    else options[name] = value;
  };
  while (index < argv.length) {
    const argument = argv[index]!;
    index += 1;
    if (argument === '--') {
      positionals.push(...argv.slice(index));
      break;
    }
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(argument);
    const short = /^-([A-Za-z])$/.exec(argument);
    if (!long && !short) {
      if (settings.stopAtPositional) {
        positionals.push(...argv.slice(index - 1));
        break;
      }
      positionals.push(argument);
      continue;
    }
    const name = long ? long[1]! : byShort.get(short![1]!);
    const option = name === undefined ? undefined : spec[name];
    if (name === undefined || option === undefined) {
      const typed = long ? long[1]! : (short?.[1] ?? argument);
      throw new UsageError(
        `unknown option ${argument}${long ? didYouMean(typed, Object.keys(spec), '--') : ''}`,
      );
    }
    if (!option.value) {
      if (long?.[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      store(name, true);
      continue;
    }
    let value = long?.[2];
    if (value === undefined) {
      if (index >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[index]!;
      index += 1;
    }
    store(name, value);
  }
  return { positionals, options };
}

export const stringOption = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
};

export const listOption = (args: ParsedArgs, name: string): string[] => {
  const value = args.options[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
};

/**
 * Every value of one or more repeatable options, comma lists split: `--model a,b --model c` and
 * `--models a` → `[a, b, c, a]` (duplicates kept; callers dedupe where order matters).
 */
export const commaListOption = (args: ParsedArgs, ...names: string[]): string[] =>
  names
    .flatMap((name) => listOption(args, name))
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');

export const flag = (args: ParsedArgs, name: string): boolean => args.options[name] === true;
