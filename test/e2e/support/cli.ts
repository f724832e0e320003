// Runs the CLI in-process through run(argv, io), stdin piped (not a TTY) unless asked, and collects
// what it prints: the one CLI launcher for tests that do not need a separate process.
import { PassThrough, Readable } from 'node:stream';
import { run } from '../../../src/cli/run.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface CliOptions {
  stdin?: string;
  /** a terminal stdin (nothing piped) */
  stdinIsTerminal?: boolean;
  stdoutIsTerminal?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export async function invokeCli(argv: string[], options: CliOptions): Promise<CliResult> {
  const stdoutChunks: Buffer[] = [];
  const stderrChunks: Buffer[] = [];
  const stdout = Object.assign(new PassThrough(), { isTTY: options.stdoutIsTerminal ?? false });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
  stderr.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
  const stdin = Object.assign(
    Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    { isTTY: options.stdinIsTerminal ?? false },
  );
  const code = await run(argv, { stdout, stderr, stdin, env: options.env, cwd: options.cwd });
  await new Promise((resolve) => setImmediate(resolve));
  const stdoutBytes = Buffer.concat(stdoutChunks);
  return {
    code,
    stdout: stdoutBytes.toString(),
    stderr: Buffer.concat(stderrChunks).toString(),
    stdoutBytes,
  };
}

/**
 * argv from a command line written as a user types it: words split at whitespace (line breaks included),
 * each `${value}` one argument whatever it holds, as a quoted argument in a shell. A value stands alone:
 * `--x=${value}` is two arguments.
 */
export function argv(words: TemplateStringsArray, ...values: string[]): string[] {
  return words.flatMap((text, index) => [
    ...text.split(/\s+/).filter((word) => word !== ''),
    ...(index < values.length ? [values[index]!] : []),
  ]);
}
