// Wire types of the OpenAI Chat Completions request this backend sends (snake_case, as on the wire).
// Responses are read tolerantly as `unknown` (see read-openai-chat-response.ts), so only requests live here.

export interface OpenAiChatTextPart {
  type: 'text';
  text: string;
}

export interface OpenAiChatImagePart {
  type: 'image_url';
  image_url: { url: string };
}

export type OpenAiChatContentPart = OpenAiChatTextPart | OpenAiChatImagePart;

export interface OpenAiChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAiChatSystemMessage {
  role: 'system';
  content: string;
}

export interface OpenAiChatUserMessage {
  role: 'user';
  content: string | OpenAiChatContentPart[];
}

export interface OpenAiChatAssistantMessage {
  role: 'assistant';
  content: string;
  tool_calls?: OpenAiChatToolCall[];
}

export interface OpenAiChatToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string;
}

/** A function the model may call; `parameters` is the JSON Schema of its arguments. */
export interface OpenAiChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type OpenAiChatToolChoice =
  | 'auto'
  | 'required'
  | 'none'
  | { type: 'function'; function: { name: string } };

export type OpenAiChatMessage =
  | OpenAiChatSystemMessage
  | OpenAiChatUserMessage
  | OpenAiChatAssistantMessage
  | OpenAiChatToolMessage;

export interface OpenAiChatRequestBody {
  model: string;
  messages: OpenAiChatMessage[];
  max_tokens: number;
  stream: true;
  stream_options: { include_usage: true };
  stop?: string[];
  temperature?: number;
  top_p?: number;
  tools?: OpenAiChatTool[];
  tool_choice?: OpenAiChatToolChoice;
  parallel_tool_calls?: false;
}
