// Pure, incremental decoder of a `text/event-stream` body into events (name + data), tolerant of
// CRLF/CR line ends, comments, multi-line data and chunks split at any byte (even inside a character).

export interface ServerSentEvent {
  /** The `event:` field, or null when the frame had none. */
  event: string | null;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

export interface ServerSentEventDecoder {
  /** Feeds the next chunk of bytes; returns the events completed by it. */
  push(chunk: Uint8Array): ServerSentEvent[];
  /** Ends the stream; returns a last event left without its blank line, if any. */
  finish(): ServerSentEvent[];
}

export function createServerSentEventDecoder(): ServerSentEventDecoder {
  const textDecoder = new TextDecoder('utf-8');
  let buffer = '';
  let eventName: string | null = null;
  let dataLines: string[] = [];

  const dispatch = (events: ServerSentEvent[]): void => {
    if (dataLines.length > 0) events.push({ event: eventName, data: dataLines.join('\n') });
    eventName = null;
    dataLines = [];
  };

  const processLine = (line: string, events: ServerSentEvent[]): void => {
    if (line === '') {
      dispatch(events);
      return;
    }
    if (line.startsWith(':')) return; // comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') dataLines.push(value);
    // `id`, `retry` and unknown fields are ignored.
  };

  const processBuffer = (events: ServerSentEvent[], final: boolean): void => {
    let start = 0;
    for (let index = 0; index < buffer.length; index += 1) {
      const character = buffer[index];
      if (character !== '\n' && character !== '\r') continue;
      if (character === '\r' && index + 1 === buffer.length && !final) break; // maybe CRLF split
      processLine(buffer.slice(start, index), events);
      if (character === '\r' && buffer[index + 1] === '\n') index += 1;
      start = index + 1;
    }
    buffer = buffer.slice(start);
  };

  return {
    push(chunk) {
      const events: ServerSentEvent[] = [];
      buffer += textDecoder.decode(chunk, { stream: true });
      processBuffer(events, false);
      return events;
    },
    finish() {
      const events: ServerSentEvent[] = [];
      buffer += textDecoder.decode();
      processBuffer(events, true);
      if (buffer !== '') processLine(buffer, events);
      buffer = '';
      dispatch(events);
      return events;
    },
  };
}

/** Decodes a byte stream into events, as they complete. */
export async function* decodeServerSentEvents(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = createServerSentEventDecoder();
  for await (const chunk of chunks) yield* decoder.push(chunk);
  yield* decoder.finish();
}
