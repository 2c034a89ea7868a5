// Kiosk lockdown, injected before the interface loads: no context menu, no text
// selection, no pinch or keyboard zoom, no drag and drop, no reload or devtools keys.
(() => {
  const stop = (e) => { e.preventDefault(); e.stopPropagation(); };
  for (const type of ["contextmenu", "selectstart", "dragstart", "drop", "gesturestart", "gesturechange"]) {
    window.addEventListener(type, stop, { capture: true, passive: false });
  }
  window.addEventListener("wheel", (e) => { if (e.ctrlKey) stop(e); }, { capture: true, passive: false });
  window.addEventListener("touchmove", (e) => { if (e.touches && e.touches.length > 1) stop(e); },
    { capture: true, passive: false });
  window.addEventListener("keydown", (e) => {
    const k = e.key.toLowerCase();
    const blocked = k === "f5" || k === "f11" || k === "f12" || k === "f7" ||
      ((e.ctrlKey || e.metaKey) && ["r", "p", "s", "o", "u", "+", "-", "=", "0", "f", "g"].includes(k)) ||
      (e.ctrlKey && e.shiftKey && ["i", "j", "c"].includes(k)) || (e.altKey && (k === "arrowleft" || k === "arrowright"));
    if (blocked) stop(e);
  }, { capture: true });
  const style = () => {
    const s = document.createElement("style");
    s.textContent = "*{-webkit-user-select:none;user-select:none;-webkit-touch-callout:none;-webkit-user-drag:none}" +
      "html,body{touch-action:pan-x pan-y;overscroll-behavior:none}";
    document.head.appendChild(s);
  };
  if (document.head) style(); else document.addEventListener("DOMContentLoaded", style, { once: true });
})();
