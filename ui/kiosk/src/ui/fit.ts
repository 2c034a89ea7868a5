/**
 * Keeps the words of a card inside it: when a card's body overflows (a long title
 * in a small card), its summary first shrinks to one line, then steps aside, and
 * then the title is set smaller. Titles are never cut. Re-checked when the cards
 * change size or the fonts arrive.
 */
export function fitCards(grid: HTMLElement, bodySelector: string): () => void {
  const fit = () => {
    // Measured without transitions: a size still on its way (or one set on its way by a
    // class tried and taken back) would be measured instead of the final one.
    grid.classList.add("fitting");
    for (const body of Array.from(grid.querySelectorAll<HTMLElement>(bodySelector))) {
      const card = body.parentElement;
      if (!card) continue;
      card.classList.remove("fit-1", "fit-0", "fit-title");
      if (!overflows(body)) continue;
      card.classList.add("fit-1");
      if (!overflows(body)) continue;
      card.classList.remove("fit-1");
      card.classList.add("fit-0");
      if (!overflows(body)) continue;
      card.classList.add("fit-title");
    }
    void grid.offsetHeight;
    grid.classList.remove("fitting");
  };
  const ro = new ResizeObserver(() => fit());
  ro.observe(grid);
  // A card changes size without its grid when the layout settles (a font arrives late,
  // the screen's entrance ends); each is watched too.
  for (const card of Array.from(grid.querySelectorAll<HTMLElement>(bodySelector))) {
    if (card.parentElement) ro.observe(card.parentElement);
  }
  // …and once the screen's entrance is over, when every card has its final layout.
  grid.addEventListener("animationend", fit);
  let alive = true;
  void document.fonts?.ready.then(() => alive && fit());
  return () => {
    alive = false;
    ro.disconnect();
    grid.removeEventListener("animationend", fit);
  };
}

/** Whether the children need more height than `el` has, by their laid-out sizes
 *  (offsetHeight: neither an entrance's transform nor content pushed out at the top by
 *  flex-end alignment changes it). */
function overflows(el: HTMLElement): boolean {
  const kids = Array.from(el.children).filter((c): c is HTMLElement => c instanceof HTMLElement && c.getClientRects().length > 0);
  if (kids.length === 0) return false;
  const st = getComputedStyle(el);
  const gaps = (parseFloat(st.rowGap) || 0) * (kids.length - 1);
  const needed = kids.reduce((sum, c) => sum + c.offsetHeight, 0) + gaps + parseFloat(st.paddingTop) + parseFloat(st.paddingBottom);
  return needed > el.clientHeight + 1;
}
