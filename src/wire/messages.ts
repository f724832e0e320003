// Wire types of the Messages API (snake_case, as on the wire). Requests are validated by
// `parseMessagesRequest` in server code; these types describe the accepted shape.

export type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface Base64ImageSource {
  type: 'base64';
  media_type: string;
  data: string;
}
export interface UrlImageSource {
  type: 'url';
  url: string;
}
export interface FileImageSource {
  type: 'file';
  file_id: string;
}
export type ImageSource = Base64ImageSource | UrlImageSource | FileImageSource;

export interface TextBlockParam {
  type: 'text';
  text: string;
  [extra: string]: unknown;
}
export interface ImageBlockParam {
  type: 'image';
  source: ImageSource;
  transformations?: { oversized_image?: 'downsize' | 'error' } | null;
  [extra: string]: unknown;
}
export interface ToolResultBlockParam {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<TextBlockParam | ImageBlockParam>;
  is_error?: boolean;
  [extra: string]: unknown;
}
export interface ToolUseBlockParam {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  [extra: string]: unknown;
}
export interface OtherBlockParam {
  type: string;
  [extra: string]: unknown;
}
export type ContentBlockParam =
  | TextBlockParam
  | ImageBlockParam
  | ToolResultBlockParam
  | ToolUseBlockParam
  | OtherBlockParam;

export interface MessageParam {
  role: 'user' | 'assistant' | 'system';
  content: string | ContentBlockParam[];
}

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  messages: MessageParam[];
  system?: string | TextBlockParam[];
  stream?: boolean;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id?: string | null };
  [extra: string]: unknown;
}

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** `citations: null` when there are none, as the API sends it (newer @ai-sdk/anthropic accepts null). */
export interface TextBlock {
  type: 'text';
  text: string;
  citations: null;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number } | null;
  server_tool_use: null;
  service_tier: 'standard' | 'priority' | 'batch' | null;
  inference_geo: null;
  output_tokens_details: null;
  /**
   * Sightline extension: the revision of the image rules that counted the images (`2026-09` or `2026-04`),
   * what was done to each image (omitted when the request has none), and repair mode's changes.
   */
  sightline?: { rules: string; images?: ImageScaleReport[]; repairs?: RepairReport[] };
}

/** Sightline extension (repair mode): the facts of an image before or after a repair. */
export interface RepairedImageFacts {
  width: number;
  height: number;
  media_type: string;
  /** Length of the base64 data, as the API's limits measure it. */
  bytes: number;
}

export type RepairAction = 'media_type_corrected' | 'downscaled' | 're_encoded' | 'shrunk' | 'omitted';

/** Sightline extension (repair mode): one change made to the request, in `usage.sightline.repairs`. */
export interface RepairReport {
  /** JSON path of the image block, e.g. `messages.4.content.0.tool_result.content.0`. */
  path: string;
  action: RepairAction;
  /** Why: the limit it would have broken. */
  reason: string;
  before: RepairedImageFacts;
  /** null when the image was replaced by a text block */
  after: RepairedImageFacts | null;
}

export interface ImageScaleReport {
  /** JSON path of the image block, e.g. `messages.0.content.1`. */
  path: string;
  original_width: number;
  original_height: number;
  view_width: number;
  view_height: number;
  canvas_width: number;
  canvas_height: number;
  /** view / original, the same on both axes up to flooring. */
  scale: number;
  tokens: number;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

export type ContentBlock = TextBlock | ToolUseBlock;

export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  stop_details: null;
  container: null;
  usage: Usage;
}

export type StreamEvent =
  | { type: 'message_start'; message: Message }
  | { type: 'content_block_start'; index: number; content_block: ContentBlock }
  | { type: 'ping' }
  | {
      type: 'content_block_delta';
      index: number;
      delta: { type: 'text_delta'; text: string } | { type: 'input_json_delta'; partial_json: string };
    }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: {
        stop_reason: StopReason | null;
        stop_sequence: string | null;
        stop_details: null;
        container: null;
      };
      usage: {
        output_tokens: number;
        input_tokens: number | null;
        cache_creation_input_tokens: number | null;
        cache_read_input_tokens: number | null;
        server_tool_use: null;
        output_tokens_details: null;
      };
    }
  | { type: 'message_stop' }
  | { type: 'error'; error: { type: string; message: string } };
