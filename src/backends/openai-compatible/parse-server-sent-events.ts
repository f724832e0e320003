// Pure, incremental Server-Sent Events parser (WHATWG rules): bytes go in at arbitrary boundaries
// (even inside a UTF-8 character or a CRLF), complete events come out. No I/O.

export interface ServerSentEvent {
  /** The `event:` field, or '' when the event had none (the default `message` type). */
  event: string;
  /** The `data:` lines joined with '\n'. */
  data: string;
}

export interface ServerSentEventParser {
  /** Feeds the next piece of the stream; returns the events it completed. */
  push(chunk: Uint8Array | string): ServerSentEvent[];
  /** Ends the stream; returns a last event left without its blank line (tolerated, not dropped). */
  end(): ServerSentEvent[];
}

const LINE_BREAK = /[\r\n]/g;

export function createServerSentEventParser(): ServerSentEventParser {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let eventName = '';
  let dataLines: string[] = [];

  const dispatch = (events: ServerSentEvent[]): void => {
    if (dataLines.length > 0) events.push({ event: eventName, data: dataLines.join('\n') });
    eventName = '';
    dataLines = [];
  };

  const processLine = (line: string, events: ServerSentEvent[]): void => {
    if (line === '') {
      dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') dataLines.push(value);
    else if (field === 'event') eventName = value;
  };

  /** Splits complete lines off the buffer. A trailing CR waits for the next chunk unless `final`. */
  const drainLines = (events: ServerSentEvent[], final: boolean): void => {
    let lineStart = 0;
    LINE_BREAK.lastIndex = 0;
    for (let match = LINE_BREAK.exec(buffer); match !== null; match = LINE_BREAK.exec(buffer)) {
      const breakIndex = match.index;
      let nextLineStart = breakIndex + 1;
      if (buffer[breakIndex] === '\r') {
        if (breakIndex === buffer.length - 1 && !final) break;
        if (buffer[breakIndex + 1] === '\n') nextLineStart += 1;
      }
      processLine(buffer.slice(lineStart, breakIndex), events);
      lineStart = nextLineStart;
      LINE_BREAK.lastIndex = nextLineStart;
    }
    buffer = buffer.slice(lineStart);
  };

  return {
    push(chunk) {
      buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      const events: ServerSentEvent[] = [];
      drainLines(events, false);
      return events;
    },
    end() {
      buffer += decoder.decode();
      const events: ServerSentEvent[] = [];
      drainLines(events, true);
      if (buffer !== '') processLine(buffer, events);
      buffer = '';
      dispatch(events);
      return events;
    },
  };
}

/** Adapts a byte stream into its events, tolerating a last event without its blank line. */
export async function* readServerSentEvents(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const parser = createServerSentEventParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
