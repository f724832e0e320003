// Pure, incremental decoder of a `text/event-stream` body into events (name + data), tolerant of
// CRLF/CR line ends, comments, multi-line data and chunks split at any byte (even inside a character).
// One decoder for the server, the CLI and the Workbench (served to the page like plan.js): the page reads
// the stream's text through XMLHttpRequest, so the text-level decoder is exported beside the bytes one.

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

/** The longest line accepted (in UTF-16 code units): a bound on memory for a stream that never ends one. */
export const MAX_LINE_LENGTH = 8 * 1024 * 1024;

/** The same decoder fed with text already decoded (XMLHttpRequest's `responseText` as it grows). */
export interface ServerSentEventTextDecoder {
  push(text: string): ServerSentEvent[];
  finish(): ServerSentEvent[];
}

export function createServerSentEventDecoder(): ServerSentEventDecoder {
  const textDecoder = new TextDecoder('utf-8');
  const lines = createServerSentEventTextDecoder();
  return {
    push: (chunk) => lines.push(textDecoder.decode(chunk, { stream: true })),
    finish: () => [...lines.push(textDecoder.decode()), ...lines.finish()],
  };
}

export function createServerSentEventTextDecoder(): ServerSentEventTextDecoder {
  /** Pieces of the line being read (no line end in them yet), kept apart so each is scanned once. */
  let partial: string[] = [];
  let partialLength = 0;
  /** The last text ended with CR: a LF starting the next text completes that CRLF. */
  let afterCarriageReturn = false;
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

  const checkLength = (length: number): void => {
    if (length > MAX_LINE_LENGTH) throw new Error('SSE line longer than 8 MiB');
  };

  /** Ends the current line with `tail`, the text before its line end. */
  const endLine = (tail: string, events: ServerSentEvent[]): void => {
    checkLength(partialLength + tail.length);
    const line = partial.length === 0 ? tail : partial.join('') + tail;
    partial = [];
    partialLength = 0;
    processLine(line, events);
  };

  /** Scans only `text`, the newly decoded characters: O(n) over the whole stream. */
  const processText = (text: string, events: ServerSentEvent[]): void => {
    if (text === '') return;
    let start = afterCarriageReturn && text.startsWith('\n') ? 1 : 0;
    afterCarriageReturn = false;
    for (let index = start; index < text.length; index += 1) {
      const character = text[index];
      if (character !== '\n' && character !== '\r') continue;
      endLine(text.slice(start, index), events);
      if (character === '\r') {
        if (index + 1 === text.length)
          afterCarriageReturn = true; // maybe CRLF split across chunks
        else if (text[index + 1] === '\n') index += 1;
      }
      start = index + 1;
    }
    if (start < text.length) {
      checkLength(partialLength + text.length - start);
      partial.push(text.slice(start));
      partialLength += text.length - start;
    }
  };

  return {
    push(text) {
      const events: ServerSentEvent[] = [];
      processText(text, events);
      return events;
    },
    finish() {
      const events: ServerSentEvent[] = [];
      if (partialLength > 0) endLine('', events);
      afterCarriageReturn = false;
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
