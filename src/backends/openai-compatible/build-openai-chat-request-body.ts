// Pure translator: builds the OpenAI chat-completions request body from a backend request. Always asks
// for a stream with usage; tools become functions; Anthropic-only fields (top_k, metadata, …) are dropped.
import type { BackendRequest } from '../types.js';
import { convertToOpenAiChatMessages } from './convert-to-openai-chat-messages.js';
import { convertToOpenAiChatTools } from './convert-to-openai-chat-tools.js';
import type { OpenAiChatRequestBody } from './openai-chat-wire.js';

export function buildOpenAiChatRequestBody(
  request: Pick<BackendRequest, 'prompt' | 'settings' | 'upstreamModel'>,
  backendName: string,
): OpenAiChatRequestBody {
  const { settings } = request;
  const upstreamBody: OpenAiChatRequestBody = {
    model: request.upstreamModel,
    messages: convertToOpenAiChatMessages({ prompt: request.prompt, backendName }),
    max_tokens: settings.maxTokens,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (settings.stopSequences !== undefined && settings.stopSequences.length > 0) {
    upstreamBody.stop = [...settings.stopSequences];
  }
  if (settings.temperature !== undefined) upstreamBody.temperature = settings.temperature;
  if (settings.topP !== undefined) upstreamBody.top_p = settings.topP;
  return { ...upstreamBody, ...convertToOpenAiChatTools(settings.tools, settings.toolChoice, backendName) };
}
