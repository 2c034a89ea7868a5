import { h } from "./dom";
import { reportMediaError } from "./media-errors";

/**
 * A picture that never shows as broken: while it loads, and if it cannot be shown,
 * its frame keeps a branded gradient (tinted by --accent). Failures are reported.
 */
export function picture(url: string | null | undefined, cls = "", alt = ""): HTMLElement {
  const frame = h("div", { class: `picture ${cls}`.trim() });
  if (!url) {
    frame.classList.add("is-missing");
    return frame;
  }
  const img = h("img", { attrs: { alt, draggable: "false", decoding: "async" } });
  img.addEventListener("load", () => frame.classList.add("is-loaded"), { once: true });
  img.addEventListener(
    "error",
    () => {
      frame.classList.add("is-missing");
      img.remove();
      reportMediaError(url, "image could not be loaded or decoded");
    },
    { once: true },
  );
  img.src = url;
  frame.appendChild(img);
  return frame;
}

/** A plain <img> that removes itself when it fails (for logos and badges). */
export function optionalImg(url: string | null | undefined, cls: string, onMissing?: () => void): HTMLImageElement | null {
  if (!url) {
    onMissing?.();
    return null;
  }
  const img = h("img", { class: cls, attrs: { alt: "", draggable: "false" } });
  img.addEventListener(
    "error",
    () => {
      img.remove();
      reportMediaError(url, "image could not be loaded or decoded");
      onMissing?.();
    },
    { once: true },
  );
  img.src = url;
  return img;
}
