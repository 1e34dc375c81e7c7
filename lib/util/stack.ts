/**
 * Native errors carry no JavaScript stack (they are created on the main thread after the worker
 * finishes). Capturing the caller's stack before the call and copying it onto the error keeps
 * "where did I call this" in the trace (sharp's nativeError habit, STYLE.md §8).
 */

/** Captures the current stack; the returned function rewrites an error's stack with it and rethrows. */
export function callerStack(): (err: unknown) => never {
  const stack = new Error();
  return (err: unknown): never => {
    if (err instanceof Error && stack.stack) err.stack = `${err.name}: ${err.message}\n${stack.stack.split('\n').slice(1).join('\n')}`;
    throw err;
  };
}

/** Runs a native call, keeping the caller's JS stack on its errors. */
export async function withCallerStack<T>(call: () => Promise<T>): Promise<T> {
  const rethrow = callerStack();
  try {
    return await call();
  } catch (err) {
    return rethrow(err);
  }
}
