// Log output for people: pino's JSON lines rewritten as one short readable line each
// (`12:03:04 INFO  POST /v1/messages 400 3.1 ms  req_… model=… invalid_request_error: …`).
// JSON stays the format for machines (`--log-format json`, the default when stderr is not a terminal).
import { Writable } from 'node:stream';

export type LogFormat = 'pretty' | 'json';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
/** pino's own fields, and the request line's fields shown in the head of the line */
const SHOWN_ELSEWHERE = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'reqId',
  'method',
  'path',
  'status',
  'ms',
  'error',
  'err',
]);

const clock = (time: unknown): string =>
  typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '--:--:--';

const showValue = (value: unknown): string =>
  typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);

/** One pino JSON record as one readable line; a line that is not JSON is passed through. */
export function formatLogRecord(text: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text;
  }
  const parts = [
    clock(record.time),
    LEVELS[record.level as number] ?? String(record.level),
    String(record.msg ?? ''),
  ];
  if (typeof record.ms === 'number') parts.push(`${record.ms} ms`);
  if (typeof record.reqId === 'string') parts.push(record.reqId);
  const rest = Object.entries(record)
    .filter(([key, value]) => !SHOWN_ELSEWHERE.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${showValue(value)}`);
  if (rest.length > 0) parts.push(rest.join(' '));
  const error = record.error as { type?: string; message?: string } | undefined;
  if (error?.type) parts.push(`${error.type}: ${error.message ?? ''}`);
  const err = record.err as { stack?: string; message?: string } | undefined;
  if (err) parts.push(`\n${err.stack ?? err.message ?? ''}`);
  return parts.join('  ');
}

/** A writable stream for pino that prints readable lines on `out`. */
export function createPrettyLogStream(out: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        // Fastify's own "Server listening at" line: the start banner says it better, for people
        if (line.trim() !== '' && !line.includes('"msg":"Server listening at '))
          out.write(`${formatLogRecord(line)}\n`);
        newline = pending.indexOf('\n');
      }
      done();
    },
  });
}
