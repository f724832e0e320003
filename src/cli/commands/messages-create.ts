// `sightline messages create` (alias `beta:messages create`): POST /v1/messages from piped YAML and/or
// body flags, `@path` inlined; prints the message, or each SSE event as it arrives with --stream.
import type { ApiCommand } from '../api-command.js';
import { printResponse } from '../api-command.js';
import { integerOption } from '../api-parameters.js';
import { UsageError } from '../args.js';
import { inlineFiles } from '../inline-files.js';
import { type BodyFlag, bodyFlagOptions, isPlainObject, mergeBody, readBodyFlags } from '../request-body.js';

export const CREATE_BODY_FLAGS: Readonly<Record<string, BodyFlag>> = {
  model: { key: 'model', kind: 'string' },
  'max-tokens': { key: 'max_tokens', kind: 'integer' },
  message: { key: 'messages', kind: 'value', repeat: true },
  system: { key: 'system', kind: 'text-or-value' },
  'stop-sequence': { key: 'stop_sequences', kind: 'string', repeat: true },
  stream: { key: 'stream', kind: 'boolean' },
  temperature: { key: 'temperature', kind: 'number' },
  'top-k': { key: 'top_k', kind: 'integer' },
  'top-p': { key: 'top_p', kind: 'number' },
  metadata: { key: 'metadata', kind: 'value' },
  tool: { key: 'tools', kind: 'value', repeat: true },
  'tool-choice': { key: 'tool_choice', kind: 'value' },
  thinking: { key: 'thinking', kind: 'value' },
  'output-config': { key: 'output_config', kind: 'value' },
  'service-tier': { key: 'service_tier', kind: 'string' },
  'cache-control': { key: 'cache_control', kind: 'value' },
  container: { key: 'container', kind: 'text-or-value' },
  'inference-geo': { key: 'inference_geo', kind: 'string' },
};

/** Fails early, as `ant` does, when a required field is neither a flag nor in the piped body. */
export function requireFields(body: unknown, fields: Readonly<Record<string, string>>): void {
  if (!isPlainObject(body)) throw new UsageError('the request body must be a map');
  for (const [key, flagName] of Object.entries(fields))
    if (body[key] === undefined) throw new UsageError(`missing --${flagName} (or "${key}" in piped stdin)`);
}

/** `--repair` and `--computer-use` as Sightline's request headers. */
function sightlineHeaders(options: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof options.repair === 'string') headers['sightline-repair'] = options.repair;
  if (typeof options['computer-use'] === 'string')
    headers['sightline-computer-use'] = options['computer-use'];
  return headers;
}

/** Each change repair mode made, one line on stderr (the full list is in usage.sightline.repairs). */
export function printRepairs(stderr: NodeJS.WritableStream, header: string | null): void {
  if (!header) return;
  for (const entry of header.split(', ')) stderr.write(`sightline: repaired ${entry}\n`);
}

export const messagesCreateCommand: ApiCommand = {
  name: 'messages create',
  summary: 'create a message (POST /v1/messages)',
  help: `Usage: sightline [global options] messages create [options] [< body.yaml]

Creates a message. A body piped on stdin is read as YAML (or JSON); body flags overwrite its top-level
keys. Any string value "@path" is replaced by the file: text as is, binary (images) as base64;
"@data://path" is always base64, "@file://path" always text, "\\@x" is the literal "@x".

Options:
  --model ID              model
  --max-tokens N          max_tokens
  --message VALUE         one message, relaxed YAML: '{role: user, content: hi}' (repeatable)
  --system TEXT|VALUE     system prompt (text, or a YAML list of blocks)
  --stream                stream: print each event as it arrives (--format jsonl: one per line)
  --stop-sequence TEXT    (repeatable)
  --temperature X, --top-k N, --top-p X
  --metadata, --tool (repeatable), --tool-choice, --thinking, --output-config, --cache-control,
  --container VALUE       relaxed YAML values
  --service-tier T, --inference-geo G
  --beta NAME             anthropic-beta header value (repeatable), e.g. files-api-2025-04-14
  --max-items N           print at most N streamed events
  --repair KINDS          Sightline repair mode for this request: images, history (comma-separated) or
                          none; each change is printed on stderr
  --computer-use MODE     scale: computer-use coordinates in real-screen pixels (Sightline)`,
  options: {
    ...bodyFlagOptions(CREATE_BODY_FLAGS),
    'max-items': { value: true },
    repair: { value: true },
    'computer-use': { value: true },
  },
  stdin: 'body',
  async execute(context) {
    const body = await inlineFiles(
      mergeBody(context.piped, readBodyFlags(context.args.options, CREATE_BODY_FLAGS)),
      context.sources,
    );
    requireFields(body, { model: 'model', max_tokens: 'max-tokens', messages: 'message' });
    const response = await context.client.send({
      method: 'POST',
      path: '/v1/messages',
      beta: context.beta,
      betas: context.betas,
      json: body,
      headers: sightlineHeaders(context.args.options),
    });
    printRepairs(context.io.stderr, response.headers.get('sightline-repairs'));
    return printResponse(context, response, 'Message', integerOption(context, 'max-items'));
  },
};
