// What every API command shares: parsing its flags with the global ones, reading piped stdin, the HTTP
// client, printing a response (JSON, SSE events one by one) and printing API errors as docs/rules/cli.md §7 says.
import type { Response } from 'undici';
import { decodeServerSentEvents, parseJson } from '../net/index.js';
import { type OptionSpec, type ParsedArgs, parseArgs, UsageError } from './args.js';
import { applyTransform, getPath } from './gjson-path.js';
import {
  GLOBAL_HELP,
  GLOBAL_OPTIONS,
  type GlobalSettings,
  mergeOptions,
  resolveGlobalSettings,
} from './global-options.js';
import { type ApiClient, ApiResponseError, ConnectionError, createApiClient } from './http-client.js';
import { fileSystemSources, InlineFileError, type InlineSources } from './inline-files.js';
import { type CliIo, print, useColour } from './io.js';
import { formatValue } from './output-format.js';
import { parsePipedBody, takeParameters } from './request-body.js';

export interface ApiCommandContext {
  args: ParsedArgs;
  settings: GlobalSettings;
  client: ApiClient;
  io: CliIo;
  /** the resource was spelled `beta:…`: paths get `?beta=true` */
  beta: boolean;
  /** `--beta` values (and `anthropic-beta` from piped stdin) */
  betas: string[];
  /** piped stdin parsed as YAML, with parameter keys taken out; undefined when nothing was piped */
  piped: unknown;
  /** parameter keys (path, query, header) found in piped stdin */
  pipedParameters: Record<string, unknown>;
  /** for `@path` inlining: files relative to io.cwd, stdin when it was not read as the body */
  sources: InlineSources;
  /** prints one value to stdout through --transform, --format and --raw-output */
  output(value: unknown, options?: { title?: string; rawText?: string }): void;
}

export interface ApiCommand {
  /** e.g. `files upload` */
  name: string;
  summary: string;
  /** usage line and command options, shown by --help above the global options */
  help: string;
  options: Readonly<Record<string, OptionSpec>>;
  /**
   * How piped stdin is used: `body` (a YAML request body), `parameters` (only parameter keys such as
   * `file_id`, read when the required flag is missing) or `none`.
   */
  stdin: 'body' | 'parameters' | 'none';
  /** piped keys that are parameters, not body fields */
  parameterKeys?: readonly string[];
  /** with stdin `parameters`: the flag whose absence makes the command read stdin */
  requiredFlag?: string;
  execute(context: ApiCommandContext): Promise<number>;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

const stdinIsPiped = (io: CliIo): boolean => io.stdin.isTTY !== true;

/** Prints `value` to a stream with the given global settings (error or normal output). */
function printFormatted(
  io: CliIo,
  stream: CliIo['stdout'],
  value: unknown,
  settings: { format: GlobalSettings['format']; transform: string | undefined; rawOutput: boolean },
  options: { title?: string; rawText?: string } = {},
): void {
  const transformed = applyTransform(value, settings.transform);
  const text = formatValue(transformed, {
    format: settings.format,
    rawOutput: settings.rawOutput,
    colour: useColour(io, stream),
    ...(options.title ? { title: options.title } : {}),
    ...(options.rawText !== undefined && transformed === value ? { rawText: options.rawText } : {}),
  });
  print(stream, text);
}

/** docs/rules/cli.md §7: `<METHOD> "<URL>": <status> <Status Text>`, then the error body, on stderr. */
export function printApiError(io: CliIo, settings: GlobalSettings, error: ApiResponseError): void {
  print(io.stderr, error.message);
  if (error.bodyText.trim() === '') return;
  const body = parseJson(error.bodyText);
  if (body === undefined) {
    print(io.stderr, error.bodyText);
    return;
  }
  printFormatted(
    io,
    io.stderr,
    body,
    { format: settings.formatError, transform: settings.transformError, rawOutput: settings.rawOutput },
    { title: 'Error', rawText: error.bodyText },
  );
}

/**
 * Prints a 2xx response: a JSON body through `output`, or each SSE event as it arrives (at most
 * `maxItems`). An in-band `error` event goes to stderr as an error body; the exit code is then 1.
 */
export async function printResponse(
  context: ApiCommandContext,
  response: Response,
  title: string,
  maxItems?: number,
): Promise<number> {
  const { io, settings } = context;
  if ((response.headers.get('content-type') ?? '').includes('text/event-stream') && response.body) {
    let printed = 0;
    // with --transform, only the events that have the path print, and only its value; raw strings
    // (`-r`, e.g. delta.text) flow on one line as the text arrives, ended by one newline
    let lineOpen = false;
    const endLine = () => {
      if (lineOpen) io.stdout.write('\n');
      lineOpen = false;
    };
    for await (const event of decodeServerSentEvents(response.body as AsyncIterable<Uint8Array>)) {
      const value = parseJson(event.data);
      if (event.event === 'error' || (value as { type?: unknown } | undefined)?.type === 'error') {
        endLine();
        print(io.stderr, `${title}: error event in the stream`);
        printFormatted(
          io,
          io.stderr,
          value ?? event.data,
          { format: settings.formatError, transform: settings.transformError, rawOutput: settings.rawOutput },
          { title: 'Error', rawText: event.data },
        );
        return 1;
      }
      if (maxItems !== undefined && printed >= maxItems) continue;
      if (settings.transform !== undefined) {
        const selected = getPath(value ?? event.data, settings.transform);
        if (!selected.found) continue;
        printed += 1;
        if (settings.rawOutput && typeof selected.value === 'string') {
          io.stdout.write(selected.value);
          lineOpen = selected.value !== '' ? !selected.value.endsWith('\n') : lineOpen;
          continue;
        }
        endLine();
        printFormatted(io, io.stdout, selected.value, { ...settings, transform: undefined }, { title });
        continue;
      }
      printed += 1;
      context.output(value ?? event.data, { title: event.event ?? title, rawText: event.data });
    }
    endLine();
    return 0;
  }
  const text = await response.text();
  const value = parseJson(text);
  if (value === undefined) {
    if (text !== '') print(io.stdout, text);
    return 0;
  }
  context.output(value, { title, rawText: text });
  return 0;
}

export function commandHelp(command: ApiCommand): string {
  return `${command.help.trimEnd()}\n  -h, --help              this help\n\n${GLOBAL_HELP}\n`;
}

/** Runs one API command: flags (its own plus the globals), stdin, then the command itself. */
export async function runApiCommand(
  command: ApiCommand,
  argv: readonly string[],
  leadingOptions: ParsedArgs['options'],
  io: CliIo,
  resource: { beta: boolean; defaultBetas?: readonly string[] },
): Promise<number> {
  const parsed = parseArgs(argv, {
    ...GLOBAL_OPTIONS,
    beta: { value: true, repeat: true },
    ...command.options,
    help: { short: 'h' },
  });
  if (parsed.options.help === true) {
    print(io.stdout, commandHelp(command));
    return 0;
  }
  if (parsed.positionals.length > 0)
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}" (see --help)`);
  const options = mergeOptions(leadingOptions, parsed.options);
  const args: ParsedArgs = { positionals: [], options };
  const settings = resolveGlobalSettings(options, io.env);

  let piped: unknown;
  let pipedParameters: Record<string, unknown> = {};
  const readsStdin =
    stdinIsPiped(io) &&
    (command.stdin === 'body' ||
      (command.stdin === 'parameters' &&
        command.requiredFlag !== undefined &&
        options[command.requiredFlag] === undefined));
  if (readsStdin) {
    const taken = takeParameters(parsePipedBody((await readAll(io.stdin)).toString('utf8')), [
      ...(command.parameterKeys ?? []),
      'anthropic-beta',
    ]);
    piped = taken.body;
    pipedParameters = taken.parameters;
  }
  const flagBetas = Array.isArray(options.beta) ? options.beta : [];
  const pipedBetas = pipedParameters['anthropic-beta'];
  const requestedBetas =
    flagBetas.length > 0
      ? flagBetas
      : Array.isArray(pipedBetas)
        ? pipedBetas.map(String)
        : typeof pipedBetas === 'string'
          ? pipedBetas.split(',').map((value) => value.trim())
          : [];
  const betas = [...new Set([...(resource.defaultBetas ?? []), ...requestedBetas])];
  const client = createApiClient({
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    authToken: settings.authToken,
    debug: settings.debug ? (line) => print(io.stderr, line) : undefined,
  });
  const sources = fileSystemSources(
    io.cwd,
    readsStdin || !stdinIsPiped(io) ? undefined : () => readAll(io.stdin),
  );
  const context: ApiCommandContext = {
    args,
    settings,
    client,
    io,
    beta: resource.beta,
    betas,
    piped,
    pipedParameters,
    sources,
    output: (value, outputOptions) => printFormatted(io, io.stdout, value, settings, outputOptions),
  };
  try {
    return await command.execute(context);
  } catch (error) {
    if (error instanceof ApiResponseError) {
      printApiError(io, settings, error);
      return 1;
    }
    if (error instanceof ConnectionError || error instanceof InlineFileError) {
      print(io.stderr, `sightline ${command.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
