import { h } from "../ui/dom";
import { optionalImg } from "../ui/image";

/** The TOP 1 ICF badge (brand.badge_url), pinned to a corner of every screen. If the
 *  picture is missing, a gold emblem keeps the corner from looking empty. */
export function renderBadge(url: string): HTMLElement {
  const el = h("div", { class: "award-badge", attrs: { "aria-hidden": "true" } });
  const fallback = () => {
    el.classList.add("is-missing");
    el.replaceChildren(emblem());
  };
  const img = optionalImg(url, "award-badge-img", fallback);
  if (img) el.appendChild(img);
  return el;
}

function emblem(): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 100 100");
  svg.setAttribute("class", "award-badge-emblem");
  svg.innerHTML =
    '<defs><linearGradient id="bg-gold" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#F7C948"/><stop offset="1" stop-color="#C98A0C"/></linearGradient></defs>' +
    '<circle cx="50" cy="50" r="47" fill="url(#bg-gold)"/><circle cx="50" cy="50" r="39" fill="none" stroke="#0B1E3F" stroke-opacity=".35" stroke-width="2"/>' +
    '<path d="M50 20l7.6 15.4 17 2.5-12.3 12 2.9 16.9L50 58.8l-15.2 8 2.9-16.9-12.3-12 17-2.5z" fill="#0B1E3F"/>' +
    '<text x="50" y="86" text-anchor="middle" font-size="17" font-weight="800" fill="#0B1E3F" font-family="inherit">1</text>';
  return svg;
}
