// Raw HTTP over a TCP socket, for clients no HTTP library would be: silent ones, malformed requests,
// bodies that never finish. Bounded in time: the socket is destroyed after `giveUpMs`.
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** milliseconds from connecting until the server closed the connection (Infinity: still open) */
  closedAfterMs: number;
}

const portOf = (url: string) => Number(new URL(url).port);

/** Parses the first response in `text` (content-length framed, or up to the end). */
export function parseRawResponse(text: string): Omit<RawAnswer, 'closedAfterMs'> | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = text.slice(end + 4);
  const length = headers['content-length'] === undefined ? rest.length : Number(headers['content-length']);
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(0, length) };
}

/**
 * Connects, writes `chunks` (a string, or pieces sent `pauseMs` apart), and collects what the server
 * sends until it closes the connection or `giveUpMs` passes.
 */
export async function rawExchange(
  url: string,
  chunks: string | Buffer | Array<string | Buffer>,
  options: { giveUpMs?: number; pauseMs?: number } = {},
): Promise<RawAnswer & { raw: string }> {
  const socket: Socket = connect(portOf(url), '127.0.0.1');
  const started = Date.now();
  let received = '';
  socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  const pieces = Array.isArray(chunks) ? chunks : [chunks];
  void (async () => {
    await new Promise((resolve) => socket.once('connect', resolve));
    for (const [index, piece] of pieces.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 0));
      if (socket.destroyed) return;
      socket.write(piece);
    }
  })();
  const giveUp = new Promise<number>((resolve) =>
    setTimeout(() => resolve(Number.POSITIVE_INFINITY), options.giveUpMs ?? 10_000),
  );
  const closedAfterMs = await Promise.race([closed, giveUp]);
  socket.destroy();
  const parsed = parseRawResponse(received) ?? { status: 0, headers: {}, body: '' };
  return { ...parsed, closedAfterMs, raw: received };
}

/** Opens a TCP connection that sends nothing; resolves once connected. */
export async function openSilentSocket(url: string): Promise<Socket> {
  const socket = connect(portOf(url), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('close', reject);
  });
  return socket;
}
