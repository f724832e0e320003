import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPrettyLogStream, formatLogRecord } from './log-format.js';

const at = Date.UTC(2026, 11, 2, 9, 30, 5);

describe('readable log lines', () => {
  it('puts the request line first, then its id, fields and the reason of a rejection', () => {
    const line = formatLogRecord(
      JSON.stringify({
        level: 30,
        time: at,
        pid: 1,
        hostname: 'h',
        reqId: 'req_1',
        method: 'POST',
        path: '/v1/messages',
        status: 400,
        ms: 3.1,
        model: 'claude-opus-4-7',
        error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
        msg: 'POST /v1/messages 400',
      }),
    );
    expect(line).toBe(
      '09:30:05  INFO   POST /v1/messages 400  3.1 ms  req_1  model=claude-opus-4-7  invalid_request_error: max_tokens: Field required',
    );
  });

  it('quotes values with spaces, keeps stacks, and passes through what is not JSON', () => {
    expect(
      formatLogRecord(
        JSON.stringify({ level: 50, time: at, msg: 'x', note: 'a b', err: { stack: 'E\n  at f' } }),
      ),
    ).toBe('09:30:05  ERROR  x  note="a b"  \nE\n  at f');
    expect(formatLogRecord('plain text')).toBe('plain text');
  });

  it('rewrites a stream of JSON lines split across chunks', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const stream = createPrettyLogStream(out);
    const record = JSON.stringify({ level: 30, time: at, msg: 'hello' });
    stream.write(record.slice(0, 10));
    stream.write(`${record.slice(10)}\n${record}\n`);
    await new Promise((done) => setImmediate(done));
    expect(text).toBe('09:30:05  INFO   hello\n09:30:05  INFO   hello\n');
  });
});
