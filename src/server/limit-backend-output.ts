// Stops relaying a backend that ignores `max_tokens`: an upstream streaming forever would otherwise keep
// a non-streamed request open and its answer growing in memory. Output is counted with Sightline's
// estimate (which errs high for non-Latin text), so the cut comes only well past `max_tokens`: at twice
// it plus a margin. The answer then ends as Claude's would, with `stop_reason: max_tokens`.
import type { BackendEvent } from '../backends/types.js';

/** Estimated output tokens a backend may produce for `maxTokens` before the relay stops. */
export const outputAllowance = (maxTokens: number): number => 2 * maxTokens + 16;

/** Counts tokens across pieces the way `estimateTextTokens` counts one text: 4 ASCII characters or 1 other. */
function createTokenCounter(): (text: string) => number {
  let ascii = 0;
  let other = 0;
  return (text) => {
    for (const character of text) {
      if ((character.codePointAt(0) ?? 0) < 0x80) ascii += 1;
      else other += 1;
    }
    return Math.ceil(ascii / 4) + other;
  };
}

export async function* limitBackendOutput(
  events: AsyncIterable<BackendEvent>,
  maxTokens: number,
): AsyncGenerator<BackendEvent> {
  const allowance = outputAllowance(maxTokens);
  const count = createTokenCounter();
  let toolUseOpen = false;
  for await (const event of events) {
    // leaving the loop early returns the backend's iterator, which cancels the upstream request
    if (event.type === 'end') {
      yield event;
      return;
    }
    if (event.type === 'tool_use_start') toolUseOpen = true;
    if (event.type === 'tool_use_stop') toolUseOpen = false;
    const tokens = count(producedText(event));
    if (tokens > allowance) {
      // a streamed tool call cut short is closed first (its pieces so far were already relayed)
      if (toolUseOpen) yield { type: 'tool_use_stop', input: {} };
      yield {
        type: 'end',
        stopReason: 'max_tokens',
        stopSequence: null,
        usage: { outputTokens: maxTokens },
      };
      return;
    }
    yield event;
  }
}

/** The output an event adds: text, a streamed tool input piece, or a whole tool call's input. */
function producedText(event: BackendEvent): string {
  if (event.type === 'text_delta') return event.text;
  if (event.type === 'tool_input_delta') return event.partialJson;
  if (event.type === 'tool_use') return JSON.stringify(event.input ?? null);
  return ''; // start, tool_use_start, tool_use_stop (its input was counted piece by piece)
}
