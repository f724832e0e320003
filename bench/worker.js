// Drives bench/pillow_render.py as a long-lived worker (started once, run with /usr/bin/python3), so
// Pillow renders can be interleaved with Node's and Python start-up is never timed.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const PYTHON = '/usr/bin/python3';

export class PillowWorker {
  /** Starts the worker; resolves once Pillow is imported and every input is read. */
  static async start(scriptPath, jobsPath, jobs) {
    writeFileSync(jobsPath, JSON.stringify(jobs));
    const worker = new PillowWorker(
      spawn(PYTHON, [scriptPath, jobsPath], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    const ready = await worker.next();
    worker.version = ready.pillow;
    return worker;
  }

  constructor(child) {
    this.child = child;
    this.waiting = [];
    this.stderr = '';
    child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
    createInterface({ input: child.stdout }).on('line', (line) =>
      this.waiting.shift()?.resolve(JSON.parse(line)),
    );
    const fail = (reason) => {
      for (const waiter of this.waiting.splice(0))
        waiter.reject(new Error(`${reason}: ${this.stderr.trim()}`));
    };
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code) => fail(`Pillow worker exited with ${code}`));
  }

  next() {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Renders `key` for at least `sliceMs` inside Python: { calls, ms, stages, width, height, outputBytes }. */
  run(key, sliceMs) {
    const answer = this.next();
    this.child.stdin.write(`${JSON.stringify({ key, sliceMs })}\n`);
    return answer;
  }

  stop() {
    this.child.stdin.end();
  }
}
