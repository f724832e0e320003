// Runs a backend and shapes its events into the wire response: one JSON Message, or the SSE sequence
// of wire.md §4 (message_start, content block events, ping, cumulative message_delta, message_stop).
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

const finalCounts = (context: ResponseContext, end: EndEvent, text: string) => ({
  input:
    context.trustBackendInputTokens && end.usage.inputTokens !== undefined
      ? end.usage.inputTokens
      : context.inputTokens,
  output: end.usage.outputTokens ?? estimateTextTokens(text),
});

/** The text the output-token estimate reads: text, and tool calls as the JSON the model wrote. */
const outputText = (content: ContentBlock[]): string =>
  content
    .map((block) => (block.type === 'text' ? block.text : `${block.name}${JSON.stringify(block.input)}`))
    .join('');

/** Collects the whole answer into one Message: text blocks and tool_use blocks in answer order. */
export async function collectMessage(
  events: AsyncIterable<BackendEvent>,
  context: ResponseContext,
): Promise<Message> {
  const content: ContentBlock[] = [];
  for await (const event of events) {
    if (event.type === 'text_delta') {
      const last = content.at(-1);
      if (last?.type === 'text') last.text += event.text;
      else content.push({ type: 'text', text: event.text });
    } else if (event.type === 'tool_use') {
      content.push({ type: 'tool_use', id: event.id, name: event.name, input: event.input });
    } else {
      const counts = finalCounts(context, event, outputText(content));
      context.onFinish?.(counts);
      const message = emptyMessage(context);
      message.content = content;
      message.stop_reason = event.stopReason;
      message.stop_sequence = event.stopSequence;
      message.usage = usage(counts.input, counts.output, context);
      return message;
    }
  }
  throw apiInternalError('The backend ended without finishing its answer');
}

/**
 * The SSE body. The caller has already pulled the first backend event (so errors before any output are
 * plain HTTP errors); errors after that become an in-band `error` event. Each text run is a text block;
 * each tool call a tool_use block whose input arrives as one `input_json_delta`, as Claude streams them.
 */
export async function* streamMessage(
  first: IteratorResult<BackendEvent>,
  rest: AsyncIterator<BackendEvent>,
  context: ResponseContext,
): AsyncGenerator<string> {
  const message = emptyMessage(context);
  message.usage = usage(context.inputTokens, 1, context);
  yield formatSseEvent({ type: 'message_start', message });
  const content: ContentBlock[] = [];
  let textOpen = false;
  let result = first;
  try {
    for (;;) {
      if (result.done) throw apiInternalError('The backend ended without finishing its answer');
      const event = result.value;
      const index = content.length - (textOpen ? 1 : 0);
      if (event.type !== 'text_delta' && textOpen) {
        yield formatSseEvent({ type: 'content_block_stop', index });
        textOpen = false;
      }
      if (event.type === 'text_delta') {
        if (!textOpen) {
          yield formatSseEvent({
            type: 'content_block_start',
            index,
            content_block: { type: 'text', text: '' },
          });
          if (index === 0) yield formatSseEvent({ type: 'ping' });
          content.push({ type: 'text', text: '' });
          textOpen = true;
        }
        (content.at(-1) as { text: string }).text += event.text;
        yield formatSseEvent({
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: event.text },
        });
      } else if (event.type === 'tool_use') {
        const block = { type: 'tool_use' as const, id: event.id, name: event.name, input: event.input };
        const at = content.length;
        content.push(block);
        yield formatSseEvent({
          type: 'content_block_start',
          index: at,
          content_block: { ...block, input: {} },
        });
        yield formatSseEvent({
          type: 'content_block_delta',
          index: at,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(event.input ?? {}) },
        });
        yield formatSseEvent({ type: 'content_block_stop', index: at });
      } else {
        const counts = finalCounts(context, event, outputText(content));
        context.onFinish?.(counts);
        yield formatSseEvent(messageDelta(event.stopReason, event.stopSequence, counts.input, counts.output));
        yield formatSseEvent({ type: 'message_stop' });
        return;
      }
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
