// The error a call throws, for tests that look into it (type, status, details) and not only its message.

/** What `run` throws, which must be a `type` (anything else is thrown on); fails when nothing is thrown. */
export function thrownBy<T>(run: () => unknown, type: abstract new (...args: never[]) => T): T {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}

/** What `promise` rejects with, which must be a `type` (anything else is thrown on); fails when it resolves. */
export async function rejectionBy<T>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}, the promise resolved`);
}
