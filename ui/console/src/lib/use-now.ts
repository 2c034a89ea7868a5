// The clock, ticking every `ms`, for times that depend on now (minutes left, "until").

import { useEffect, useState } from "preact/hooks";

export function useNow(ms: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
