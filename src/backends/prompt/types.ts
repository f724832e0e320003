// The normalised prompt every backend translates (vercel/ai's LanguageModelV3Prompt is the model): the
// server builds it once from the Messages body and the prepared images; no backend reads the wire body.
// Parts keep the order and count of the wire blocks they come from (part j of turn i is
// `messages.i.content.j`), so translators can still name a block by its JSON path in their errors.
import type { ImageMediaType, ImageSource, OtherBlockParam } from '../../wire/index.js';

/**
 * Fields of a wire block, turn or body that Sightline does not interpret (`cache_control`, `citations`,
 * `thinking`, `service_tier`, …), as the client sent them. Only upstreams speaking the Messages API get
 * them back; other translators ignore them.
 */
export type WireExtras = Readonly<Record<string, unknown>>;

/** An image after validation and rendering: the original bytes and the model view (scaled + padded). */
export interface PreparedImage {
  /** JSON path of the image block, e.g. `messages.0.content.1` or `messages.2.content.0.tool_result.content.1`. */
  path: string;
  original: { bytes: Buffer; mediaType: ImageMediaType; width: number; height: number };
  /**
   * The model view: scaled to the model's profile and padded right/bottom to multiples of 28 px — except
   * for Anthropic upstreams, which pad on their side (then width/height equal the content size).
   */
  view: {
    data: Buffer;
    mediaType: ImageMediaType;
    /** canvas size (padded, or the content size when unpadded) */
    width: number;
    height: number;
    /** scaled, unpadded size (the image content inside the canvas) */
    contentWidth: number;
    contentHeight: number;
  };
  tokens: number;
}

export interface PromptTextPart {
  type: 'text';
  text: string;
  extras?: WireExtras;
}

/** An image block with the image the server prepared for it (found by JSON path, never by identity). */
export interface PromptImagePart {
  type: 'image';
  /** The prepared image; `image.path` is the block's JSON path. */
  image: PreparedImage;
  /** The source as the client sent it (base64, url or file). */
  source: ImageSource;
  /** The client's `transformations`, when it sent the field (already applied to `image.view`). */
  transformations?: { oversized_image?: 'downsize' | 'error' } | null;
  extras?: WireExtras;
}

/** A `tool_use` block of an earlier assistant turn. */
export interface PromptToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  input: unknown;
  extras?: WireExtras;
}

/** What a `tool_result` may hold: text, images, and blocks Sightline does not interpret. */
export type PromptToolResultContentPart = PromptTextPart | PromptImagePart | PromptOtherPart;

/** A `tool_result` block: the answer to a tool call, possibly with images (screenshots). */
export interface PromptToolResultPart {
  type: 'tool-result';
  toolUseId: string;
  /** Absent when the client sent no content; a string content is one text part with `shorthand`. */
  content?: PromptToolResultContentPart[];
  /** The client wrote the content as a plain string. */
  shorthand: boolean;
  isError?: boolean;
  extras?: WireExtras;
}

/**
 * A block Sightline does not interpret (`document`, `thinking`, `redacted_thinking`, `search_result`, …),
 * kept whole: upstreams speaking the Messages API get it as sent; other translators drop or refuse it.
 */
export interface PromptOtherPart {
  type: 'other';
  block: OtherBlockParam;
}

export type PromptPart =
  | PromptTextPart
  | PromptImagePart
  | PromptToolCallPart
  | PromptToolResultPart
  | PromptOtherPart;

export interface PromptTurn {
  /** `system` turns inside `messages` are accepted as the API accepts them. */
  role: 'user' | 'assistant' | 'system';
  /** One part per wire block, in order; a string content is one text part with `shorthand`. */
  parts: PromptPart[];
  /** The client wrote the content as a plain string. */
  shorthand: boolean;
  extras?: WireExtras;
}

export interface PromptSystem {
  parts: PromptTextPart[];
  /** The client wrote the system prompt as a plain string. */
  shorthand: boolean;
}

export interface BackendPrompt {
  /** Absent when the client sent no `system`. */
  system?: PromptSystem;
  turns: PromptTurn[];
}

/** How to answer: limits, sampling and tools, as the client asked. */
export interface GenerationSettings {
  maxTokens: number;
  stopSequences?: readonly string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  metadata?: Readonly<Record<string, unknown>>;
  /** Tool definitions as the client sent them (each translator checks what it can express). */
  tools?: unknown;
  toolChoice?: unknown;
  /** Top-level fields Sightline does not interpret (`thinking`, `service_tier`, …). */
  extras?: WireExtras;
}
