// `sightline messages count-tokens` (alias `beta:messages count-tokens`): POST /v1/messages/count_tokens
// with the same body rules as `messages create`, minus the generation fields.
import type { ApiCommand } from '../api-command.js';
import { printResponse } from '../api-command.js';
import { inlineFiles } from '../inline-files.js';
import { type BodyFlag, bodyFlagOptions, mergeBody, readBodyFlags } from '../request-body.js';
import { CREATE_BODY_FLAGS, requireFields } from './messages-create.js';

const COUNT_FLAG_NAMES = [
  'model',
  'message',
  'system',
  'tool',
  'tool-choice',
  'thinking',
  'output-config',
  'cache-control',
] as const;

export const COUNT_BODY_FLAGS: Readonly<Record<string, BodyFlag>> = Object.fromEntries(
  COUNT_FLAG_NAMES.map((name) => [name, CREATE_BODY_FLAGS[name]!]),
);

export const messagesCountTokensCommand: ApiCommand = {
  name: 'messages count-tokens',
  summary: 'count the input tokens of a request (POST /v1/messages/count_tokens)',
  help: `Usage: sightline [global options] messages count-tokens [options] [< body.yaml]

Counts the input tokens of a request, images included. Body rules as for 'messages create'.

Options:
  --model ID              model
  --message VALUE         one message, relaxed YAML (repeatable)
  --system TEXT|VALUE     system prompt
  --tool VALUE (repeatable), --tool-choice, --thinking, --output-config, --cache-control
  --beta NAME             anthropic-beta header value (repeatable)`,
  options: bodyFlagOptions(COUNT_BODY_FLAGS),
  stdin: 'body',
  async execute(context) {
    const body = await inlineFiles(
      mergeBody(context.piped, readBodyFlags(context.args.options, COUNT_BODY_FLAGS)),
      context.sources,
    );
    requireFields(body, { model: 'model', messages: 'message' });
    const response = await context.client.send({
      method: 'POST',
      path: '/v1/messages/count_tokens',
      beta: context.beta,
      betas: context.betas,
      json: body,
    });
    return printResponse(context, response, 'MessageTokensCount');
  },
};
