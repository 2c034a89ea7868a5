// Loads something for a page, again whenever `deps` change or `reload()` is called;
// an answer that arrives after a newer request is dropped.

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ApiError } from "../api/client";

type Loaded<T> = { data: T | null; error: ApiError | null; loading: boolean; reload: () => void };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const mine = ++latest.current;
    setLoading(true);
    load().then(
      (value) => {
        if (mine !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: ApiError) => {
        if (mine !== latest.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
