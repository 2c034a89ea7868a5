/** Line icons drawn for the kiosk (24×24 grid, stroke = currentColor). */

const PATHS = {
  home: '<path d="M3.5 11.2 12 4l8.5 7.2"/><path d="M5.8 9.6V20h4.4v-5.6h3.6V20h4.4V9.6"/>',
  back: '<path d="M14.5 5.5 8 12l6.5 6.5"/>',
  prev: '<path d="M14.5 5.5 8 12l6.5 6.5"/>',
  next: '<path d="M9.5 5.5 16 12l-6.5 6.5"/>',
  arrow: '<path d="M4.5 12h14"/><path d="m13 6.5 5.5 5.5-5.5 5.5"/>',
  brochure:
    '<path d="M6 3.5h8.5L19 8v12.5H6z"/><path d="M14.5 3.5V8H19"/><path d="M9 12.5h7M9 16h7"/>',
  globe:
    '<circle cx="12" cy="12" r="8.5"/><path d="M3.5 12h17"/><path d="M12 3.5c2.6 2.5 3.8 5.4 3.8 8.5s-1.2 6-3.8 8.5c-2.6-2.5-3.8-5.4-3.8-8.5S9.4 6 12 3.5z"/>',
  close: '<path d="M6.5 6.5l11 11M17.5 6.5l-11 11"/>',
  expand: '<path d="m7 10 5 5 5-5"/>',
  play: '<path d="M8 5.5v13l10.5-6.5z" fill="currentColor" stroke="none"/>',
  pause:
    '<rect x="6.5" y="5.5" width="3.8" height="13" rx="1" fill="currentColor" stroke="none"/><rect x="13.7" y="5.5" width="3.8" height="13" rx="1" fill="currentColor" stroke="none"/>',
  phone:
    '<rect x="7" y="2.8" width="10" height="18.4" rx="2.2"/><path d="M10.5 18h3"/><path d="M9.6 8.2h1.8v1.8H9.6zM12.6 8.2h1.8v1.8h-1.8zM9.6 11.2h1.8V13H9.6zM12.6 11.2h1.8V13h-1.8z" fill="currentColor" stroke="none"/>',
  backspace: '<path d="M9 5.5h10.5v13H9L3.5 12z"/><path d="m11.8 9.2 5 5.6M16.8 9.2l-5 5.6"/>',
  touch:
    '<path d="M9.5 11.5V5.2a1.6 1.6 0 0 1 3.2 0v5.3"/><path d="M12.7 10.2V9a1.6 1.6 0 0 1 3.2 0v1.8"/><path d="M15.9 10.6a1.6 1.6 0 0 1 3.1.2v3.4c0 3.7-2.5 6.3-6 6.3-2.3 0-3.7-.9-5-2.7l-2.6-3.8a1.6 1.6 0 0 1 2.5-2l1.6 1.8"/>',
  film: '<rect x="3.5" y="5" width="17" height="14" rx="2"/><path d="M3.5 9h17M3.5 15h17M8 5v4M16 5v4M8 15v4M16 15v4"/>',
  hash: '<path d="M9.5 4 8 20M16 4l-1.5 16M4.5 9h15.5M4 15h15.5"/>',
  check: '<path d="m5 12.5 4.6 4.6L19 7.5"/>',
  lock: '<rect x="5" y="10.5" width="14" height="10" rx="2"/><path d="M8.3 10.5V8a3.7 3.7 0 0 1 7.4 0v2.5"/>',
  alert:
    '<path d="M12 3.8 21.2 19.5H2.8z" stroke-linejoin="round"/><path d="M12 9.5v4.8"/><circle cx="12" cy="17" r="0.6" fill="currentColor"/>',
  exit: '<path d="M14 4.5H6.5v15H14"/><path d="M10.5 12h10"/><path d="m17 8.5 3.5 3.5-3.5 3.5"/>',
  map: '<path d="M3.5 6.5 9 4.5l6 2 5.5-2v13l-5.5 2-6-2-5.5 2z"/><path d="M9 4.5v13M15 6.5v13"/>',
  stop: '<rect x="6.5" y="6.5" width="11" height="11" rx="1.5" fill="currentColor" stroke="none"/>',
  // The kinds of place on the tour's map.
  industrial_park: '<path d="M3.5 20V10.5l5 3v-3l5 3v-3l5 3V4h2.5v16z"/><path d="M7 17h2M11.5 17h2M16 17h2"/>',
  university: '<path d="M2.5 9.5 12 5l9.5 4.5L12 14z"/><path d="M6.5 11.5v4.3c1.5 1.6 3.3 2.4 5.5 2.4s4-.8 5.5-2.4v-4.3"/><path d="M20.5 10v5"/>',
  research: '<path d="M9.5 3.5h5"/><path d="M10.5 3.5v5.8L5 18.3a1.5 1.5 0 0 0 1.3 2.2h11.4a1.5 1.5 0 0 0 1.3-2.2l-5.5-9V3.5"/><path d="M7.5 14.5h9"/>',
  city_centre: '<path d="M3.5 20.5h17"/><path d="M5 20.5V10h5v10.5"/><path d="M10 20.5V4h6v16.5"/><path d="M16 20.5v-8h3.5v8"/><path d="M12.5 7.5h1M12.5 11h1M12.5 14.5h1M7 13h1M7 16.5h1"/>',
  landmark: '<path d="M12 21s-6.5-5.7-6.5-11a6.5 6.5 0 0 1 13 0c0 5.3-6.5 11-6.5 11z"/><path d="m12 6.8 1 2.1 2.3.3-1.7 1.6.4 2.3-2-1.1-2 1.1.4-2.3-1.7-1.6 2.3-.3z" fill="currentColor" stroke-width="1"/>',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, cls = "icon"): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "1.9");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", cls);
  svg.innerHTML = PATHS[name];
  return svg;
}
