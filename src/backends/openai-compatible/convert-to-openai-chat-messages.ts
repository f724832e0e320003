// Pure translator: turns the normalised prompt (system and turns) into OpenAI chat-completions messages.
// Images are sent as data URIs of the prepared MODEL VIEW (never the client's original), in part order.
import { ApiError } from '../../errors/index.js';
import { base64Of } from '../../imaging/index.js';
import type {
  BackendPrompt,
  PromptImagePart,
  PromptPart,
  PromptSystem,
  PromptToolCallPart,
  PromptToolResultPart,
} from '../prompt/types.js';
import type {
  OpenAiChatContentPart,
  OpenAiChatImagePart,
  OpenAiChatMessage,
  OpenAiChatToolCall,
  OpenAiChatUserMessage,
} from './openai-chat-wire.js';

export interface ConvertToOpenAiChatMessagesInput {
  prompt: BackendPrompt;
  /** Prefixes error messages, e.g. `ollama: …`. */
  backendName: string;
}

/** Blocks of an assistant turn that carry no answer content and have no OpenAI equivalent. */
const DROPPED_ASSISTANT_BLOCK_TYPES: ReadonlySet<string> = new Set(['thinking', 'redacted_thinking']);

/** The wire type a part came from, for error messages. */
function wireTypeOf(part: PromptPart): string {
  switch (part.type) {
    case 'tool-call':
      return 'tool_use';
    case 'tool-result':
      return 'tool_result';
    case 'other':
      return part.block.type;
    default:
      return part.type;
  }
}

/**
 * Builds the OpenAI `messages` array: the system prompt first, then each turn in order. A user turn
 * is split around its tool results so that every part keeps its relative position; images returned by
 * tools follow the run of tool messages in a user message of their own. Parts are named in errors by
 * the JSON path of the block they came from (part j of turn i is `messages.i.content.j`).
 */
export function convertToOpenAiChatMessages(input: ConvertToOpenAiChatMessagesInput): OpenAiChatMessage[] {
  const { prompt, backendName } = input;
  const output: OpenAiChatMessage[] = [];
  const systemText = convertSystem(prompt.system, backendName);
  if (systemText !== undefined) output.push({ role: 'system', content: systemText });
  prompt.turns.forEach((turn, turnIndex) => {
    const path = `messages.${turnIndex}`;
    switch (turn.role) {
      case 'user':
        convertUserTurn(turn.parts, path, backendName, output);
        break;
      case 'assistant':
        output.push(convertAssistantTurn(turn.parts, path, backendName));
        break;
      case 'system':
        output.push({ role: 'system', content: textOnly(turn.parts, `${path}.content`, backendName) });
        break;
      default:
        throw invalid(backendName, `${path}.role "${String(turn.role)}" is not supported`);
    }
  });
  return output;
}

function convertSystem(system: PromptSystem | undefined, backendName: string): string | undefined {
  if (system === undefined) return undefined;
  const text = textOnly(system.parts, 'system', backendName);
  return text === '' ? undefined : text;
}

/** Joins the text parts with blank lines; any other part is an error. */
function textOnly(parts: readonly PromptPart[], path: string, backendName: string): string {
  return parts
    .map((part, index) => {
      if (part.type !== 'text') {
        throw unsupportedPart(backendName, part, `${path}.${index}`, 'only text is allowed here');
      }
      return part.text;
    })
    .join('\n\n');
}

function convertUserTurn(
  parts: readonly PromptPart[],
  path: string,
  backendName: string,
  output: OpenAiChatMessage[],
): void {
  if (parts.length === 0) {
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
  parts.forEach((part, partIndex) => {
    const partPath = `${path}.content.${partIndex}`;
    if (part.type === 'tool-result') {
      flushParts();
      const { toolMessageText, imageParts } = convertToolResult(part, partPath, backendName);
      output.push({ role: 'tool', tool_call_id: part.toolUseId, content: toolMessageText });
      if (imageParts.length > 0) {
        pendingToolImageMessages.push({
          role: 'user',
          content: [{ type: 'text', text: `Images returned by tool ${part.toolUseId}:` }, ...imageParts],
        });
      }
      return;
    }
    flushToolImageMessages();
    if (part.type === 'text') {
      pendingParts.push({ type: 'text', text: part.text });
    } else if (part.type === 'image') {
      pendingParts.push(toImagePart(part));
    } else {
      throw unsupportedPart(backendName, part, partPath, 'user turns may hold text, image and tool_result');
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
  part: PromptToolResultPart,
  path: string,
  backendName: string,
): { toolMessageText: string; imageParts: OpenAiChatImagePart[] } {
  const texts: string[] = [];
  const imageParts: OpenAiChatImagePart[] = [];
  (part.content ?? []).forEach((inner, innerIndex) => {
    if (inner.type === 'text') texts.push(inner.text);
    else if (inner.type === 'image') imageParts.push(toImagePart(inner));
    else
      throw unsupportedPart(
        backendName,
        inner,
        `${path}.content.${innerIndex}`,
        'tool_result content may hold text and image',
      );
  });
  return { toolMessageText: texts.join('\n'), imageParts };
}

function convertAssistantTurn(
  parts: readonly PromptPart[],
  path: string,
  backendName: string,
): OpenAiChatMessage {
  const texts: string[] = [];
  const toolCalls: OpenAiChatToolCall[] = [];
  parts.forEach((part, partIndex) => {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'tool-call') toolCalls.push(toToolCall(part));
    else if (!DROPPED_ASSISTANT_BLOCK_TYPES.has(wireTypeOf(part))) {
      throw unsupportedPart(
        backendName,
        part,
        `${path}.content.${partIndex}`,
        'assistant turns may hold text and tool_use',
      );
    }
  });
  const message: OpenAiChatMessage = { role: 'assistant', content: texts.join('') };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function toToolCall(part: PromptToolCallPart): OpenAiChatToolCall {
  return {
    id: part.id,
    type: 'function',
    function: { name: part.name, arguments: JSON.stringify(part.input ?? {}) },
  };
}

function toImagePart(part: PromptImagePart): OpenAiChatImagePart {
  const { view } = part.image;
  return {
    type: 'image_url',
    image_url: { url: `data:${view.mediaType};base64,${base64Of(view.data)}` },
  };
}

function unsupportedPart(backendName: string, part: PromptPart, path: string, hint: string): ApiError {
  return invalid(
    backendName,
    `content block type "${wireTypeOf(part)}" at ${path} is not supported (${hint})`,
  );
}

function invalid(backendName: string, message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', `${backendName}: ${message}`);
}
