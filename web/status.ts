// The status line above the message box: what the request is doing (uploading, preparing images, waiting
// for the model, streaming) and for how long, ticking every tenth of a second. `data-phase` names the phase.
import { formatDuration } from './format.js';

const PHASE_LABELS = {
  uploading: 'Uploading',
  preparing: 'Preparing images',
  waiting: 'Waiting for the model',
  streaming: 'Streaming',
} as const;

export type Phase = keyof typeof PHASE_LABELS;
/** How a request ended. */
export type Ending = 'done' | 'stopped' | 'failed';

export type StatusLine = ReturnType<typeof createStatusLine>;

export function createStatusLine(box: HTMLElement) {
  let started = 0;
  let timer = 0;
  let phase = '';
  let detail = '';
  const label = box.querySelector('.status-text');
  const clock = box.querySelector('.status-time');
  if (!label || !clock) throw new Error('Workbench: the status line lacks .status-text or .status-time');
  const tick = () => {
    clock.textContent = started ? formatDuration(performance.now() - started) : '';
  };
  const stopTimer = () => {
    clearInterval(timer);
    timer = 0;
  };
  return {
    /** Starts timing a request (the send click is time zero). */
    start() {
      started = performance.now();
      stopTimer();
      timer = setInterval(tick, 100);
      box.hidden = false;
      box.classList.add('busy');
    },
    /** Enters a phase, with an optional detail ("2 images · 1.4 of 3.2 MB"). */
    set(next: Phase, nextDetail = '') {
      if (next === phase && nextDetail === detail) return;
      phase = next;
      detail = nextDetail;
      box.dataset.phase = next;
      label.textContent = `${PHASE_LABELS[next]}${detail ? ` · ${detail}` : ''}…`;
      tick();
    },
    /** Ends with a closing sentence; the clock shows the total time. */
    finish(kind: Ending, text: string) {
      stopTimer();
      tick();
      phase = kind;
      box.dataset.phase = kind;
      box.classList.remove('busy');
      label.textContent = text;
    },
    clear() {
      stopTimer();
      started = 0;
      phase = '';
      box.dataset.phase = '';
      box.classList.remove('busy');
      label.textContent = '';
      clock.textContent = '';
      box.hidden = true;
    },
    elapsed: () => (started ? performance.now() - started : 0),
  };
}
