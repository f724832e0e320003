// Builds the normalised prompt from a checked Messages body and the images the server prepared for it.
// Called once per request by the server, after every check and repair; backends translate the result.
// Images are matched by JSON path, so any copy of the body (repair, computer-use scaling) still works.
import { ApiError } from '../../errors/index.js';
import { isRecord } from '../../net/index.js';
import {
  type ContentBlockParam,
  contentBlockPath,
  type ImageBlockParam,
  type MessageParam,
  type MessagesRequest,
  type OtherBlockParam,
  type TextBlockParam,
  type ToolResultBlockParam,
  type ToolUseBlockParam,
  toolResultBlockPath,
} from '../../wire/index.js';
import type {
  BackendPrompt,
  GenerationSettings,
  PreparedImage,
  PromptImagePart,
  PromptOtherPart,
  PromptPart,
  PromptSystem,
  PromptTextPart,
  PromptToolCallPart,
  PromptToolResultContentPart,
  PromptToolResultPart,
  PromptTurn,
} from './types.js';
import { withExtras } from './wire-extras.js';

export interface NormalisedRequest {
  prompt: BackendPrompt;
  settings: GenerationSettings;
}

/** Prepared images by JSON path. */
type ImagesByPath = ReadonlyMap<string, PreparedImage>;

/**
 * The prompt and generation settings of `body`. Every image block must have a prepared image with its
 * path (the server prepares all of them first): a missing one is Sightline's bug, a 500.
 */
export function normaliseMessagesRequest(
  body: MessagesRequest,
  images: readonly PreparedImage[],
): NormalisedRequest {
  const byPath: ImagesByPath = new Map(images.map((image) => [image.path, image]));
  const prompt: BackendPrompt = {
    turns: body.messages.map((message, messageIndex) => toTurn(message, messageIndex, byPath)),
  };
  const system = toSystem(body.system);
  if (system !== undefined) prompt.system = system;
  return { prompt, settings: toSettings(body) };
}

function toSystem(system: MessagesRequest['system']): PromptSystem | undefined {
  if (system === undefined) return undefined;
  if (typeof system === 'string') return { parts: [{ type: 'text', text: system }], shorthand: true };
  return { parts: system.map(toTextPart), shorthand: false };
}

function toTurn(message: MessageParam, messageIndex: number, images: ImagesByPath): PromptTurn {
  const { role, content } = message;
  const turn: PromptTurn =
    typeof content === 'string'
      ? { role, parts: [{ type: 'text', text: content }], shorthand: true }
      : {
          role,
          parts: content.map((block, blockIndex) =>
            toPart(block, contentBlockPath(messageIndex, blockIndex), images),
          ),
          shorthand: false,
        };
  return withExtras(turn, message, ['role', 'content']);
}

function toPart(block: ContentBlockParam, path: string, images: ImagesByPath): PromptPart {
  if (isTextBlock(block)) return toTextPart(block);
  if (isImageBlock(block)) return toImagePart(block, path, images);
  if (isToolUseBlock(block)) {
    const { id, name, input } = block;
    const part: PromptToolCallPart = { type: 'tool-call', id, name, input };
    return withExtras(part, block, ['type', 'id', 'name', 'input']);
  }
  if (isToolResultBlock(block)) return toToolResultPart(block, path, images);
  return toOtherPart(block);
}

function toTextPart(block: TextBlockParam): PromptTextPart {
  const part: PromptTextPart = { type: 'text', text: block.text };
  return withExtras(part, block, ['type', 'text']);
}

function toImagePart(block: ImageBlockParam, path: string, images: ImagesByPath): PromptImagePart {
  const image = images.get(path);
  if (image === undefined) {
    throw new ApiError(500, 'api_error', `Internal error: the image at ${path} was not prepared`);
  }
  const part: PromptImagePart = { type: 'image', image, source: block.source };
  if (block.transformations !== undefined) part.transformations = block.transformations;
  return withExtras(part, block, ['type', 'source', 'transformations']);
}

function toToolResultPart(
  block: ToolResultBlockParam,
  path: string,
  images: ImagesByPath,
): PromptToolResultPart {
  const part: PromptToolResultPart = { type: 'tool-result', toolUseId: block.tool_use_id, shorthand: false };
  const { content } = block;
  if (typeof content === 'string') {
    part.content = [{ type: 'text', text: content }];
    part.shorthand = true;
  } else if (Array.isArray(content)) {
    part.content = content.map((inner: ContentBlockParam, index): PromptToolResultContentPart => {
      if (isTextBlock(inner)) return toTextPart(inner);
      if (isImageBlock(inner)) return toImagePart(inner, toolResultBlockPath(path, index), images);
      return toOtherPart(inner);
    });
  }
  const known = ['type', 'tool_use_id', 'content'];
  if (typeof block.is_error === 'boolean') {
    part.isError = block.is_error;
    known.push('is_error');
  }
  return withExtras(part, block, known);
}

const toOtherPart = (block: OtherBlockParam): PromptOtherPart => ({ type: 'other', block });

/** The top-level fields; one of the wrong type stays among the extras, as the client sent it. */
function toSettings(body: MessagesRequest): GenerationSettings {
  const settings: GenerationSettings = { maxTokens: body.max_tokens };
  const known = ['model', 'messages', 'system', 'stream', 'max_tokens', 'tools', 'tool_choice'];
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.every((item) => typeof item === 'string')) {
    settings.stopSequences = body.stop_sequences;
    known.push('stop_sequences');
  }
  const numbers = [
    ['temperature', 'temperature'],
    ['top_p', 'topP'],
    ['top_k', 'topK'],
  ] as const;
  for (const [wireName, name] of numbers) {
    const value = body[wireName];
    if (typeof value === 'number') {
      settings[name] = value;
      known.push(wireName);
    }
  }
  if (isRecord(body.metadata)) {
    settings.metadata = body.metadata;
    known.push('metadata');
  }
  if ('tools' in body) settings.tools = body.tools;
  if ('tool_choice' in body) settings.toolChoice = body.tool_choice;
  return withExtras(settings, body, known);
}

function isTextBlock(block: ContentBlockParam): block is TextBlockParam {
  return block.type === 'text' && typeof block.text === 'string';
}

function isImageBlock(block: ContentBlockParam): block is ImageBlockParam {
  return block.type === 'image';
}

function isToolUseBlock(block: ContentBlockParam): block is ToolUseBlockParam {
  return block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string';
}

function isToolResultBlock(block: ContentBlockParam): block is ToolResultBlockParam {
  return block.type === 'tool_result' && typeof block.tool_use_id === 'string';
}
