// Shutdown on a signal: the exit code, and a failing close reported on stderr instead of an unhandled
// rejection or a hang.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { closeOnSignal } from './serve.js';

function capture() {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stderr, text: () => text };
}

describe('closeOnSignal', () => {
  it('closes the server on SIGTERM and exits 0', async () => {
    const signals = new EventEmitter();
    const output = capture();
    let closed = 0;
    const close = async () => {
      closed += 1;
    };
    const exit = closeOnSignal({ close }, output, signals);
    signals.emit('SIGTERM');
    signals.emit('SIGINT'); // a second signal does not close twice
    expect(await exit).toBe(0);
    expect(closed).toBe(1);
    expect(output.text()).toContain('shutting down');
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('reports a failing close on stderr and still finishes, with exit 1 and no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const signals = new EventEmitter();
      const output = capture();
      const exit = closeOnSignal(
        { close: () => Promise.reject(new Error('the store would not close')) },
        output,
        signals,
      );
      signals.emit('SIGINT');
      expect(await exit).toBe(1);
      expect(output.text()).toContain('Sightline: shutdown failed: the store would not close');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
