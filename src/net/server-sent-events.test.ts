// Unit tests of the SSE decoder: line endings, comments, multi-line data, and chunks split at
// every byte boundary (including inside multi-byte characters and between CR and LF).
import { describe, expect, it } from 'vitest';
import {
  createServerSentEventDecoder,
  decodeServerSentEvents,
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
});
