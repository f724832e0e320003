// Pure translator: turns the Anthropic `system` and `messages` into OpenAI chat-completions messages.
// Images are sent as data URIs of the prepared MODEL VIEW (never the client's original), in block order.
import { ApiError } from '../../errors/index.js';
import { base64Of } from '../../imaging/index.js';
import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '../../wire/index.js';
import type { PreparedImage } from '../types.js';
import type {
  OpenAiChatContentPart,
  OpenAiChatImagePart,
  OpenAiChatMessage,
  OpenAiChatToolCall,
  OpenAiChatUserMessage,
} from './openai-chat-wire.js';

export interface ConvertToOpenAiChatMessagesInput {
  system?: string | TextBlockParam[] | undefined;
  messages: readonly MessageParam[];
  /** Prepared images, looked up by block identity. */
  images: ReadonlyMap<ImageBlockParam, PreparedImage>;
  /** Prefixes error messages, e.g. `ollama: …`. */
  backendName: string;
}

/** Blocks of an assistant turn that carry no answer content and have no OpenAI equivalent. */
const DROPPED_ASSISTANT_BLOCK_TYPES: ReadonlySet<string> = new Set(['thinking', 'redacted_thinking']);

/**
 * Builds the OpenAI `messages` array: the system prompt first, then each turn in order. A user turn
 * is split around its `tool_result` blocks so that every block keeps its relative position; images
 * returned by tools follow the run of tool messages in a user message of their own.
 */
export function convertToOpenAiChatMessages(input: ConvertToOpenAiChatMessagesInput): OpenAiChatMessage[] {
  const output: OpenAiChatMessage[] = [];
  const systemText = convertSystem(input.system, input.backendName);
  if (systemText !== undefined) output.push({ role: 'system', content: systemText });
  input.messages.forEach((message, messageIndex) => {
    const path = `messages.${messageIndex}`;
    switch (message.role) {
      case 'user':
        convertUserTurn(message.content, path, input, output);
        break;
      case 'assistant':
        output.push(convertAssistantTurn(message.content, path, input.backendName));
        break;
      case 'system':
        output.push({
          role: 'system',
          content: textOnly(message.content, `${path}.content`, input.backendName),
        });
        break;
      default:
        throw invalid(input.backendName, `${path}.role "${String(message.role)}" is not supported`);
    }
  });
  return output;
}

function convertSystem(
  system: string | TextBlockParam[] | undefined,
  backendName: string,
): string | undefined {
  if (system === undefined) return undefined;
  const text = textOnly(system, 'system', backendName);
  return text === '' ? undefined : text;
}

/** Joins the text of string-or-text-block content with blank lines; any other block is an error. */
function textOnly(content: string | readonly ContentBlockParam[], path: string, backendName: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((block, index) => {
      if (!isTextBlock(block)) {
        throw unsupportedBlock(backendName, block, `${path}.${index}`, 'only text is allowed here');
      }
      return block.text;
    })
    .join('\n\n');
}

function convertUserTurn(
  content: string | readonly ContentBlockParam[],
  path: string,
  input: ConvertToOpenAiChatMessagesInput,
  output: OpenAiChatMessage[],
): void {
  if (typeof content === 'string') {
    output.push({ role: 'user', content });
    return;
  }
  if (content.length === 0) {
    output.push({ role: 'user', content: '' });
    return;
  }
  let pendingParts: OpenAiChatContentPart[] = [];
  let pendingToolImageMessages: OpenAiChatUserMessage[] = [];
  const flushParts = (): void => {
    if (pendingParts.length > 0) output.push(toUserMessage(pendingParts));
    pendingParts = [];
  };
  const flushToolImageMessages = (): void => {
    output.push(...pendingToolImageMessages);
    pendingToolImageMessages = [];
  };
  content.forEach((block, blockIndex) => {
    const blockPath = `${path}.content.${blockIndex}`;
    if (isToolResultBlock(block)) {
      flushParts();
      const { toolMessageText, imageParts } = convertToolResult(block, blockPath, input);
      output.push({ role: 'tool', tool_call_id: block.tool_use_id, content: toolMessageText });
      if (imageParts.length > 0) {
        pendingToolImageMessages.push({
          role: 'user',
          content: [{ type: 'text', text: `Images returned by tool ${block.tool_use_id}:` }, ...imageParts],
        });
      }
      return;
    }
    flushToolImageMessages();
    if (isTextBlock(block)) {
      pendingParts.push({ type: 'text', text: block.text });
    } else if (isImageBlock(block)) {
      pendingParts.push(toImagePart(block, blockPath, input));
    } else {
      throw unsupportedBlock(
        input.backendName,
        block,
        blockPath,
        'user turns may hold text, image and tool_result',
      );
    }
  });
  flushToolImageMessages();
  flushParts();
}

/** A lone text part becomes plain string content (accepted by every server); anything else stays parts. */
function toUserMessage(parts: OpenAiChatContentPart[]): OpenAiChatUserMessage {
  const [onlyPart] = parts;
  if (parts.length === 1 && onlyPart?.type === 'text') return { role: 'user', content: onlyPart.text };
  return { role: 'user', content: parts };
}

function convertToolResult(
  block: ToolResultBlockParam,
  path: string,
  input: ConvertToOpenAiChatMessagesInput,
): { toolMessageText: string; imageParts: OpenAiChatImagePart[] } {
  const content = block.content;
  if (content === undefined) return { toolMessageText: '', imageParts: [] };
  if (typeof content === 'string') return { toolMessageText: content, imageParts: [] };
  const texts: string[] = [];
  const imageParts: OpenAiChatImagePart[] = [];
  content.forEach((inner: ContentBlockParam, innerIndex) => {
    const innerPath = `${path}.content.${innerIndex}`;
    if (isTextBlock(inner)) texts.push(inner.text);
    else if (isImageBlock(inner)) imageParts.push(toImagePart(inner, innerPath, input));
    else
      throw unsupportedBlock(
        input.backendName,
        inner,
        innerPath,
        'tool_result content may hold text and image',
      );
  });
  return { toolMessageText: texts.join('\n'), imageParts };
}

function convertAssistantTurn(
  content: string | readonly ContentBlockParam[],
  path: string,
  backendName: string,
): OpenAiChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const texts: string[] = [];
  const toolCalls: OpenAiChatToolCall[] = [];
  content.forEach((block, blockIndex) => {
    const blockPath = `${path}.content.${blockIndex}`;
    if (isTextBlock(block)) texts.push(block.text);
    else if (isToolUseBlock(block)) toolCalls.push(toToolCall(block));
    else if (!DROPPED_ASSISTANT_BLOCK_TYPES.has(block.type)) {
      throw unsupportedBlock(backendName, block, blockPath, 'assistant turns may hold text and tool_use');
    }
  });
  const message: OpenAiChatMessage = { role: 'assistant', content: texts.join('') };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function toToolCall(block: ToolUseBlockParam): OpenAiChatToolCall {
  return {
    id: block.id,
    type: 'function',
    function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
  };
}

function toImagePart(
  block: ImageBlockParam,
  path: string,
  input: ConvertToOpenAiChatMessagesInput,
): OpenAiChatImagePart {
  const prepared = input.images.get(block);
  if (prepared === undefined) {
    // The server prepares every image before a backend runs; a missing one is our bug, not the client's.
    throw new ApiError(500, 'api_error', `${input.backendName}: the image at ${path} was not prepared`);
  }
  const { view } = prepared;
  return {
    type: 'image_url',
    image_url: { url: `data:${view.mediaType};base64,${base64Of(view.data)}` },
  };
}

function isTextBlock(block: ContentBlockParam): block is TextBlockParam {
  return block.type === 'text' && typeof block.text === 'string';
}

function isImageBlock(block: ContentBlockParam): block is ImageBlockParam {
  return block.type === 'image';
}

function isToolResultBlock(block: ContentBlockParam): block is ToolResultBlockParam {
  return block.type === 'tool_result' && typeof block.tool_use_id === 'string';
}

function isToolUseBlock(block: ContentBlockParam): block is ToolUseBlockParam {
  return block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string';
}

function unsupportedBlock(
  backendName: string,
  block: ContentBlockParam,
  path: string,
  hint: string,
): ApiError {
  return invalid(backendName, `content block type "${block.type}" at ${path} is not supported (${hint})`);
}

function invalid(backendName: string, message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', `${backendName}: ${message}`);
}
