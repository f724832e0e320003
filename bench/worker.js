// Client for the benchmark's worker processes (Pillow in Python, jimp in Node): one JSON request per
// line on stdin, one JSON answer per line on stdout. Workers time their own renders, so start-up,
// pipes and the other process's garbage collection are never counted, and renders can be interleaved.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export class RenderWorker {
  /**
   * Writes the jobs file, starts `command args… jobsPath`, and resolves once the worker reports ready
   * (its first line: `{ ready: true, version }`).
   */
  static async start(command, args, jobsPath, jobs) {
    writeFileSync(jobsPath, JSON.stringify(jobs));
    const worker = new RenderWorker(spawn(command, [...args, jobsPath], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const ready = await worker.next();
    worker.version = ready.version;
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
    child.on('exit', (code) => fail(`worker exited with ${code}`));
  }

  next() {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Renders `key` for at least `sliceMs` (at least once): { calls, ms, width, height, outputBytes, … }. */
  run(key, sliceMs) {
    const answer = this.next();
    this.child.stdin.write(`${JSON.stringify({ key, sliceMs })}\n`);
    return answer;
  }

  /** An interleaved variant (see timing.js) that renders `key` in this worker; `onResult` sees each answer. */
  variant(key, sliceMs, onResult = () => {}) {
    return async () => {
      const result = await this.run(key, sliceMs);
      onResult(result);
      return result;
    };
  }

  stop() {
    this.child.stdin.end();
  }
}
