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
import type { ComputerUseMode, KeyOverrides } from '../config/index.js';
import { planImage } from '../imaging/index.js';
import type { ImageScaleReport, MessagesRequest } from '../wire/index.js';

export interface ComputerUseHookDependencies {
  computerUse: ComputerUseMode;
  keySettingsOf(request: FastifyRequest): KeyOverrides | undefined;
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
    dependencies.keySettingsOf(request)?.computerUse,
    request.headers[COMPUTER_USE_HEADER],
  );
  if (mode !== 'scale') return undefined;
  const screenshot = images.findLast((image) => image.path.includes('.tool_result.')) ?? images.at(-1);
  return scaleComputerUse(body, {
    screen: parseScreenSize(request.headers[SCREEN_SIZE_HEADER]),
    lastScreenshot: screenshot && { width: screenshot.original_width, height: screenshot.original_height },
    viewOf: ({ width, height }) => {
      const plan = planImage(width, height, model.profile);
      return { width: plan.viewWidth, height: plan.viewHeight };
    },
  });
}

/** The backend's events with computer actions mapped to real-screen pixels (whole tool calls, so a
 * streamed `input_json_delta` carries the mapped input). */
export async function* mapToClient(
  events: AsyncIterable<BackendEvent>,
  scaling: ComputerUseScaling,
): AsyncGenerator<BackendEvent> {
  for await (const event of events) yield scaling.toClient(event);
}
