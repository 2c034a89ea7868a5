import { PlaylistPlayer } from "../player/playlist-player";
import { h } from "../ui/dom";
import type { View, ViewContext } from "../view";

/**
 * Signage mode: an unattended screen (a bulletin board in a public hall) loops the
 * scheduled playlist full screen, films with their sound, the TOP 1 ICF badge in a
 * corner. Nobody is expected to touch it; a touch is recorded, nothing more.
 */
export function renderSignage(ctx: ViewContext, onFilmSound: (playing: boolean) => void): View {
  const player = new PlaylistPlayer({ backend: ctx.backend, purpose: "signage", events: ctx.events, sound: true, onFilmSound });
  const el = h("section", { class: "screen screen-signage", dataset: { testid: "signage" } }, player.el);
  void player.start();
  return {
    el,
    destroy() {
      player.destroy();
    },
  };
}
