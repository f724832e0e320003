// Unit tests of the SSE decoder: line endings, comments, multi-line data, and chunks split at
// every byte boundary (including inside multi-byte characters and between CR and LF).
import { describe, expect, it } from 'vitest';
import {
  createServerSentEventDecoder,
  createServerSentEventTextDecoder,
  decodeServerSentEvents,
  MAX_LINE_LENGTH,
  type ServerSentEvent,
} from './server-sent-events.js';

function decodeInChunks(bytes: Buffer, cuts: number[]): ServerSentEvent[] {
  const decoder = createServerSentEventDecoder();
  const events: ServerSentEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...decoder.push(bytes.subarray(start, cut)));
    start = cut;
  }
  events.push(...decoder.finish());
  return events;
}

const stream = [
  ': a comment line',
  'event: message_start',
  'data: {"type":"message_start"}',
  '',
  'event: ping',
  'data: {"type": "ping"}',
  '',
  'event: content_block_delta',
  'data: {"text":"wörld 👋"}',
  '',
  'data: first',
  'data: second',
  'id: 7',
  'retry: 10',
  '',
  'event: only-a-name',
  '',
  'event:no-space',
  'data:x',
  '',
  '',
];
const expected: ServerSentEvent[] = [
  { event: 'message_start', data: '{"type":"message_start"}' },
  { event: 'ping', data: '{"type": "ping"}' },
  { event: 'content_block_delta', data: '{"text":"wörld 👋"}' },
  { event: null, data: 'first\nsecond' },
  { event: 'no-space', data: 'x' },
];

/** The text decoder (the Workbench's, fed XMLHttpRequest's text), the text cut at `cuts`. */
function decodeTextInChunks(text: string, cuts: number[]): ServerSentEvent[] {
  const decoder = createServerSentEventTextDecoder();
  const events: ServerSentEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    events.push(...decoder.push(text.slice(start, cut)));
    start = cut;
  }
  events.push(...decoder.finish());
  return events;
}

describe('createServerSentEventTextDecoder', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])(
    'gives the bytes decoder’s events for a %s stream split in two at every character',
    (_label, lineEnd) => {
      const text = stream.join(lineEnd);
      for (let cut = 0; cut <= text.length; cut += 1) {
        expect(decodeTextInChunks(text, [cut])).toEqual(expected);
      }
    },
  );

  it('refuses a line longer than 8 MiB, as the bytes decoder does', () => {
    const decoder = createServerSentEventTextDecoder();
    const piece = 'y'.repeat(1024 * 1024);
    expect(() => {
      decoder.push('data: ');
      for (let pushed = 0; pushed <= MAX_LINE_LENGTH; pushed += piece.length) decoder.push(piece);
    }).toThrow('SSE line longer than 8 MiB');
  });
});

describe('createServerSentEventDecoder', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('decodes a whole %s stream', (_label, lineEnd) => {
    const bytes = Buffer.from(stream.join(lineEnd));
    expect(decodeInChunks(bytes, [])).toEqual(expected);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('gives the same events for a %s stream split in two at every byte', (_label, lineEnd) => {
    const bytes = Buffer.from(stream.join(lineEnd));
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(decodeInChunks(bytes, [cut])).toEqual(expected);
    }
  });

  it('gives the same events when fed one byte at a time', () => {
    const bytes = Buffer.from(stream.join('\r\n'));
    const cuts = Array.from({ length: bytes.length }, (_, index) => index);
    expect(decodeInChunks(bytes, cuts)).toEqual(expected);
  });

  it('flushes a last event that lacks its blank line, and drops a dangling name', () => {
    expect(decodeInChunks(Buffer.from('event: a\ndata: 1'), [])).toEqual([{ event: 'a', data: '1' }]);
    expect(decodeInChunks(Buffer.from('event: a\n'), [])).toEqual([]);
  });

  it('decodes an async stream of chunks', async () => {
    async function* chunks() {
      yield Buffer.from('event: a\r');
      yield Buffer.from('\ndata: 1\r\n\r');
      yield Buffer.from('\n');
    }
    const events: ServerSentEvent[] = [];
    for await (const event of decodeServerSentEvents(chunks())) events.push(event);
    expect(events).toEqual([{ event: 'a', data: '1' }]);
  });

  it('scans each byte once: a 1 MB line in 100-byte chunks decodes quickly and correctly', () => {
    const data = 'x'.repeat(1_000_000); // the former rescan took ~12 s here (0.5 s for 200 KB)
    const bytes = Buffer.from(`event: big\ndata: ${data}\n\n`);
    const cuts = Array.from({ length: Math.floor(bytes.length / 100) }, (_, index) => (index + 1) * 100);
    const started = performance.now();
    const events = decodeInChunks(bytes, cuts);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(events).toEqual([{ event: 'big', data }]);
  });

  it('refuses a line longer than 8 MiB, even before it ends', () => {
    const decoder = createServerSentEventDecoder();
    const piece = Buffer.from('y'.repeat(1024 * 1024));
    expect(() => {
      decoder.push(Buffer.from('data: '));
      for (let pushed = 0; pushed <= MAX_LINE_LENGTH; pushed += piece.length) decoder.push(piece);
    }).toThrow('SSE line longer than 8 MiB');
    // a line of exactly 8 MiB is still accepted
    const exact = createServerSentEventDecoder();
    const line = `data: ${'z'.repeat(MAX_LINE_LENGTH - 6)}`;
    expect(exact.push(Buffer.from(`${line}\n\n`))).toEqual([{ event: null, data: line.slice(6) }]);
  });
});
