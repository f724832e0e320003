// Pure translator: turns the Anthropic `tools` and `tool_choice` into OpenAI function tools, `tool_choice`
// and `parallel_tool_calls`. Anthropic server tools (computer, bash, text editor, …) cannot be expressed.
import { ApiError } from '../../errors/index.js';
import { isRecord } from '../../net/index.js';
import type { OpenAiChatTool, OpenAiChatToolChoice } from './openai-chat-wire.js';

export interface OpenAiChatToolFields {
  tools?: OpenAiChatTool[];
  tool_choice?: OpenAiChatToolChoice;
  parallel_tool_calls?: false;
}

/**
 * The tool fields of the upstream body. Without tools (absent or empty) none is set: OpenAI rejects an
 * empty `tools` list, and `tool_choice` / `parallel_tool_calls` without tools.
 */
export function convertToOpenAiChatTools(
  tools: unknown,
  toolChoice: unknown,
  backendName: string,
): OpenAiChatToolFields {
  if (tools === undefined || tools === null) return {};
  if (!Array.isArray(tools)) throw invalid(backendName, 'tools must be an array');
  if (tools.length === 0) return {};
  const fields: OpenAiChatToolFields = {
    tools: tools.map((tool: unknown, index) => convertTool(tool, `tools.${index}`, backendName)),
  };
  if (toolChoice === undefined || toolChoice === null) return fields;
  if (!isRecord(toolChoice)) throw invalid(backendName, 'tool_choice must be an object');
  fields.tool_choice = convertToolChoice(toolChoice, backendName);
  if (toolChoice.disable_parallel_tool_use === true) fields.parallel_tool_calls = false;
  return fields;
}

function convertTool(tool: unknown, path: string, backendName: string): OpenAiChatTool {
  if (!isRecord(tool)) throw invalid(backendName, `${path} must be an object`);
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    throw invalid(backendName, `tool type ${String(tool.type)} is not supported by this backend`);
  }
  if (typeof tool.name !== 'string' || tool.name === '') {
    throw invalid(backendName, `${path}.name must be a non-empty string`);
  }
  if (!isRecord(tool.input_schema)) throw invalid(backendName, `${path}.input_schema must be an object`);
  const converted: OpenAiChatTool = {
    type: 'function',
    function: { name: tool.name, parameters: tool.input_schema },
  };
  if (typeof tool.description === 'string') converted.function.description = tool.description;
  return converted;
}

function convertToolChoice(toolChoice: Record<string, unknown>, backendName: string): OpenAiChatToolChoice {
  switch (toolChoice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      if (typeof toolChoice.name !== 'string' || toolChoice.name === '') {
        throw invalid(backendName, 'tool_choice.name must be a non-empty string');
      }
      return { type: 'function', function: { name: toolChoice.name } };
    default:
      throw invalid(backendName, `tool_choice type ${String(toolChoice.type)} is not supported`);
  }
}

function invalid(backendName: string, message: string): ApiError {
  return new ApiError(400, 'invalid_request_error', `${backendName}: ${message}`);
}
