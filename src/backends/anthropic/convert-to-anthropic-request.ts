// Pure translator: turns the client's Messages body into the body sent to an Anthropic-compatible
// upstream (upstream model id, `stream: true`, image sources rewritten). Never mutates its input.
import { ApiError } from '../../errors/index.js';
import { base64Of } from '../../imaging/index.js';
import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  MessagesRequest,
  ToolResultBlockParam,
} from '../../wire/index.js';
import type { PreparedImage } from '../types.js';

export interface ImageSourceOptions {
  /** Send the model view (scaled + padded) instead of the client's source. */
  preResize: boolean;
  /** When not pre-resizing, inline `url` sources as base64 of the original bytes. */
  inlineSources: boolean;
}

export interface ConvertToAnthropicRequestInput extends ImageSourceOptions {
  body: MessagesRequest;
  upstreamModel: string;
  images: ReadonlyMap<ImageBlockParam, PreparedImage>;
}

/**
 * Builds the upstream body: a new object with `model` replaced, `stream: true`, and every image
 * block (in any turn, and inside `tool_result.content`) rewritten per the options. Order is kept;
 * blocks that need no change are shared, not copied (nothing is ever written to them).
 */
export function convertToAnthropicRequest(input: ConvertToAnthropicRequestInput): MessagesRequest {
  const { body, upstreamModel } = input;
  return {
    ...body,
    model: upstreamModel,
    stream: true,
    messages: body.messages.map((message, messageIndex) =>
      convertMessage(message, `messages.${messageIndex}`, input),
    ),
  };
}

function convertMessage(
  message: MessageParam,
  path: string,
  input: ConvertToAnthropicRequestInput,
): MessageParam {
  if (typeof message.content === 'string') return message;
  return {
    ...message,
    content: message.content.map((block, blockIndex) =>
      convertContentBlock(block, `${path}.content.${blockIndex}`, input),
    ),
  };
}

function convertContentBlock(
  block: ContentBlockParam,
  path: string,
  input: ConvertToAnthropicRequestInput,
): ContentBlockParam {
  if (isImageBlock(block)) return convertImageBlock(block, path, input);
  if (isToolResultBlock(block) && Array.isArray(block.content)) {
    const converted: ToolResultBlockParam = {
      ...block,
      content: block.content.map((inner, innerIndex) =>
        isImageBlock(inner) ? convertImageBlock(inner, `${path}.content.${innerIndex}`, input) : inner,
      ),
    };
    return converted;
  }
  return block;
}

/** Rewrites one image block; returns the same object when nothing changes. */
export function convertImageBlock(
  block: ImageBlockParam,
  path: string,
  input: ConvertToAnthropicRequestInput,
): ImageBlockParam {
  const { source } = block;
  if (input.preResize) {
    const { view } = requirePrepared(block, path, input.images);
    // `transformations` is dropped: the server already applied them to produce the view.
    const { transformations: _applied, ...rest } = block;
    return {
      ...rest,
      source: { type: 'base64', media_type: view.mediaType, data: base64Of(view.data) },
    };
  }
  const inline = source.type === 'file' || (source.type === 'url' && input.inlineSources);
  if (!inline) return block;
  // The upstream cannot read Sightline file ids (and base64-only gateways cannot fetch URLs).
  const { original } = requirePrepared(block, path, input.images);
  return {
    ...block,
    source: { type: 'base64', media_type: original.mediaType, data: base64Of(original.bytes) },
  };
}

function requirePrepared(
  block: ImageBlockParam,
  path: string,
  images: ReadonlyMap<ImageBlockParam, PreparedImage>,
): PreparedImage {
  const prepared = images.get(block);
  if (prepared === undefined) {
    throw new ApiError(500, 'api_error', `Internal error: the image at ${path} was not prepared`);
  }
  return prepared;
}

function isImageBlock(block: ContentBlockParam): block is ImageBlockParam {
  return block.type === 'image';
}

function isToolResultBlock(block: ContentBlockParam): block is ToolResultBlockParam {
  return block.type === 'tool_result';
}
