// Where computer-use coordinates live (SDK 1.15.0): the single `computer` tool (`computer_20241022`,
// `computer_20250124`, `computer_20251124`; beta), whose definition declares `display_width_px` /
// `display_height_px` and whose tool_use inputs carry an `action`; and the `computer_toolset_20260801`
// toolset, whose members (`left_click`, `left_click_drag`, `scroll`, `zoom`…) are tool_use names of their
// own and declare no display size. Inputs carry `coordinate` [x, y], `start_coordinate` [x, y] (drags) and
// `region` [x0, y0, x1, y1] (zoom); every other field (scroll amount, text, keys) is not in pixels.
import { isRecord } from '../net/index.js';

export const COMPUTER_TOOL_TYPES = ['computer_20241022', 'computer_20250124', 'computer_20251124'] as const;
export const COMPUTER_TOOLSET_TYPE = 'computer_toolset_20260801';

/** The members of `computer_toolset_20260801` (SDK `COMPUTER_MEMBER_NAME_VALUES`). */
export const COMPUTER_TOOLSET_MEMBERS: ReadonlySet<string> = new Set([
  'key',
  'hold_key',
  'type',
  'cursor_position',
  'mouse_move',
  'left_mouse_down',
  'left_mouse_up',
  'left_click',
  'left_click_drag',
  'right_click',
  'middle_click',
  'double_click',
  'triple_click',
  'scroll',
  'wait',
  'screenshot',
  'zoom',
]);

export interface ComputerTools {
  /** names of tool_use blocks whose input is a computer action */
  names: Set<string>;
  /** the display size the client declared on a `computer_*` tool, if any */
  display?: { width: number; height: number };
  /** indexes in `tools` of the `computer_*` tools (whose display size is rewritten) */
  toolIndexes: number[];
}

/** The computer tools a request declares; undefined when it declares none. */
export function findComputerTools(tools: unknown): ComputerTools | undefined {
  if (!Array.isArray(tools)) return undefined;
  const found: ComputerTools = { names: new Set(), toolIndexes: [] };
  tools.forEach((tool: unknown, index) => {
    if (!isRecord(tool)) return;
    if ((COMPUTER_TOOL_TYPES as readonly unknown[]).includes(tool.type)) {
      found.names.add(typeof tool.name === 'string' ? tool.name : 'computer');
      found.toolIndexes.push(index);
      const width = tool.display_width_px;
      const height = tool.display_height_px;
      if (
        Number.isInteger(width) &&
        Number.isInteger(height) &&
        (width as number) > 0 &&
        (height as number) > 0
      )
        found.display ??= { width: width as number, height: height as number };
    } else if (tool.type === COMPUTER_TOOLSET_TYPE) {
      for (const member of COMPUTER_TOOLSET_MEMBERS) found.names.add(member);
    }
  });
  return found.names.size > 0 ? found : undefined;
}

/** Maps one coordinate pair; the caller decides the direction and the rounding. */
export type MapPoint = (x: number, y: number) => [number, number];

const isPair = (value: unknown): value is [number, number] =>
  Array.isArray(value) &&
  value.length === 2 &&
  value.every((n) => typeof n === 'number' && Number.isFinite(n));

const isBox = (value: unknown): value is [number, number, number, number] =>
  Array.isArray(value) &&
  value.length === 4 &&
  value.every((n) => typeof n === 'number' && Number.isFinite(n));

/**
 * A copy of a computer action's input with `coordinate`, `start_coordinate` and `region` mapped; the same
 * object when it holds none. Malformed values are left as they are (the client's executor reports them).
 */
export function mapActionInput(input: unknown, map: MapPoint): unknown {
  if (!isRecord(input)) return input;
  let changed = false;
  const output: Record<string, unknown> = { ...input };
  for (const key of ['coordinate', 'start_coordinate'] as const) {
    const value = input[key];
    if (isPair(value)) {
      output[key] = map(value[0], value[1]);
      changed = true;
    }
  }
  if (isBox(input.region)) {
    const [x0, y0, x1, y1] = input.region;
    output.region = [...map(x0, y0), ...map(x1, y1)];
    changed = true;
  }
  return changed ? output : input;
}
