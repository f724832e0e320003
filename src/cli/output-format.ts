// Renders a response value for `--format` (docs/rules/cli.md §3) and `--raw-output`: indented JSON (coloured
// on a terminal), one compact line (jsonl), YAML, a readable tree (pretty) or the body as received. Pure.
import { stringify as toYaml } from 'yaml';
import type { OutputFormat } from './global-options.js';

export interface FormatSettings {
  format: OutputFormat;
  rawOutput: boolean;
  colour: boolean;
  /** a heading for the `pretty` tree, e.g. "Message" or "Error" */
  title?: string;
  /** the body exactly as received, for `--format raw` when no transform changed the value */
  rawText?: string;
}

const ANSI = {
  key: '\u001b[34;1m',
  string: '\u001b[32m',
  number: '\u001b[33m',
  literal: '\u001b[35m',
  reset: '\u001b[0m',
} as const;

/** Colours indented JSON text: keys, strings, numbers, true/false/null. */
export function colourJson(text: string): string {
  return text.replace(
    /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
    (match, quoted: string | undefined, colon: string | undefined, literal: string | undefined) => {
      if (quoted !== undefined)
        return colon !== undefined
          ? `${ANSI.key}${quoted}${ANSI.reset}${colon}`
          : `${ANSI.string}${quoted}${ANSI.reset}`;
      if (literal !== undefined) return `${ANSI.literal}${match}${ANSI.reset}`;
      return `${ANSI.number}${match}${ANSI.reset}`;
    },
  );
}

const scalar = (value: unknown): string =>
  typeof value === 'string' ? (value.includes('\n') ? JSON.stringify(value) : value) : JSON.stringify(value);

/** The `pretty` view: a title, then one `key: value` per line, nested values indented beneath. */
export function renderTree(value: unknown, title?: string): string {
  const lines: string[] = title ? [title] : [];
  const baseIndent = title ? '  ' : '';
  const visit = (node: unknown, indent: string): void => {
    const entries: [string, unknown][] = Array.isArray(node)
      ? node.map((element, index) => [`[${index}]`, element])
      : Object.entries(node as Record<string, unknown>);
    if (entries.length === 0) lines.push(`${indent}${Array.isArray(node) ? '(empty list)' : '(empty)'}`);
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object') {
        lines.push(`${indent}${key}:`);
        visit(child, `${indent}  `);
      } else {
        lines.push(`${indent}${key}: ${scalar(child)}`);
      }
    }
  };
  if (value !== null && typeof value === 'object') visit(value, baseIndent);
  else lines.push(`${baseIndent}${scalar(value)}`);
  return lines.join('\n');
}

/** The text to print for `value` (without a guaranteed final newline). */
export function formatValue(value: unknown, settings: FormatSettings): string {
  if (settings.rawOutput && typeof value === 'string') return value;
  switch (settings.format) {
    case 'raw':
      return settings.rawText ?? JSON.stringify(value) ?? 'null';
    case 'jsonl':
      return JSON.stringify(value) ?? 'null';
    case 'yaml':
      return toYaml(value, { lineWidth: 0 }).replace(/\n$/, '');
    case 'pretty':
      return renderTree(value, settings.title);
    default: {
      const text = JSON.stringify(value, null, 2) ?? 'null';
      return settings.colour ? colourJson(text) : text;
    }
  }
}
