// Runs the real `sightline` binary as a child process (built output): the one launcher for tests that kill
// or restart it and for the benchmarks (bench/ imports its build, dist/test/support/process.js).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export { ROOT };
export const BIN = join(ROOT, 'bin', 'sightline.js');

/** The CLI runs from dist/: build once if a test is run on its own before `npm run build`. */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'run.js')))
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** everything it printed so far (stdout and stderr) */
  output: () => string;
}

/** Starts `sightline serve` on a free port and resolves once it says where it listens. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  ensureBuilt();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, SIGHTLINE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

export const waitForExit = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/** Ends a server process: SIGTERM, then waits for it to exit. */
export async function stopServer(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await waitForExit(server.child);
}

export interface ServeProcess extends ServerProcess {
  /** its temporary data directory (the config file, when given, is `config.yaml` in it) */
  dataDir: string;
  /** ends the process and removes the data directory */
  stop(): Promise<void>;
}

/**
 * `sightline serve` in a new temporary data directory, with `yaml` as its config file when given; `args`
 * and `env` are added to the command line and the environment.
 */
export async function startServeProcess(
  yaml?: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<ServeProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sightline-serve-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  const args = ['--data-dir', dataDir];
  try {
    if (yaml !== undefined) {
      await writeFile(join(dataDir, 'config.yaml'), yaml);
      args.push('--config', join(dataDir, 'config.yaml'));
    }
    const server = await spawnServer([...args, ...(options.args ?? [])], options.env);
    return {
      ...server,
      dataDir,
      async stop() {
        await stopServer(server);
        await removeDataDir();
      },
    };
  } catch (error) {
    await removeDataDir();
    throw error;
  }
}
