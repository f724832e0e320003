// A one-line progress bar for long runs, drawn on a terminal only (stderr), at most every 100 ms.

export interface ProgressBar {
  update(done: number, total: number): void;
  /** erases the bar */
  finish(): void;
}

const WIDTH = 30;

/** The bar's text for `done` of `total`. Pure. */
export function renderProgress(done: number, total: number, label: string): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * WIDTH);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} ${Math.floor(fraction * 100)}%`;
}

export function createProgressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  now: () => number = Date.now,
): ProgressBar {
  if (stream.isTTY !== true) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const time = now();
      if (done < total && time - last < 100) return;
      last = time;
      drawn = true;
      stream.write(`\r${renderProgress(done, total, label)}`);
    },
    finish() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
