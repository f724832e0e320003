// Keeps the fields of a wire object that a prompt part does not type, so a Messages API upstream can be
// sent them as the client did (`cache_control` on a text block, `thinking` on the body, …).
import type { WireExtras } from './types.js';

/** `target` with `extras`: the fields of `wire` not named in `known`, when there are any. */
export function withExtras<T extends { extras?: WireExtras }>(
  target: T,
  wire: object,
  known: readonly string[],
): T {
  let extras: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(wire)) {
    if (known.includes(key)) continue;
    extras ??= {};
    extras[key] = value;
  }
  if (extras !== undefined) target.extras = extras;
  return target;
}
