import type { TourStop } from "../backend/types";
import { h } from "./dom";
import { icon } from "./icons";
import { reportMediaError } from "./media-errors";

/**
 * The tour's map with its stops, framed so that every stop shows, large, inside a
 * window of the screen (the part not covered by the card), while the picture
 * itself fills the whole screen behind. Used by the kiosk's tour screen (markers
 * are buttons) and by the tour on boards (markers are marks).
 *
 * Stops sit on the picture at thousandths of its width and height. Each marker's
 * name goes on the side where it covers no other marker or name, placed again
 * whenever a name changes size (larger text, the fonts arriving).
 */

export type StopKind = TourStop["kind"];

export interface MapStop {
  id: string;
  kind: StopKind;
  x_permille: number;
  y_permille: number;
  /** The name on the marker. */
  name: string;
  /** The name's language, when it is not the page's. */
  lang?: string;
}

export interface TourMapOptions {
  mapUrl: string;
  stops: MapStop[];
  /** The part of the screen the stops must be in (its rectangle is read at layout). */
  window: HTMLElement;
  /** Markers are buttons that call this; without it, they are marks. */
  onStop?(id: string): void;
}

export interface TourMap {
  el: HTMLElement;
  /** Resolves once the picture is decoded; rejects when it cannot be shown. */
  ready: Promise<void>;
  marker(id: string): HTMLElement | undefined;
  /** Highlights one stop (null: none). */
  setActive(id: string | null): void;
  /** Frames the stops again (the window changed). */
  layout(): void;
  dispose(): void;
}

/** The picture's proportions when it does not say (an SVG without a size). */
const FALLBACK_RATIO = 1.6;
/** Room beside the outermost stops for their names, in CSS pixels at the normal
 *  text size (at most 15 % of the window's width each side: a narrow window puts
 *  names above and below). */
const NAME_ROOM_X = 220;
const NAME_ROOM_Y = 80;
/** Between a marker and its name. */
const NAME_GAP = 6;
/** Air a name keeps around it, from other names and from pins, where it can. */
const NAME_AIR = 4;
/** How much a pin grows when its stop is shown (tour.css, `.is-active`): its name
 *  keeps clear of it then too. */
const ACTIVE_PIN_SCALE = 1.22;
/** However far apart the stops are, the picture is never enlarged more than this
 *  beyond covering the window. */
const MAX_ZOOM = 3;

/** Where a name may go, in the order tried. */
const SIDES = ["right", "left", "below", "above", "above-right", "below-right", "above-left", "below-left"] as const;
type Side = (typeof SIDES)[number];

export function createTourMap(opts: TourMapOptions): TourMap {
  const img = h("img", { class: "tour-map-picture", attrs: { alt: "", draggable: "false" } });
  const markers = new Map<string, HTMLElement>();
  const canvas = h("div", { class: "tour-map-canvas" }, img);
  for (const stop of opts.stops) {
    const m = marker(stop, opts.onStop);
    markers.set(stop.id, m);
    canvas.appendChild(m);
  }
  const el = h("div", { class: "tour-map" }, canvas);

  img.src = opts.mapUrl;
  // The picture's proportions are read from a twin that is never drawn: WebKit may
  // give the size an SVG is drawn at as its natural size (here, the whole screen
  // before the first framing).
  const twin = new Image();
  twin.src = opts.mapUrl;
  const ready = Promise.all([img.decode(), twin.decode()]).then(
    () => undefined,
    () => {
      throw new Error("the tour's map could not be loaded or decoded");
    },
  );

  let ratio = FALLBACK_RATIO;
  let alive = true;
  void ready.then(
    () => {
      if (twin.naturalWidth > 0 && twin.naturalHeight > 0) ratio = twin.naturalWidth / twin.naturalHeight;
      if (alive) layout();
    },
    (e: Error) => {
      // The stops still stand, on the plain ground, where the map would be.
      reportMediaError(opts.mapUrl, e.message);
      img.remove();
      el.classList.add("is-missing");
      if (alive) layout();
    },
  );

  function layout(): void {
    const area = el.getBoundingClientRect();
    const win = opts.window.getBoundingClientRect();
    if (area.width < 1 || win.width < 1 || win.height < 1) return;
    const frame = {
      x: win.left - area.left,
      y: win.top - area.top,
      w: win.width,
      h: win.height,
    };
    const camera = frameStops(opts.stops, ratio, frame, { w: area.width, h: area.height }, textScale(el));
    canvas.style.left = `${camera.left}px`;
    canvas.style.top = `${camera.top}px`;
    canvas.style.width = `${camera.width}px`;
    canvas.style.height = `${camera.height}px`;
    placeNames(markers, frame, { x: 0, y: 0, w: area.width, h: area.height }, camera);
  }

  // The names are watched too: larger text, turned on over the map, moves them apart.
  const ro = new ResizeObserver(() => layout());
  ro.observe(el);
  ro.observe(opts.window);
  for (const m of markers.values()) {
    const name = m.querySelector(".tour-marker-name");
    if (name) ro.observe(name);
  }
  void document.fonts?.ready.then(() => alive && layout());

  return {
    el,
    ready,
    marker: (id) => markers.get(id),
    setActive(id) {
      for (const [stopId, m] of markers) {
        const on = stopId === id;
        m.classList.toggle("is-active", on);
        m.querySelector("button")?.setAttribute("aria-pressed", String(on));
      }
    },
    layout,
    dispose() {
      alive = false;
      ro.disconnect();
      el.remove();
    },
  };
}

/** A stop on the map: a point holding its pin (the button, a finger's size) and its
 *  name beside it. The name is the pin's twin to touch, not part of the button, so
 *  the button's box is the pin alone and names never widen what a touch hits. */
function marker(stop: MapStop, onStop?: (id: string) => void): HTMLElement {
  const name = h("span", { class: "tour-marker-name", text: stop.name, attrs: stop.lang ? { lang: stop.lang } : {} });
  let pin: HTMLElement;
  if (onStop) {
    const b = h("button", { class: "tour-marker-pin", dataset: { testid: "tour-marker", stopId: stop.id } }, icon(stop.kind));
    b.type = "button";
    b.setAttribute("aria-label", stop.name);
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", (ev) => {
      ev.preventDefault();
      onStop(stop.id);
    });
    name.setAttribute("aria-hidden", "true");
    name.addEventListener("click", () => onStop(stop.id));
    pin = b;
  } else {
    pin = h("span", { class: "tour-marker-pin" }, icon(stop.kind));
  }
  return h(
    "div",
    {
      class: `tour-marker kind-${stop.kind}`,
      dataset: { stopId: stop.id, side: "right" },
      style: { left: `${stop.x_permille / 10}%`, top: `${stop.y_permille / 10}%` },
    },
    pin,
    name,
  );
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Camera {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The factor larger text multiplies text sizes by (tour.css: `--text-scale`). */
function textScale(el: HTMLElement): number {
  const v = parseFloat(getComputedStyle(el).getPropertyValue("--text-scale"));
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/** Where the picture goes: large enough to cover the window, as large as the stops
 *  (with room for their names, as large as `scale` makes the text) allow, centred on
 *  them, and moved (as far as the stops stay in the window) to cover the whole
 *  `area` too. */
export function frameStops(
  stops: Pick<MapStop, "x_permille" | "y_permille">[],
  ratio: number,
  win: Rect,
  area: { w: number; h: number },
  scale = 1,
): Camera {
  const xs = stops.map((s) => s.x_permille / 1000);
  const ys = stops.map((s) => s.y_permille / 1000);
  const [minX, maxX] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [minY, maxY] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];

  // Width of the picture in pixels for each constraint (its height is width / ratio).
  const cover = Math.max(win.w, win.h * ratio);
  const nameX = Math.min(NAME_ROOM_X * scale, win.w * 0.15);
  const nameY = NAME_ROOM_Y * scale;
  const roomX = win.w - 2 * nameX;
  const roomY = Math.max(win.h - 2 * nameY, win.h * 0.4);
  const byX = maxX > minX ? roomX / (maxX - minX) : Infinity;
  const byY = maxY > minY ? (roomY / (maxY - minY)) * ratio : Infinity;
  const width = Math.min(Math.max(cover, Math.min(byX, byY)), cover * MAX_ZOOM);
  const height = width / ratio;

  const left = place(win.x, win.w, area.w, width, minX, maxX, nameX);
  const top = place(win.y, win.h, area.h, height, minY, maxY, nameY);
  return { left, top, width, height };
}

/** One axis of the framing: the offset of a picture `size` long that puts the
 *  stops (from `lo` to `hi` of it) in the middle of the window (`from`, `length`),
 *  then, while they stay inside it with `room` to spare, fills the area (0 to
 *  `extent`), and never uncovers the window. */
function place(from: number, length: number, extent: number, size: number, lo: number, hi: number, room: number): number {
  const centred = from + length / 2 - ((lo + hi) / 2) * size;
  const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
  const stopsMin = from + room - lo * size;
  const stopsMax = from + length - room - hi * size;
  let offset = centred;
  if (stopsMin <= stopsMax) {
    const min = Math.max(stopsMin, extent - size);
    const max = Math.min(stopsMax, 0);
    offset = min <= max ? clamp(centred, min, max) : clamp(centred, stopsMin, stopsMax);
  }
  return clamp(offset, from + length - size, from);
}

/** Puts each marker's name on the first side (`SIDES`) where it covers no other
 *  marker and no other name, and stays in the window; where no side is free, on the
 *  side it covers least. A second round looks again with every name in place. */
function placeNames(markers: Map<string, HTMLElement>, win: Rect, screen: Rect, camera: Camera): void {
  const pins: Rect[] = [];
  const centres = new Map<HTMLElement, { x: number; y: number; pin: number }>();
  for (const m of markers.values()) {
    const pin = (m.querySelector(".tour-marker-pin") as HTMLElement | null)?.offsetWidth ?? 64;
    const x = camera.left + (parseFloat(m.style.left) / 100) * camera.width;
    const y = camera.top + (parseFloat(m.style.top) / 100) * camera.height;
    centres.set(m, { x, y, pin });
    pins.push({ x: x - pin / 2, y: y - pin / 2, w: pin, h: pin });
  }
  const list = [...markers.values()];
  for (const m of list) {
    const name = m.querySelector(".tour-marker-name") as HTMLElement | null;
    if (name) hugName(name);
  }
  const placed = new Map<HTMLElement, Rect>();
  for (let round = 0; round < 2; round++) {
    for (const [i, m] of list.entries()) {
      const name = m.querySelector(".tour-marker-name") as HTMLElement | null;
      const c = centres.get(m);
      if (!name || !c) continue;
      const otherPins = pins.filter((_, j) => j !== i);
      const otherNames = [...placed].filter(([k]) => k !== m).map(([, r]) => r);
      // A name over a marker hides a place: worse than over another name, or past
      // the window's edge while still on the screen; off the screen is worst.
      const cost = (r: Rect) =>
        otherPins.reduce((sum, o) => sum + overlap(grow(r, NAME_AIR), o) * 3, 0) +
        otherNames.reduce((sum, o) => sum + overlap(grow(r, NAME_AIR), o), 0) +
        outside(r, win) * 0.5 +
        outside(r, screen) * 10;
      let best: Side = "right";
      let bestCost = Infinity;
      for (const side of SIDES) {
        const c2 = cost(nameRect(side, c, name.offsetWidth, name.offsetHeight));
        if (c2 < bestCost) {
          best = side;
          bestCost = c2;
        }
        if (c2 === 0) break;
      }
      m.dataset.side = best;
      placed.set(m, nameRect(best, c, name.offsetWidth, name.offsetHeight));
    }
  }
}

/** A name on two lines or more is as wide as its longest line, not as its widest
 *  allowed (its box would stand empty beside the shorter lines, over the map). */
function hugName(name: HTMLElement): void {
  name.style.width = "";
  const box = name.getBoundingClientRect();
  if (box.width < 1) return;
  const range = document.createRange();
  range.selectNodeContents(name);
  const lines = [...range.getClientRects()].filter((r) => r.width > 0);
  const rows = new Set(lines.map((r) => Math.round(r.top)));
  if (rows.size < 2) return;
  // Lines are measured on the screen; the width is set in the map's own pixels.
  const k = name.offsetWidth / box.width;
  const widest = Math.max(...[...rows].map((top) => {
    const row = lines.filter((r) => Math.round(r.top) === top);
    return Math.max(...row.map((r) => r.right)) - Math.min(...row.map((r) => r.left));
  }));
  const st = getComputedStyle(name);
  const frame = parseFloat(st.paddingLeft) + parseFloat(st.paddingRight) + parseFloat(st.borderLeftWidth) + parseFloat(st.borderRightWidth);
  name.style.width = `${Math.ceil(widest * k + frame) + 1}px`;
}

/** Where a name `w`×`h` goes on `side` of a marker (its centre and size); as the
 *  stylesheet puts it (tour.css, `data-side`). */
function nameRect(side: Side, c: { x: number; y: number; pin: number }, w: number, h: number): Rect {
  const gap = (c.pin / 2) * ACTIVE_PIN_SCALE + NAME_GAP;
  // Diagonal names start level with the marker's edge, beside its corner.
  const corner = c.pin * 0.15;
  switch (side) {
    case "right":
      return { x: c.x + gap, y: c.y - h / 2, w, h };
    case "left":
      return { x: c.x - gap - w, y: c.y - h / 2, w, h };
    case "below":
      return { x: c.x - w / 2, y: c.y + gap, w, h };
    case "above":
      return { x: c.x - w / 2, y: c.y - gap - h, w, h };
    case "above-right":
      return { x: c.x + corner, y: c.y - gap - h, w, h };
    case "below-right":
      return { x: c.x + corner, y: c.y + gap, w, h };
    case "above-left":
      return { x: c.x - corner - w, y: c.y - gap - h, w, h };
    case "below-left":
      return { x: c.x - corner - w, y: c.y + gap, w, h };
  }
}

/** `r` with `by` more on every side. */
function grow(r: Rect, by: number): Rect {
  return { x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h2 = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h2 > 0 ? w * h2 : 0;
}

/** How much of `r` lies outside `win`. */
function outside(r: Rect, win: Rect): number {
  return r.w * r.h - overlap(r, win);
}
