// The server's hook into computer-use scaling: whether a request asks for it (config, key, header), the
// scaled body, and the backend's events mapped back to real-screen pixels.
import type { FastifyRequest } from 'fastify';
import type { BackendEvent } from '../backends/types.js';
import type { CatalogModel } from '../catalog/index.js';
import {
  COMPUTER_USE_HEADER,
  type ComputerUseScaling,
  parseScreenSize,
  resolveComputerUseMode,
  SCREEN_SIZE_HEADER,
  scaleComputerUse,
} from '../computer-use/index.js';
import type { ComputerUseMode } from '../config/index.js';
import { DEFAULT_VISION_RULES, planImage, type VisionRules } from '../imaging/index.js';
import type { ImageScaleReport, MessagesRequest } from '../wire/index.js';

export interface ComputerUseHookDependencies {
  computerUse: ComputerUseMode;
  /** the image rules the server follows: the view is the one every image gets */
  rules?: VisionRules | undefined;
}

/** The scaling for this request, or undefined (off, no computer tool, or no known screen size). */
export function computerUseOf(
  request: FastifyRequest,
  body: MessagesRequest,
  model: CatalogModel,
  images: readonly ImageScaleReport[],
  dependencies: ComputerUseHookDependencies,
): ComputerUseScaling | undefined {
  const mode = resolveComputerUseMode(
    dependencies.computerUse,
    request.caller?.settings?.computerUse,
    request.headers[COMPUTER_USE_HEADER],
  );
  if (mode !== 'scale') return undefined;
  const screenshot = images.findLast((image) => image.path.includes('.tool_result.')) ?? images.at(-1);
  return scaleComputerUse(body, {
    screen: parseScreenSize(request.headers[SCREEN_SIZE_HEADER]),
    lastScreenshot: screenshot && { width: screenshot.original_width, height: screenshot.original_height },
    viewOf: ({ width, height }) => {
      const plan = planImage(width, height, model.profile, dependencies.rules ?? DEFAULT_VISION_RULES);
      return { width: plan.viewWidth, height: plan.viewHeight };
    },
  });
}

/**
 * The backend's events with computer actions mapped to real-screen pixels. A whole `tool_use` is mapped as
 * it passes. A streamed call (`tool_use_start`, `tool_input_delta` pieces, `tool_use_stop` with the parsed
 * input) of a computer tool is held until it stops, then emitted as its start, one delta with the mapped
 * JSON, and its stop: the client never sees view pixels, streamed or not. Written over the event `type`
 * alone, so it serves both forms of tool call a backend may yield.
 */
export async function* mapToClient<E extends { type: string }>(
  events: AsyncIterable<E>,
  scaling: Pick<ComputerUseScaling, 'toClient' | 'isComputerTool' | 'inputToClient'>,
): AsyncGenerator<E> {
  let held: E[] | undefined; // a computer tool call being buffered: its start and raw pieces
  for await (const event of events) {
    const fields = event as unknown as { type: string; name?: unknown; input?: unknown };
    if (fields.type === 'tool_use') {
      yield scaling.toClient(event as unknown as BackendEvent) as unknown as E;
    } else if (fields.type === 'tool_use_start' && scaling.isComputerTool(String(fields.name))) {
      held = [event];
    } else if (held && fields.type === 'tool_input_delta') {
      held.push(event);
    } else if (held && fields.type === 'tool_use_stop') {
      const input = scaling.inputToClient(fields.input);
      yield held[0]!;
      yield { type: 'tool_input_delta', partialJson: JSON.stringify(input ?? {}) } as unknown as E;
      yield { ...event, input } as E;
      held = undefined;
    } else {
      // a call cut short (no stop): its pieces go out as they came, then the event that ended it
      if (held) yield* held;
      held = undefined;
      yield event;
    }
  }
  if (held) yield* held;
}
