// Runs a backend and shapes its events into the wire response: one JSON Message, or the SSE sequence
// of docs/rules/wire.md §7 (message_start, content block events, ping, cumulative message_delta, message_stop).
import type { BackendEvent } from '../backends/types.js';
import { ApiError, apiInternalError } from '../errors/index.js';
import { estimateTextTokens } from '../tokens/index.js';
import type {
  ContentBlock,
  ImageScaleReport,
  Message,
  RepairReport,
  StopReason,
  StreamEvent,
  Usage,
} from '../wire/index.js';
import { createId } from './ids.js';
import { formatSseEvent } from './sse.js';

export interface ResponseContext {
  model: string;
  inputTokens: number;
  /** Use the backend's input count when it reports one (an Anthropic upstream counts like Claude). */
  trustBackendInputTokens: boolean;
  images: ImageScaleReport[];
  /** the revision of the image rules the images were counted by, reported as usage.sightline.rules */
  rules: string;
  /** repair mode: what was changed in the request (issue 13) */
  repairs?: RepairReport[];
  /** told the final counts once the answer is complete */
  onFinish?: (counts: { input: number; output: number }) => void;
  /** told the error type when a stream ends with an in-band error */
  onStreamError?: (type: string) => void;
}

const usage = (
  input: number,
  output: number,
  context: Pick<ResponseContext, 'images' | 'rules' | 'repairs'>,
): Usage => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  server_tool_use: null,
  service_tier: 'standard',
  inference_geo: null,
  output_tokens_details: null,
  sightline: {
    rules: context.rules,
    ...(context.images.length > 0 ? { images: context.images } : {}),
    ...(context.repairs && context.repairs.length > 0 ? { repairs: context.repairs } : {}),
  },
});

const emptyMessage = (context: ResponseContext): Message => ({
  id: createId('msg'),
  type: 'message',
  role: 'assistant',
  model: context.model,
  content: [],
  stop_reason: null,
  stop_sequence: null,
  stop_details: null,
  container: null,
  usage: usage(context.inputTokens, 0, context),
});

type EndEvent = Extract<BackendEvent, { type: 'end' }>;
type StartEvent = Extract<BackendEvent, { type: 'start' }>;

/**
 * The input count the answer reports, fixed once so `message_start` and `message_delta` agree: the
 * upstream's count given on acceptance when the route trusts it (an Anthropic upstream counts as Claude
 * does), else Sightline's own. `end` may still supply the upstream's count for a whole-message answer.
 */
const inputCountAtStart = (context: ResponseContext, start: StartEvent | undefined): number | undefined =>
  context.trustBackendInputTokens ? start?.usage?.inputTokens : undefined;

const finalCounts = (
  context: ResponseContext,
  inputAtStart: number | undefined,
  end: EndEvent,
  text: string,
) => ({
  input:
    inputAtStart ??
    (context.trustBackendInputTokens && end.usage.inputTokens !== undefined
      ? end.usage.inputTokens
      : context.inputTokens),
  output: end.usage.outputTokens ?? estimateTextTokens(text),
});

/** The text the output-token estimate reads: text, and tool calls as the JSON the model wrote. */
const outputText = (content: ContentBlock[]): string =>
  content
    .map((block) => (block.type === 'text' ? block.text : `${block.name}${JSON.stringify(block.input)}`))
    .join('');

const textBlock = (text: string): ContentBlock => ({ type: 'text', text, citations: null });

/** Collects the whole answer into one Message: text blocks and tool_use blocks in answer order. */
export async function collectMessage(
  events: AsyncIterable<BackendEvent>,
  context: ResponseContext,
): Promise<Message> {
  const content: ContentBlock[] = [];
  let start: StartEvent | undefined;
  for await (const event of events) {
    if (event.type === 'start') {
      start = event;
    } else if (event.type === 'text_delta') {
      const last = content.at(-1);
      if (last?.type === 'text') last.text += event.text;
      else content.push(textBlock(event.text));
    } else if (event.type === 'tool_use') {
      content.push({ type: 'tool_use', id: event.id, name: event.name, input: event.input });
    } else if (event.type === 'tool_use_start') {
      content.push({ type: 'tool_use', id: event.id, name: event.name, input: {} });
    } else if (event.type === 'tool_use_stop') {
      const last = content.at(-1);
      if (last?.type === 'tool_use') last.input = event.input;
    } else if (event.type === 'end') {
      const counts = finalCounts(context, inputCountAtStart(context, start), event, outputText(content));
      context.onFinish?.(counts);
      const message = emptyMessage(context);
      message.content = content;
      message.stop_reason = event.stopReason;
      message.stop_sequence = event.stopSequence;
      message.usage = usage(counts.input, counts.output, context);
      return message;
    }
    // tool_input_delta: the whole input arrives with tool_use_stop
  }
  throw apiInternalError('The backend ended without finishing its answer');
}

/**
 * The SSE body. The caller has already pulled the first backend event — `start`, yielded once the
 * upstream accepted the request — so errors before acceptance are plain HTTP errors, `message_start` goes
 * out at once, and errors after it become an in-band `error` event. (A backend that yields no `start` is
 * taken as started by its first event.) Each text run is a text block; a whole tool call is a tool_use
 * block whose input arrives as one `input_json_delta`, and a streamed one relays every piece as its own.
 */
export async function* streamMessage(
  first: IteratorResult<BackendEvent>,
  rest: AsyncIterator<BackendEvent>,
  context: ResponseContext,
): AsyncGenerator<string> {
  const start = !first.done && first.value.type === 'start' ? first.value : undefined;
  const inputAtStart = inputCountAtStart(context, start);
  const message = emptyMessage(context);
  message.usage = usage(inputAtStart ?? context.inputTokens, start?.usage?.outputTokens ?? 1, context);
  yield formatSseEvent({ type: 'message_start', message });
  const content: ContentBlock[] = [];
  /** the text or streamed tool_use block still open, if any */
  let open: 'text' | 'tool_use' | undefined;
  let pinged = false;
  const blockStart = (contentBlock: ContentBlock): string[] => {
    content.push(contentBlock);
    const frames = [
      formatSseEvent({
        type: 'content_block_start',
        index: content.length - 1,
        content_block: contentBlock.type === 'text' ? textBlock('') : { ...contentBlock, input: {} },
      }),
    ];
    if (!pinged) frames.push(formatSseEvent({ type: 'ping' }));
    pinged = true;
    return frames;
  };
  let result = start ? await rest.next() : first;
  try {
    for (;;) {
      if (result.done) throw apiInternalError('The backend ended without finishing its answer');
      const event = result.value;
      const index = content.length - 1;
      if (open === 'text' && event.type !== 'text_delta') {
        yield formatSseEvent({ type: 'content_block_stop', index });
        open = undefined;
      }
      if (event.type === 'text_delta') {
        if (open !== 'text') {
          yield* blockStart(textBlock(''));
          open = 'text';
        }
        (content.at(-1) as { text: string }).text += event.text;
        yield formatSseEvent({
          type: 'content_block_delta',
          index: content.length - 1,
          delta: { type: 'text_delta', text: event.text },
        });
      } else if (event.type === 'tool_use') {
        const block = { type: 'tool_use' as const, id: event.id, name: event.name, input: event.input };
        yield* blockStart(block);
        const at = content.length - 1;
        yield formatSseEvent({
          type: 'content_block_delta',
          index: at,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(event.input ?? {}) },
        });
        yield formatSseEvent({ type: 'content_block_stop', index: at });
      } else if (event.type === 'tool_use_start') {
        yield* blockStart({ type: 'tool_use', id: event.id, name: event.name, input: {} });
        open = 'tool_use';
      } else if (event.type === 'tool_input_delta') {
        if (open !== 'tool_use') throw apiInternalError('The backend sent tool input outside a tool call');
        yield formatSseEvent({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: event.partialJson },
        });
      } else if (event.type === 'tool_use_stop') {
        if (open !== 'tool_use') throw apiInternalError('The backend ended a tool call it never started');
        (content.at(-1) as { input: unknown }).input = event.input;
        yield formatSseEvent({ type: 'content_block_stop', index });
        open = undefined;
      } else if (event.type === 'end') {
        if (open === 'tool_use') throw apiInternalError('The backend ended inside a tool call');
        const counts = finalCounts(context, inputAtStart, event, outputText(content));
        context.onFinish?.(counts);
        yield formatSseEvent(messageDelta(event.stopReason, event.stopSequence, counts.input, counts.output));
        yield formatSseEvent({ type: 'message_stop' });
        return;
      }
      // a second `start` is ignored
      result = await rest.next();
    }
  } catch (error) {
    const apiError = error instanceof ApiError ? error : apiInternalError();
    context.onStreamError?.(apiError.type);
    yield formatSseEvent({ type: 'error', error: { type: apiError.type, message: apiError.message } });
  }
}

const messageDelta = (
  stopReason: StopReason,
  stopSequence: string | null,
  input: number,
  output: number,
): StreamEvent => ({
  type: 'message_delta',
  delta: { stop_reason: stopReason, stop_sequence: stopSequence, stop_details: null, container: null },
  usage: {
    output_tokens: output,
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    server_tool_use: null,
    output_tokens_details: null,
  },
});
