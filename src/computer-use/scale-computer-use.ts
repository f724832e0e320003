// Computer use on a real screen (opt-in, `sightline-computer-use: scale`): the client declares its real
// screen and sends full-resolution screenshots; the model sees the view that fits its tier (the same view
// every image gets) and is told that view's size as the display size; the coordinates the model answers
// in view pixels are mapped to real-screen pixels, and those of earlier turns back into view pixels, so the
// model sees one consistent world and the client one too.
import type { BackendEvent } from '../backends/types.js';
import type { ComputerUseMode } from '../config/index.js';
import { invalidRequest } from '../errors/index.js';
import { originalToView, viewToOriginal } from '../imaging/index.js';
import { headerValue, isRecord } from '../net/index.js';
import type { ContentBlockParam, MessagesRequest } from '../wire/index.js';
import { type ComputerTools, findComputerTools, type MapPoint, mapActionInput } from './computer-tools.js';

export const COMPUTER_USE_HEADER = 'sightline-computer-use';
/** Optional: the real screen size, for the toolset (whose definition has no display size): `2560x1600`. */
export const SCREEN_SIZE_HEADER = 'sightline-screen-size';

export function resolveComputerUseMode(
  server: ComputerUseMode,
  key: ComputerUseMode | undefined,
  header: string | string[] | undefined,
): ComputerUseMode {
  const value = headerValue(header)?.trim().toLowerCase();
  if (value === undefined) return key ?? server;
  if (value === 'scale' || value === 'off') return value;
  throw invalidRequest(`${COMPUTER_USE_HEADER}: ${JSON.stringify(value)} is not a mode; use scale or off`);
}

export function parseScreenSize(header: string | string[] | undefined): Size | undefined {
  const value = headerValue(header);
  if (value === undefined) return undefined;
  const match = /^\s*(\d{1,5})\s*[x×]\s*(\d{1,5})\s*$/i.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1)
    throw invalidRequest(`${SCREEN_SIZE_HEADER}: expected WIDTHxHEIGHT in pixels, such as 2560x1600`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

export interface Size {
  width: number;
  height: number;
}

export interface ComputerUseScaling {
  screen: Size;
  view: Size;
  /** the body to send: display size and earlier coordinates in view pixels */
  body: MessagesRequest;
  /** maps a backend event: computer actions' coordinates from view to real-screen pixels */
  toClient(event: BackendEvent): BackendEvent;
  /** whether tool calls of this name are computer actions */
  isComputerTool(name: string): boolean;
  /** a computer action's input, from view to real-screen pixels */
  inputToClient(input: unknown): unknown;
}

/**
 * The scaling of one request, or undefined when it declares no computer tool or no screen size is known.
 * The screen is the `computer_*` tool's declared display size, else `sightline-screen-size`, else the size
 * of the request's most recent tool_result image (a full-resolution screenshot), else its newest image.
 */
export function scaleComputerUse(
  body: MessagesRequest,
  options: {
    screen?: Size | undefined;
    lastScreenshot?: Size | undefined;
    viewOf(size: Size): Size;
  },
): ComputerUseScaling | undefined {
  const tools = findComputerTools(body.tools);
  if (!tools) return undefined;
  const screen = tools.display ?? options.screen ?? options.lastScreenshot;
  if (!screen) return undefined;
  const view = options.viewOf(screen);
  const geometry = {
    width: screen.width,
    height: screen.height,
    viewWidth: view.width,
    viewHeight: view.height,
  };
  const toView: MapPoint = (x, y) => {
    const point = originalToView({ x, y }, geometry);
    return [Math.min(view.width - 1, Math.round(point.x)), Math.min(view.height - 1, Math.round(point.y))];
  };
  const toScreen: MapPoint = (x, y) => {
    const point = viewToOriginal({ x, y }, geometry);
    return [Math.round(point.x), Math.round(point.y)];
  };
  return {
    screen,
    view,
    body: rewriteBody(body, tools, view, toView),
    toClient: (event) =>
      event.type === 'tool_use' && tools.names.has(event.name)
        ? { ...event, input: mapActionInput(event.input, toScreen) }
        : event,
    isComputerTool: (name) => tools.names.has(name),
    inputToClient: (input) => mapActionInput(input, toScreen),
  };
}

function rewriteBody(
  body: MessagesRequest,
  tools: ComputerTools,
  view: Size,
  toView: MapPoint,
): MessagesRequest {
  const declared = body.tools as unknown[];
  return {
    ...body,
    tools: declared.map((tool, index) =>
      tools.toolIndexes.includes(index) && isRecord(tool)
        ? { ...tool, display_width_px: view.width, display_height_px: view.height }
        : tool,
    ),
    messages: body.messages.map((message) => {
      if (message.role !== 'assistant' || typeof message.content === 'string') return message;
      const content = message.content.map((block): ContentBlockParam => {
        if (block.type !== 'tool_use' || !tools.names.has(String(block.name))) return block;
        const input = mapActionInput(block.input, toView);
        return input === block.input ? block : { ...block, input };
      });
      return content.some((block, index) => block !== (message.content as ContentBlockParam[])[index])
        ? { ...message, content }
        : message;
    }),
  };
}

/** The `sightline-computer-use` response header: `2560x1600>1389x868` (screen > view). */
export const formatComputerUseHeader = (scaling: Pick<ComputerUseScaling, 'screen' | 'view'>): string =>
  `${scaling.screen.width}x${scaling.screen.height}>${scaling.view.width}x${scaling.view.height}`;
