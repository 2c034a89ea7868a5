/** Numbers shown to visitors, in the conventions of the current language. */

export function formatTime(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) secs = 0;
  const s = Math.floor(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let v = Math.max(0, bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  let num: string;
  try {
    num = new Intl.NumberFormat(locale, { maximumFractionDigits: v < 10 && i > 0 ? 1 : 0 }).format(v);
  } catch {
    num = v.toFixed(v < 10 && i > 0 ? 1 : 0);
  }
  return `${num} ${units[i]}`;
}

/** "01", "02", … for chapter numbers. */
export function ordinal(n: number): string {
  return String(n).padStart(2, "0");
}
