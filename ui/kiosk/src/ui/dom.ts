/** A tiny element builder: h("div", { class: "x", dataset: { testid: "y" } }, child, …). */

type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  dataset?: Record<string, string>;
  style?: Partial<Record<string, string>>;
  attrs?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
  text?: string;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.dataset) Object.assign(el.dataset, props.dataset);
  if (props.style) {
    for (const [k, v] of Object.entries(props.style)) {
      if (v !== undefined) el.style.setProperty(k, v);
    }
  }
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  if (props.on) {
    for (const [type, fn] of Object.entries(props.on)) {
      el.addEventListener(type, fn as EventListener);
    }
  }
  if (props.text !== undefined) el.textContent = props.text;
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/** A button that acts on a tap. `testid` is the hook the end-to-end test uses. */
export function button(
  props: Props & { testid?: string; label?: string },
  onTap: () => void,
  ...children: Child[]
): HTMLButtonElement {
  const b = h("button", props, ...children);
  b.type = "button";
  if (props.testid) b.dataset.testid = props.testid;
  if (props.label) b.setAttribute("aria-label", props.label);
  b.addEventListener("click", (ev) => {
    ev.preventDefault();
    if (b.disabled) return;
    onTap();
  });
  return b;
}

/** Parses SVG markup (with or without xmlns or an XML prolog) into an inert SVG
 *  element: it lives in a template's document, so nothing in it loads or runs until
 *  the caller, having sanitized it, adopts it with document.importNode. */
export function inertSvgFromMarkup(markup: string): SVGSVGElement | null {
  const tpl = document.createElement("template");
  tpl.innerHTML = markup;
  return tpl.content.querySelector("svg");
}
