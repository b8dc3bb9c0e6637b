// What every screen does: load something from the API, show it or the error, load it again
// after a change; and run a change, keeping the error for the person to read.

import { useCallback, useEffect, useState } from "react";

export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => load().then(setData, setError), deps);
  useEffect(() => {
    setData(null);
    setError(null);
    void reload();
  }, [reload]);
  return { data, error, setError, reload };
}

/** Runs `change`; on failure keeps the error (and the form's input) for the person to fix. */
export function useChange(after?: () => unknown) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (change: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      await change();
      await after?.();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}
