// The one contract every backend satisfies. The server validates and renders every image before a
// backend is called; a backend only translates the normalised prompt, talks to its upstream, and yields
// events.
import type { StopReason } from '../wire/index.js';
import type { BackendPrompt, GenerationSettings } from './prompt/types.js';

export type {
  BackendPrompt,
  GenerationSettings,
  PreparedImage,
  PromptImagePart,
  PromptPart,
  PromptTurn,
} from './prompt/types.js';

/**
 * One request to a backend: the normalised prompt (built once by the server from the checked body and
 * its prepared images, `normaliseMessagesRequest`) and how to answer it. A backend translates these;
 * it never sees the wire body.
 */
export interface BackendRequest {
  prompt: BackendPrompt;
  settings: GenerationSettings;
  /** The model id to send upstream. */
  upstreamModel: string;
  /** Sightline's own count of input tokens (images per docs/rules/images.md §7, plus a text estimate). */
  inputTokens: number;
  signal: AbortSignal;
}

/**
 * What a backend yields, in this order: one `start` as soon as the answer is under way (an upstream
 * accepted the request: status OK and headers received; the local engine at once), then the answer —
 * text as it is produced and tool calls, in answer order — then exactly one `end`.
 *
 * A tool call comes either whole (`tool_use`, for backends that assemble it) or streamed: `tool_use_start`,
 * its `tool_input_delta` pieces exactly as the upstream sent them (relayed one by one), then
 * `tool_use_stop` carrying the parsed whole input. Either form becomes one `tool_use` content block.
 */
export type BackendEvent =
  | {
      type: 'start';
      /**
       * Counts the upstream reported on acceptance (an Anthropic upstream's `message_start` usage).
       * When given (and the route trusts the backend's counts) this input count is the one reported in
       * both `message_start` and `message_delta`.
       */
      usage?: { inputTokens?: number; outputTokens?: number };
    }
  | { type: 'text_delta'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_use_start'; id: string; name: string }
  | { type: 'tool_input_delta'; partialJson: string }
  | { type: 'tool_use_stop'; input: unknown }
  | {
      type: 'end';
      stopReason: StopReason;
      stopSequence: string | null;
      /** Counts reported by the upstream; missing ones are filled in by the server. */
      usage: { inputTokens?: number; outputTokens?: number };
    };

export interface Backend {
  readonly name: string;
  /**
   * Streams the answer, `start` first. Errors thrown before `start` become HTTP errors (the client sees
   * a plain status it can retry); errors after it become in-band SSE `error` events. Throw `ApiError`
   * (src/errors) with the mapped status/type.
   */
  generate(request: BackendRequest): AsyncIterable<BackendEvent>;
  /** Releases workers, sockets, etc. */
  close?(): Promise<void>;
  /** Requests in the backend's own queue (the local engine's OCR), for metrics. */
  readonly queued?: number;
}
