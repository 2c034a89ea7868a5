// A value that follows another once it has stayed the same for `ms` (a search made a
// moment after the person stops typing, not at every key).

import { useEffect, useState } from "preact/hooks";

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
