// Unit tests of the incremental SSE parser: split chunks (even inside UTF-8 and CRLF), comments, CRLF.
import { describe, expect, it } from 'vitest';
import {
  createServerSentEventParser,
  readServerSentEvents,
  type ServerSentEvent,
} from './parse-server-sent-events.js';

function parseInPieces(bytes: Uint8Array, pieceLength: number): ServerSentEvent[] {
  const parser = createServerSentEventParser();
  const events: ServerSentEvent[] = [];
  for (let offset = 0; offset < bytes.length; offset += pieceLength) {
    events.push(...parser.push(bytes.subarray(offset, offset + pieceLength)));
  }
  events.push(...parser.end());
  return events;
}

const stream =
  ': keep-alive comment\r\n' +
  '\r\n' +
  'data: {"text":"héllo 👋"}\r\n\r\n' +
  'event: error\n' +
  'data: {"a":1}\n' +
  'data:{"b":2}\n\n' +
  'id: 7\rdata: [DONE]\r\r';

const expected: ServerSentEvent[] = [
  { event: '', data: '{"text":"héllo 👋"}' },
  { event: 'error', data: '{"a":1}\n{"b":2}' },
  { event: '', data: '[DONE]' },
];

describe('createServerSentEventParser', () => {
  it('parses a whole stream with comments, blank lines, LF, CRLF and CR', () => {
    expect(parseInPieces(new TextEncoder().encode(stream), 10_000)).toEqual(expected);
  });

  it('gives the same events for every split size, including splits inside characters and CRLF', () => {
    const bytes = new TextEncoder().encode(stream);
    for (let pieceLength = 1; pieceLength <= 13; pieceLength += 1) {
      expect(parseInPieces(bytes, pieceLength)).toEqual(expected);
    }
  });

  it('keeps a trailing CR pending until it knows whether LF follows', () => {
    const parser = createServerSentEventParser();
    expect(parser.push('data: x\r')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\r')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: '', data: 'x' }]);
  });

  it('tolerates a last event without its blank line, and ignores events without data', () => {
    const parser = createServerSentEventParser();
    expect(parser.push('event: ping\n\ndata: [DONE]')).toEqual([]);
    expect(parser.end()).toEqual([{ event: '', data: '[DONE]' }]);
  });

  it('reads events from an async stream of byte chunks', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('data: a\n');
      yield new TextEncoder().encode('\ndata: b');
    }
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(chunks())) events.push(event);
    expect(events).toEqual([
      { event: '', data: 'a' },
      { event: '', data: 'b' },
    ]);
  });
});
