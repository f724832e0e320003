// Server-sent events as the SDKs read them: a named `event:` line, one `data:` line, a blank line
// (docs/rules/wire.md §7.1).
import type { StreamEvent } from '../wire/index.js';

export const formatSseEvent = (event: StreamEvent): string =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
