/**
 * Horizontal swipes on `el`: left → onNext, right → onPrev. Swipes that start on a
 * control (button, progress bar) or that are mostly vertical (scrolling) are ignored.
 */
export function onSwipe(el: HTMLElement, onNext: () => void, onPrev: () => void): () => void {
  let startX = 0;
  let startY = 0;
  let startT = 0;
  let id: number | null = null;

  const down = (ev: PointerEvent) => {
    if (!ev.isPrimary) return;
    const target = ev.target as Element | null;
    if (target?.closest("button, .player-progress, [data-noswipe]")) return;
    id = ev.pointerId;
    startX = ev.clientX;
    startY = ev.clientY;
    startT = performance.now();
  };
  const up = (ev: PointerEvent) => {
    if (id === null || ev.pointerId !== id) return;
    id = null;
    const dx = ev.clientX - startX;
    const dy = ev.clientY - startY;
    const dt = performance.now() - startT;
    const minDx = Math.max(60, el.clientWidth * 0.06);
    if (Math.abs(dx) < minDx || Math.abs(dx) < Math.abs(dy) * 1.4 || dt > 1200) return;
    if (dx < 0) onNext();
    else onPrev();
  };
  const cancel = () => {
    id = null;
  };
  el.addEventListener("pointerdown", down);
  el.addEventListener("pointerup", up);
  el.addEventListener("pointercancel", cancel);
  return () => {
    el.removeEventListener("pointerdown", down);
    el.removeEventListener("pointerup", up);
    el.removeEventListener("pointercancel", cancel);
  };
}
