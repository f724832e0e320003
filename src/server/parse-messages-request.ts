// Strict checks of an incoming Messages / count_tokens body, with API-style paths in the messages,
// and the walk that finds every image block (in user turns and inside tool_result content).
import { invalidRequest } from '../errors/index.js';
import { isRecord } from '../net/index.js';
import {
  type ContentBlockParam,
  contentBlockPath,
  type ImageBlockParam,
  type MessageParam,
  type MessagesRequest,
  toolResultBlockPath,
} from '../wire/index.js';

export interface ImageBlockRef {
  /** e.g. `messages.0.content.1` or `messages.3.content.0.tool_result.content.1` */
  path: string;
  block: ImageBlockParam;
}

type Raw = Record<string, unknown>;

const SOURCE_TAGS = "'base64', 'url', 'file'";

function checkImageBlock(block: Raw, path: string): void {
  const source = block.source;
  if (!isRecord(source)) throw invalidRequest(`${path}.image.source: Field required`);
  const where = `${path}.image.source`;
  switch (source.type) {
    case 'base64':
      if (typeof source.media_type !== 'string')
        throw invalidRequest(`${where}.base64.media_type: Field required`);
      if (typeof source.data !== 'string') throw invalidRequest(`${where}.base64.data: Field required`);
      break;
    case 'url':
      if (typeof source.url !== 'string') throw invalidRequest(`${where}.url.url: Field required`);
      break;
    case 'file':
      if (typeof source.file_id !== 'string') throw invalidRequest(`${where}.file.file_id: Field required`);
      break;
    default:
      throw invalidRequest(
        `${where}: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: ${SOURCE_TAGS}`,
      );
  }
  const transformations = block.transformations;
  if (transformations !== undefined && transformations !== null) {
    const oversized = isRecord(transformations) ? transformations.oversized_image : 'invalid';
    if (oversized !== undefined && oversized !== 'downsize' && oversized !== 'error') {
      throw invalidRequest(
        `${path}.image.transformations.oversized_image: Input should be 'downsize' or 'error'`,
      );
    }
  }
}

/** `path` names the list (`messages.0.content`), `blockPathOf` each block in it (shared with the prompt). */
function checkBlocks(
  content: unknown,
  path: string,
  blockPathOf: (index: number) => string,
  role: string,
  images: ImageBlockRef[],
  nested = false,
): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalidRequest(`${path}: Input should be a valid string or list`);
  content.forEach((block: unknown, index) => {
    const blockPath = blockPathOf(index);
    if (!isRecord(block) || typeof block.type !== 'string')
      throw invalidRequest(`${blockPath}.type: Field required`);
    if (block.type === 'text' && typeof block.text !== 'string')
      throw invalidRequest(`${blockPath}.text.text: Field required`);
    if (block.type === 'image') {
      if (role !== 'user') throw invalidRequest(`${blockPath}: image blocks are only allowed in user turns`);
      checkImageBlock(block, blockPath);
      images.push({ path: blockPath, block: block as unknown as ImageBlockParam });
    }
    if (block.type === 'tool_result' && block.content !== undefined) {
      if (nested) throw invalidRequest(`${blockPath}: a tool_result cannot hold another tool_result`);
      checkBlocks(
        block.content,
        `${blockPath}.tool_result.content`,
        (innerIndex) => toolResultBlockPath(blockPath, innerIndex),
        role,
        images,
        true,
      );
    }
    if (block.type === 'document' && isRecord(block.source) && block.source.type === 'content') {
      // images inside documents would bypass the image checks and views: not supported
      const inner = block.source.content;
      if (Array.isArray(inner) && inner.some((item) => isRecord(item) && item.type === 'image')) {
        throw invalidRequest(
          `${blockPath}.document.source.content: image blocks inside documents are not supported; send them as image blocks`,
        );
      }
    }
  });
}

export interface ParsedMessagesRequest {
  body: MessagesRequest;
  images: ImageBlockRef[];
}

/** Throws 400 invalid_request_error naming the first problem; `kind` decides whether max_tokens is required. */
export function parseMessagesRequest(raw: unknown, kind: 'create' | 'count_tokens'): ParsedMessagesRequest {
  if (!isRecord(raw)) throw invalidRequest('The request body must be a JSON object');
  if (raw.model === undefined) throw invalidRequest('model: Field required');
  if (typeof raw.model !== 'string' || raw.model === '')
    throw invalidRequest('model: Input should be a valid string');
  if (kind === 'create') {
    if (raw.max_tokens === undefined) throw invalidRequest('max_tokens: Field required');
    if (!Number.isInteger(raw.max_tokens) || (raw.max_tokens as number) < 0) {
      throw invalidRequest('max_tokens: Input should be a non-negative integer');
    }
    if (raw.stream !== undefined && typeof raw.stream !== 'boolean')
      throw invalidRequest('stream: Input should be a valid boolean');
    if (
      raw.stop_sequences !== undefined &&
      !(Array.isArray(raw.stop_sequences) && raw.stop_sequences.every((s) => typeof s === 'string'))
    ) {
      throw invalidRequest('stop_sequences: Input should be a valid list of strings');
    }
  }
  if (raw.system !== undefined && typeof raw.system !== 'string') {
    if (
      !Array.isArray(raw.system) ||
      !raw.system.every((block) => isRecord(block) && block.type === 'text' && typeof block.text === 'string')
    ) {
      throw invalidRequest('system: Input should be a valid string or a list of text blocks');
    }
  }
  if (raw.messages === undefined) throw invalidRequest('messages: Field required');
  if (!Array.isArray(raw.messages)) throw invalidRequest('messages: Input should be a valid list');
  const images: ImageBlockRef[] = [];
  raw.messages.forEach((message: unknown, index) => {
    const path = `messages.${index}`;
    if (!isRecord(message)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
    if (message.role !== 'user' && message.role !== 'assistant' && message.role !== 'system') {
      throw invalidRequest(`${path}.role: Input should be 'user' or 'assistant'`);
    }
    if (message.content === undefined) throw invalidRequest(`${path}.content: Field required`);
    checkBlocks(
      message.content,
      `${path}.content`,
      (blockIndex) => contentBlockPath(index, blockIndex),
      message.role,
      images,
    );
  });
  return { body: raw as unknown as MessagesRequest, images };
}

/** A tool_use input as text; input nested deeper than JSON.stringify can walk is refused. */
function stringifyInput(input: unknown): string {
  try {
    return JSON.stringify(input ?? {});
  } catch (error) {
    if (error instanceof RangeError) throw invalidRequest('tool_use input is nested too deeply');
    throw error;
  }
}

/** Every piece of text the model reads, for the text-token estimate. */
export function collectText(body: Pick<MessagesRequest, 'system' | 'messages'>): string[] {
  const texts: string[] = [];
  if (typeof body.system === 'string') texts.push(body.system);
  else if (Array.isArray(body.system)) texts.push(...body.system.map((block) => block.text));
  const walk = (content: MessageParam['content'] | ContentBlockParam[] | undefined): void => {
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content)) {
      for (const block of content) {
        if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
        else if (block.type === 'tool_result')
          walk(block.content as ContentBlockParam[] | string | undefined);
        else if (block.type === 'tool_use') texts.push(String(block.name), stringifyInput(block.input));
      }
    }
  };
  for (const message of body.messages) walk(message.content);
  return texts;
}
