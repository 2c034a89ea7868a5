/**
 * A public touch screen: no text selection, no context menu, no pinch or keyboard
 * zoom, no dragging of pictures. (CSS does the rest: user-select and touch-action.)
 */
export function lockDown(): void {
  const block = (ev: Event) => ev.preventDefault();
  document.addEventListener("contextmenu", block);
  document.addEventListener("selectstart", block);
  document.addEventListener("dragstart", block);
  // WebKit's pinch gestures.
  for (const type of ["gesturestart", "gesturechange", "gestureend"]) {
    document.addEventListener(type, block, { passive: false });
  }
  // Two-finger pinch as touch events (Chromium, older WebKit).
  document.addEventListener(
    "touchmove",
    (ev) => {
      if (ev.touches.length > 1) ev.preventDefault();
    },
    { passive: false },
  );
  // Ctrl + wheel (touchpad pinch) and Ctrl + '+' / '-' / '0'.
  document.addEventListener(
    "wheel",
    (ev) => {
      if (ev.ctrlKey || ev.metaKey) ev.preventDefault();
    },
    { passive: false },
  );
  document.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ["+", "-", "=", "0", "_"].includes(ev.key)) ev.preventDefault();
  });
  // Double-tap zoom: touch-action: manipulation in CSS; nothing to do here.
}
