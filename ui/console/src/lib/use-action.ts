// A request run from a button or a form: busy while it runs (to disable the button),
// and the server's error kept to show, cleared when the next run starts.

import { useState } from "preact/hooks";
import type { ApiError } from "../api/client";

type Action = {
  busy: boolean;
  error: ApiError | null;
  setError: (error: ApiError | null) => void;
  run: (action: () => Promise<void>) => Promise<void>;
};

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
