// Pure translator: turns the normalised prompt back into the Messages body sent to an Anthropic-compatible
// upstream (upstream model id, `stream: true`, image sources per the options). Every field the client
// sent and Sightline does not interpret (`cache_control`, `thinking`, documents, …) goes back as sent.
import { base64Of } from '../../imaging/index.js';
import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  MessagesRequest,
  TextBlockParam,
  ToolResultBlockParam,
} from '../../wire/index.js';
import type {
  BackendPrompt,
  GenerationSettings,
  PromptImagePart,
  PromptPart,
  PromptSystem,
  PromptTextPart,
  PromptToolResultPart,
  PromptTurn,
} from '../prompt/types.js';

export interface ImageSourceOptions {
  /** Send the model view (scaled + padded) instead of the client's source. */
  preResize: boolean;
  /** When not pre-resizing, inline `url` sources as base64 of the original bytes. */
  inlineSources: boolean;
}

export interface ConvertToAnthropicRequestInput extends ImageSourceOptions {
  prompt: BackendPrompt;
  settings: GenerationSettings;
  upstreamModel: string;
}

/** Builds the upstream body: the client's fields, `model` replaced, `stream: true`, images per the options. */
export function convertToAnthropicRequest(input: ConvertToAnthropicRequestInput): MessagesRequest {
  const { prompt, settings } = input;
  const body: MessagesRequest = {
    ...settings.extras,
    model: input.upstreamModel,
    max_tokens: settings.maxTokens,
    messages: prompt.turns.map((turn) => toMessage(turn, input)),
    stream: true,
  };
  if (prompt.system !== undefined) body.system = toSystem(prompt.system);
  if (settings.stopSequences !== undefined) body.stop_sequences = [...settings.stopSequences];
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  if (settings.topP !== undefined) body.top_p = settings.topP;
  if (settings.topK !== undefined) body.top_k = settings.topK;
  if (settings.metadata !== undefined) body.metadata = settings.metadata;
  if ('tools' in settings) body.tools = settings.tools;
  if ('toolChoice' in settings) body.tool_choice = settings.toolChoice;
  return body;
}

function toSystem(system: PromptSystem): string | TextBlockParam[] {
  const [only] = system.parts;
  if (system.shorthand && only !== undefined) return only.text;
  return system.parts.map(toTextBlock);
}

function toMessage(turn: PromptTurn, options: ImageSourceOptions): MessageParam {
  const [only] = turn.parts;
  const content =
    turn.shorthand && only?.type === 'text'
      ? only.text
      : turn.parts.map((part) => toContentBlock(part, options));
  return { ...turn.extras, role: turn.role, content };
}

function toContentBlock(part: PromptPart, options: ImageSourceOptions): ContentBlockParam {
  switch (part.type) {
    case 'text':
      return toTextBlock(part);
    case 'image':
      return toImageBlock(part, options);
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: part.input, ...part.extras };
    case 'tool-result':
      return toToolResultBlock(part, options);
    case 'other':
      return part.block;
  }
}

const toTextBlock = (part: PromptTextPart): TextBlockParam => ({
  type: 'text',
  text: part.text,
  ...part.extras,
});

function toToolResultBlock(part: PromptToolResultPart, options: ImageSourceOptions): ToolResultBlockParam {
  const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: part.toolUseId, ...part.extras };
  const [only] = part.content ?? [];
  if (part.shorthand && only?.type === 'text') block.content = only.text;
  else if (part.content !== undefined) {
    // `other` blocks (documents, search results) are forwarded as the client sent them
    block.content = part.content.map(
      (inner) => toContentBlock(inner, options) as TextBlockParam | ImageBlockParam,
    );
  }
  if (part.isError !== undefined) block.is_error = part.isError;
  return block;
}

/** One image block: the model view, the original inlined, or the client's own source. */
export function toImageBlock(part: PromptImagePart, options: ImageSourceOptions): ImageBlockParam {
  const { image, source } = part;
  if (options.preResize) {
    // `transformations` is dropped: the server already applied them to produce the view.
    const { view } = image;
    return {
      type: 'image',
      source: { type: 'base64', media_type: view.mediaType, data: base64Of(view.data) },
      ...part.extras,
    };
  }
  const block: ImageBlockParam = { type: 'image', source, ...part.extras };
  if (part.transformations !== undefined) block.transformations = part.transformations;
  // The upstream cannot read Sightline file ids (and base64-only gateways cannot fetch URLs).
  const inline = source.type === 'file' || (source.type === 'url' && options.inlineSources);
  if (inline) {
    const { original } = image;
    block.source = { type: 'base64', media_type: original.mediaType, data: base64Of(original.bytes) };
  }
  return block;
}
