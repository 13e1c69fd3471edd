import { createSignal } from "solid-js";

/** One async change a form or button makes: its pending state and its last error. `run` resolves to whether it worked. */
export function createAction<A extends unknown[]>(run: (...args: A) => Promise<unknown>) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  async function start(...args: A): Promise<boolean> {
    if (pending()) return false;
    setPending(true);
    setError(undefined);
    try {
      await run(...args);
      return true;
    } catch (reason) {
      setError(() => reason);
      return false;
    } finally {
      setPending(false);
    }
  }
  return { run: start, pending, error, clear: () => setError(undefined) };
}

export type Action = ReturnType<typeof createAction>;
