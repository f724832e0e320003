// A remote backend's events, cut short by the caller's abort. undici ends a request the moment its
// signal aborts, but an answer that had already arrived whole (a short one usually has) would still be
// decoded and yielded to its end: this checks the signal before each event, so an abort is always the
// one RequestCancelledError, as it is for the local engine.
import { throwIfCancelled } from '../../errors/index.js';
import type { BackendEvent } from '../types.js';

export async function* untilCancelled(
  events: AsyncIterable<BackendEvent>,
  signal: AbortSignal,
): AsyncGenerator<BackendEvent> {
  for await (const event of events) {
    throwIfCancelled(signal);
    yield event;
  }
}
