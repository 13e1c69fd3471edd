import { batch, createEffect, createSignal, on, onCleanup } from "solid-js";

/** How often the overview refreshes a date range that includes today. */
export const REFRESH_MS = 10_000;

export interface Live<T> {
  /** The latest data for the current key; kept while a refresh is in flight or fails. */
  data: () => T | undefined;
  error: () => unknown;
  loading: () => boolean;
  updatedAt: () => Date | undefined;
}

/**
 * Loads data for `key`, and again whenever `tick` changes. A new key starts from empty;
 * a tick refreshes in place, so the page doesn't flicker. While `settled` (a date range that ended before today,
 * whose data no longer changes) a tick only retries a load that failed.
 */
export function createLive<T>(
  key: () => string | null,
  tick: () => number,
  load: (signal: AbortSignal) => Promise<T>,
  settled: () => boolean = () => false,
): Live<T> {
  const [data, setData] = createSignal<T>();
  const [error, setError] = createSignal<unknown>();
  const [loading, setLoading] = createSignal(false);
  const [updatedAt, setUpdatedAt] = createSignal<Date>();
  let inFlight: AbortController | undefined;
  let loadedKey: string | null = null;

  createEffect(
    on([key, tick], ([currentKey]) => {
      if (currentKey === null) return;
      const fresh = currentKey !== loadedKey;
      if (!fresh && (inFlight || (settled() && data() !== undefined && error() === undefined))) return;
      inFlight?.abort();
      loadedKey = currentKey;
      const controller = new AbortController();
      inFlight = controller;
      batch(() => {
        if (fresh) {
          setData(undefined);
          setError(undefined);
        }
        setLoading(true);
      });
      load(controller.signal).then(
        (value) => {
          if (controller.signal.aborted) return;
          batch(() => {
            setData(() => value);
            setError(undefined);
            setUpdatedAt(new Date());
          });
        },
        (reason: unknown) => {
          if (!controller.signal.aborted) setError(() => reason);
        },
      ).finally(() => {
        if (inFlight !== controller) return;
        inFlight = undefined;
        setLoading(false);
      });
    }),
  );
  onCleanup(() => inFlight?.abort());

  return { data, error, loading, updatedAt };
}
