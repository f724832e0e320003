// Pure translator: builds the OpenAI chat-completions request body from a backend request. Always asks
// for a stream with usage; tools become functions; Anthropic-only fields (top_k, metadata, …) are dropped.
import type { BackendRequest } from '../types.js';
import { convertToOpenAiChatMessages } from './convert-to-openai-chat-messages.js';
import { convertToOpenAiChatTools } from './convert-to-openai-chat-tools.js';
import type { OpenAiChatRequestBody } from './openai-chat-wire.js';

export function buildOpenAiChatRequestBody(
  request: Pick<BackendRequest, 'body' | 'upstreamModel' | 'images'>,
  backendName: string,
): OpenAiChatRequestBody {
  const { body } = request;
  const upstreamBody: OpenAiChatRequestBody = {
    model: request.upstreamModel,
    messages: convertToOpenAiChatMessages({
      system: body.system,
      messages: body.messages,
      images: request.images,
      backendName,
    }),
    max_tokens: body.max_tokens,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) {
    upstreamBody.stop = [...body.stop_sequences];
  }
  if (typeof body.temperature === 'number') upstreamBody.temperature = body.temperature;
  if (typeof body.top_p === 'number') upstreamBody.top_p = body.top_p;
  return { ...upstreamBody, ...convertToOpenAiChatTools(body.tools, body.tool_choice, backendName) };
}
