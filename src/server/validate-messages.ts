// Request rules the API applies beyond the schema (docs/rules/requests.md §3), with its
// exact messages: content that must not be empty, then the rules of the API version and of the model.
import type { CatalogModel } from '../catalog/index.js';
import { invalidRequest, notFound } from '../errors/index.js';
import { isRecord } from '../net/index.js';
import type { MessagesRequest } from '../wire/index.js';

/** The version SDK 1.x sends; it removed the sampling parameters. */
export const API_VERSION_2026_10_21 = '2026-10-21';
const SAMPLING_PARAMETERS = ['temperature', 'top_p', 'top_k'] as const;
/** Values that count as "the default" for a model that deprecated sampling (top_k has none). */
const SAMPLING_DEFAULTS: Readonly<Record<string, unknown>> = { temperature: 1, top_p: 1 };

/** Text blocks (in turns, tool results and the system prompt) must hold non-whitespace text. */
function checkTextBlocks(blocks: unknown, where: 'messages' | 'system'): void {
  if (!Array.isArray(blocks)) return;
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') {
      if (block.text === '') throw invalidRequest(`${where}: text content blocks must be non-empty`);
      if (block.text.trim() === '')
        throw invalidRequest(`${where}: text content blocks must contain non-whitespace text`);
    }
    if (block.type === 'tool_result') checkTextBlocks(block.content, where);
  }
}

/**
 * Rules that hold for every model: at least one message; every message but a final assistant one
 * has content; no empty or whitespace-only text. Consecutive turns of one role are merged by the API,
 * so they are not refused.
 */
export function validateMessagesContent(body: Pick<MessagesRequest, 'messages' | 'system'>): void {
  // Decision: the API's wording for an empty list is not confirmed (docs/rules/requests.md §3)
  if (body.messages.length === 0) throw invalidRequest('messages: at least one message is required');
  body.messages.forEach((message, index) => {
    const isFinalAssistant = index === body.messages.length - 1 && message.role === 'assistant';
    const { content } = message;
    const empty = content === '' || (Array.isArray(content) && content.length === 0);
    if (empty && !isFinalAssistant) {
      throw invalidRequest(
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
    if (typeof content === 'string' && content !== '' && content.trim() === '' && !isFinalAssistant)
      throw invalidRequest('messages: text content blocks must contain non-whitespace text');
    checkTextBlocks(content, 'messages');
  });
  checkTextBlocks(body.system, 'system');
}

/** A retired model is refused as the API refuses any model it cannot serve: 404 `model: <id>`. */
export function refuseRetiredModel(model: CatalogModel, requested: string): void {
  if (model.lifecycle === 'retired') throw notFound(`model: ${requested}`);
}

/**
 * The `warning` header a deprecated model answers with (RFC 9111 form, code 299), or undefined.
 * e.g. `299 sightline "claude-opus-4-5-20251101 is deprecated and retires on 2027-01-22; use claude-opus-5-5"`.
 */
export function deprecationWarning(model: CatalogModel): string | undefined {
  if (model.lifecycle !== 'deprecated') return undefined;
  const retires = model.retiresAt === null ? '' : ` and retires on ${model.retiresAt.slice(0, 10)}`;
  const instead = model.replacement === null ? '' : `; use ${model.replacement}`;
  return `299 sightline "${model.id} is deprecated${retires}${instead}"`;
}

/** The rules of the API version and the model for POST /v1/messages. */
export function validateForModel(
  body: MessagesRequest,
  model: CatalogModel,
  apiVersion: string | undefined,
): void {
  const raw = body as unknown as Record<string, unknown>;
  const sent = SAMPLING_PARAMETERS.filter((name) => raw[name] !== undefined && raw[name] !== null);
  if (apiVersion === API_VERSION_2026_10_21 && sent.length > 0) {
    throw invalidRequest(`${sent[0]}: Extra inputs are not permitted`);
  }
  if (model.behaviour.samplingDeprecated) {
    const changed = sent.find((name) => raw[name] !== SAMPLING_DEFAULTS[name]);
    if (changed !== undefined) throw invalidRequest(`\`${changed}\` is deprecated for this model.`);
  }
  if (body.max_tokens > model.maxOutputTokens) {
    throw invalidRequest(
      `max_tokens: ${body.max_tokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.id}`,
    );
  }
  checkThinkingAndToolChoice(raw, model);
  if (model.behaviour.rejectsPrefill && body.messages.at(-1)?.role === 'assistant') {
    throw invalidRequest(
      'This model does not support assistant message prefill. The conversation must end with a user message.',
    );
  }
}

/** `thinking.type` and forced `tool_choice`, as each model takes them (docs/rules/requests.md §3). */
function checkThinkingAndToolChoice(raw: Record<string, unknown>, model: CatalogModel): void {
  const { thinking } = model.behaviour;
  const thinkingType = isRecord(raw.thinking) ? raw.thinking.type : undefined;
  if (thinkingType === 'enabled' && !thinking.enabled) {
    throw invalidRequest(
      '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
  }
  if (thinkingType === 'adaptive' && !thinking.adaptive)
    throw invalidRequest('adaptive thinking is not supported on this model');
  const toolChoice = isRecord(raw.tool_choice) ? raw.tool_choice.type : undefined;
  if ((toolChoice === 'any' || toolChoice === 'tool') && model.behaviour.rejectsForcedToolChoice)
    throw invalidRequest('tool_choice: type "tool" and "any" are not supported for this model.');
}
