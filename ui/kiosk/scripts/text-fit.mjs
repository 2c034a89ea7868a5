// Which words on the screen a visitor cannot read whole: text cut by a box that hides
// its overflow, text spilling out of its element or off the screen, and text shortened
// with an ellipsis or a line clamp. Runs inside the page (the real app's webview through
// WebDriver, or Chromium through Playwright), so it is written as one self-contained
// function: pass `textFitProblems.toString()` and call it there.
//
// It looks at the screen shown (the view that is not leaving), the top bar, the staff
// dialog and the language sheet. Text inside a box that scrolls is measured against
// what the box holds, not the part showing. `allowShortened` lists selectors whose
// text may be shortened on purpose (a teaser whose whole text is one touch away).

/**
 * @param {string[]} allowShortened CSS selectors of elements allowed to be clamped
 * @returns {{ element: string, text: string, problem: string }[]}
 */
export function textFitProblems(allowShortened = []) {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const roots = [
    document.querySelector(".view:not(.view-leaving)"),
    document.querySelector(".topbar"),
    document.querySelector(".staff-overlay"),
    document.querySelector(".lang-sheet-scrim:not(.is-leaving)"),
  ].filter(Boolean);

  const describe = (el) => {
    const id = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : "";
    const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  /** Seen at all: not hidden, not transparent, not in a part that has stepped aside. */
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const st = getComputedStyle(e);
      if (st.display === "none" || st.visibility === "hidden" || parseFloat(st.opacity) < 0.05) return false;
    }
    return true;
  };
  const hides = (st) => ["hidden", "clip"].includes(st.overflowX) || ["hidden", "clip"].includes(st.overflowY);
  const scrolls = (st) => ["auto", "scroll"].includes(st.overflowY) || ["auto", "scroll"].includes(st.overflowX);
  /** The box that cuts what `el` shows: the nearest ancestor hiding its overflow,
   *  unless a scrolling box comes first (then the text can be scrolled to). */
  const clipper = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const st = getComputedStyle(p);
      if (scrolls(st)) return { el: p, scroller: true };
      if (hides(st)) return { el: p, scroller: false };
    }
    return null;
  };
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(getComputedStyle(p))) return true;
    return false;
  };
  /** A visually hidden label (for assistive technology only) is not on the screen. */
  const visuallyHidden = (el) => {
    const r = el.getBoundingClientRect();
    return r.width <= 1 || r.height <= 1;
  };

  /** The first block around `el` (up to the screen's root, or a box that scrolls)
   *  that a line `r` of its text leaves: a word spilling out of a card or a column. */
  const escapedAncestor = (el, r, slackY) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const st = getComputedStyle(p);
      if (scrolls(st)) return null;
      if (st.display === "inline" || st.display === "contents") continue;
      const b = p.getBoundingClientRect();
      if (b.width < 1 || b.height < 1) continue;
      if (r.left < b.left - 2 || r.right > b.right + 2 || r.top < b.top - slackY || r.bottom > b.bottom + slackY) return describe(p);
      if (roots.includes(p)) return null;
    }
    return null;
  };

  const out = [];
  const seen = new Set();
  const report = (el, problem) => {
    const text = el.textContent.trim().replace(/\s+/g, " ");
    const key = `${describe(el)}|${problem}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ element: describe(el), text: text.length > 80 ? `${text.slice(0, 77)}…` : text, problem });
  };

  for (const root of roots) {
    for (const el of [root, ...root.querySelectorAll("*")]) {
      if (el.closest(".attract-media, svg, video")) continue;
      const textNodes = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
      if (textNodes.length === 0 || visuallyHidden(el) || !shown(el)) continue;
      const st = getComputedStyle(el);
      const fontSize = parseFloat(st.fontSize);
      const box = el.getBoundingClientRect();
      const allowed = allowShortened.some((sel) => el.matches(sel));

      // Shortened on purpose: an ellipsis or a line clamp that is cutting now.
      if (!allowed && st.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth + 1) {
        report(el, `ends in an ellipsis (${el.scrollWidth} > ${el.clientWidth} px wide)`);
      }
      if (!allowed && st.webkitLineClamp && st.webkitLineClamp !== "none" && el.scrollHeight > el.clientHeight + 1) {
        report(el, `cut after ${st.webkitLineClamp} lines (${el.scrollHeight} > ${el.clientHeight} px high)`);
      }
      if (st.webkitLineClamp && st.webkitLineClamp !== "none") continue;
      // Its own box hides what does not fit.
      if (hides(st) && !scrolls(st)) {
        if (el.scrollWidth > el.clientWidth + 1) report(el, `cut at the side (${el.scrollWidth} > ${el.clientWidth} px wide)`);
        if (el.scrollHeight > el.clientHeight + Math.max(2, fontSize * 0.3)) {
          report(el, `cut at the bottom (${el.scrollHeight} > ${el.clientHeight} px high)`);
        }
      }

      // Each line of its text: inside its element, inside whatever clips it, on the screen.
      const cut = clipper(el);
      const cutBox = cut && !cut.scroller ? cut.el.getBoundingClientRect() : null;
      const slackY = Math.max(2, fontSize * 0.3); // glyph boxes are taller than tight line heights
      for (const node of textNodes) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
          if (r.width < 1) continue;
          if (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - slackY || r.bottom > box.bottom + slackY) {
            report(el, `text spills out of its box (line ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)}, box ${Math.round(box.left)}–${Math.round(box.right)} × ${Math.round(box.top)}–${Math.round(box.bottom)})`);
          }
          const escaped = escapedAncestor(el, r, slackY);
          if (escaped) report(el, `text spills out of ${escaped}`);
          if (cutBox && escaped !== describe(cut.el) && (r.left < cutBox.left - 2 || r.right > cutBox.right + 2 || r.top < cutBox.top - slackY || r.bottom > cutBox.bottom + slackY)) {
            report(el, `text cut by ${describe(cut.el)}`);
          }
          if (!inScroller(el) && (r.left < -1 || r.right > vw + 1 || r.top < -1 || r.bottom > vh + 1)) {
            report(el, `text off the screen (line ${Math.round(r.left)}–${Math.round(r.right)} × ${Math.round(r.top)}–${Math.round(r.bottom)})`);
          }
        }
      }
    }
  }
  return out;
}
