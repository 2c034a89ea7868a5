/**
 * Keeps the words of a card inside it: when a card's body overflows (a long title
 * in a small card), its summary first shrinks to one line, then steps aside.
 * Titles are never cut. Re-checked when the cards change size or the fonts arrive.
 */
export function fitCards(grid: HTMLElement, bodySelector: string): () => void {
  const fit = () => {
    for (const body of Array.from(grid.querySelectorAll<HTMLElement>(bodySelector))) {
      const card = body.parentElement;
      if (!card) continue;
      card.classList.remove("fit-1", "fit-0");
      if (!overflows(body)) continue;
      card.classList.add("fit-1");
      if (!overflows(body)) continue;
      card.classList.remove("fit-1");
      card.classList.add("fit-0");
    }
  };
  const ro = new ResizeObserver(() => fit());
  ro.observe(grid);
  let alive = true;
  void document.fonts?.ready.then(() => alive && fit());
  return () => {
    alive = false;
    ro.disconnect();
  };
}

/** Whether the children need more height than `el` has. (Not scrollHeight: content
 *  pushed out at the top by flex-end or center alignment does not count there.) */
function overflows(el: HTMLElement): boolean {
  const kids = Array.from(el.children).filter((c) => c.getClientRects().length > 0);
  if (kids.length === 0) return false;
  const top = Math.min(...kids.map((c) => c.getBoundingClientRect().top));
  const bottom = Math.max(...kids.map((c) => c.getBoundingClientRect().bottom));
  const st = getComputedStyle(el);
  const needed = bottom - top + parseFloat(st.paddingTop) + parseFloat(st.paddingBottom);
  return needed > el.clientHeight + 1;
}
