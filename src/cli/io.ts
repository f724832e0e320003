// What a command may touch: its streams and environment, so `run` can be driven in-process by tests.

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export const print = (stream: NodeJS.WritableStream, text: string): void => {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
};

/** Colour only on a terminal, and never when NO_COLOR is set. */
export const useColour = (io: CliIo, stream: { isTTY?: boolean }): boolean =>
  stream.isTTY === true && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
