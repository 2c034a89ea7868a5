import { h, inertSvgFromMarkup } from "./dom";

/**
 * The QR code from the backend (an SVG document) as inline SVG, scaled to its box
 * with crisp modules on a white quiet zone. Scripts, event handlers, foreign content
 * and external references are stripped, although the markup comes from our own app.
 */
export function qrCode(markup: string, cls = "qr"): HTMLElement {
  const box = h("div", { class: cls });
  const inert = markup ? inertSvgFromMarkup(markup) : null;
  if (!inert) {
    box.classList.add("is-missing");
    return box;
  }
  sanitize(inert);
  const svg = document.importNode(inert, true);
  if (!svg.getAttribute("viewBox")) {
    const w = parseFloat(svg.getAttribute("width") ?? "");
    const hgt = parseFloat(svg.getAttribute("height") ?? "");
    if (w > 0 && hgt > 0) svg.setAttribute("viewBox", `0 0 ${w} ${hgt}`);
  }
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  svg.setAttribute("aria-hidden", "true");
  box.appendChild(svg);
  return box;
}

function sanitize(root: Element): void {
  for (const el of Array.from(root.querySelectorAll("script, style, foreignObject, iframe, image, use"))) {
    // <use> may reference things inside the same SVG; keep only local references.
    if (el.localName === "use") {
      const ref = el.getAttribute("href") ?? el.getAttributeNS("http://www.w3.org/1999/xlink", "href") ?? "";
      if (ref.startsWith("#")) continue;
    }
    el.remove();
  }
  for (const el of [root, ...Array.from(root.querySelectorAll("*"))]) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) el.removeAttribute(attr.name);
      if ((name === "href" || name === "xlink:href") && !attr.value.startsWith("#")) el.removeAttribute(attr.name);
    }
  }
}
