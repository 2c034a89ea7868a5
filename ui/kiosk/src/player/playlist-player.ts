import type { KioskBackend } from "../backend/backend";
import type { PlayerPlan } from "../backend/types";
import type { EventQueue } from "../events";
import { h } from "../ui/dom";
import { reportMediaError } from "../ui/media-errors";
import { FilmFollower } from "./film-follower";
import { FrameClock } from "./frame-clock";
import { FrameLog } from "./frame-log";
import { GroupTime } from "./group-time";
import { buildSlide, type Slide } from "./slide";
import { joinAt, type Slot } from "./timeline";

/**
 * The playlist player, for unattended screens and for the kiosk's attract loop.
 *
 * Gapless: while one item shows, the next is built underneath and made ready (a film
 * paused on its decoded first frame, a decoded picture), so the switch is a repaint.
 * The outgoing item stays on screen until the incoming one is ready: a late item
 * holds the last frame, never shows black. Each boundary is timed on the frames
 * the webview presents (`FrameClock`): the gap is how much later than planned the
 * incoming item's first frame appeared.
 *
 * The schedule is asked again at every item boundary and when the clock passes a
 * window edge (`next_change_ms`); a new playlist then starts at once. An item that
 * fails to load, or a film that stalls, is skipped with its reason. Every start and
 * end is recorded (proof of play).
 *
 * In a sync group (`[lockstep]`), the screens share a timeline instead
 * (`timeline.ts`): each item starts when the group's clock reaches its turn, a
 * screen that starts late joins the turn under way (a film decoded at the right
 * frame), and films are kept on the group's clock by `FilmFollower`.
 */

/** In a sync group: how far ahead a screen plans the turn it joins, so the item
 *  is built and decoded in time. */
const JOIN_LEAD_MS = 1500;
/** A turn with less than this left is not joined; the next one is. */
const MIN_JOIN_MS = 1000;

/** An item's turn on the group's timeline: its slot, and when it starts
 *  showing (the slot's start, or later for a screen that joins mid-turn). */
interface Turn {
  slot: Slot;
  from: number;
}

/** How long after a switch is presented before heavy work (teardown, building). */
const SETTLE_MS = 120;

export interface PlayerOptions {
  backend: KioskBackend;
  purpose: "signage" | "attract";
  /** Proof of play; null records nothing (the kiosk's attract loop). */
  events: EventQueue | null;
  /** Films with sound play it. */
  sound: boolean;
  /** A film with sound starts or stops (the app ducks its music bed). */
  onFilmSound?(playing: boolean): void;
}

interface Showing {
  slide: Slide;
  plan: PlayerPlan;
  /** When its first frame was presented (performance.now() time base). */
  shownAt: number;
  /** When the planned end is (for films without a set length: unknown until the last frame). */
  plannedEnd: number;
  gapMs: number;
  /** Its turn, in a sync group. */
  turn: Turn | null;
  follower: FilmFollower | null;
}

interface Upcoming {
  slide: Slide;
  plan: PlayerPlan;
  /** Start without waiting for the current item (the schedule changed). */
  cutIn: boolean;
  isReady: boolean;
  turn: Turn | null;
}

export class PlaylistPlayer {
  readonly el: HTMLElement;
  private readonly stage = h("div", { class: "player-stage" });
  private readonly frames = new FrameClock();
  private current: Showing | null = null;
  private upcoming: Upcoming | null = null;
  private plan: PlayerPlan | null = null;
  private destroyed = false;
  private edgeTimer = 0;
  private preparing = 0;
  private readonly reportedDrops = new Set<string>();
  private readonly corner = h("div", { class: "player-corner" });
  /** The sync group's clock; null when this screen plays on its own. */
  private group: GroupTime | null = null;
  private frameLog: FrameLog | null = null;

  constructor(private readonly opts: PlayerOptions) {
    this.el = h("div", { class: "playlist-player", dataset: { testid: "player", purpose: opts.purpose } }, this.stage, this.corner);
  }

  async start(): Promise<void> {
    this.frames.start((ts) => this.tick(ts));
    this.group = await GroupTime.join(this.opts.backend).catch(() => null);
    if (this.destroyed) return this.group?.stop();
    if (this.group) {
      this.frameLog = new FrameLog(this.opts.backend);
      this.el.dataset.group = this.group.view?.group ?? "";
      this.group.onJump = () => void this.replan();
    }
    const plan = await this.fetchPlan();
    if (!plan || this.destroyed) return;
    this.setCorner(plan);
    await this.prepareStart(plan, false);
  }

  /** The group's clock jumped: what was built for the old timeline goes, and
   *  the turn under way on the new one is joined; what shows stays until then. */
  private async replan(): Promise<void> {
    const plan = (await this.fetchPlan()) ?? this.plan;
    if (!plan || this.destroyed) return;
    this.upcoming?.slide.dispose();
    this.upcoming = null;
    if (this.current) {
      this.current.turn = null;
      this.current.follower = null;
    }
    await this.prepareStart(plan, true);
  }

  /** The first item of `plan`: its first, or in a sync group the turn under way. */
  private prepareStart(plan: PlayerPlan, cutIn: boolean): Promise<void> {
    if (!this.group) return this.prepare(plan, 0, cutIn);
    const turn = joinAt(plan.items, this.group.now() + JOIN_LEAD_MS, MIN_JOIN_MS);
    return this.prepare(plan, turn.slot.index, cutIn, turn);
  }

  destroy(): void {
    this.destroyed = true;
    this.frames.stop();
    this.group?.stop();
    this.frameLog?.stop();
    window.clearTimeout(this.edgeTimer);
    if (this.current) this.end(this.current, performance.now(), "stopped");
    this.current?.slide.dispose();
    this.upcoming?.slide.dispose();
    this.current = null;
    this.upcoming = null;
    void this.opts.events?.flush();
  }

  // --- planning ----------------------------------------------------------------------

  private async fetchPlan(): Promise<PlayerPlan | null> {
    try {
      const plan = await this.opts.backend.playerPlan(this.opts.purpose);
      this.reportDrops(plan);
      this.watchEdge(plan);
      return plan;
    } catch (e) {
      console.warn("[kiosk] player: no plan; keeping the one playing", e);
      return this.plan;
    }
  }

  /** At the next window edge, ask again; a new playlist cuts in at once. */
  private watchEdge(plan: PlayerPlan): void {
    window.clearTimeout(this.edgeTimer);
    if (plan.next_change_ms === null) return;
    const wait = Math.min(Math.max(plan.next_change_ms, 0) + 50, 6 * 3600 * 1000);
    this.edgeTimer = window.setTimeout(async () => {
      const fresh = await this.fetchPlan();
      if (!fresh || this.destroyed) return;
      if (fresh.playlist !== this.current?.plan.playlist) {
        this.upcoming?.slide.dispose();
        this.upcoming = null;
        await this.prepareStart(fresh, true);
      }
    }, wait);
  }

  private reportDrops(plan: PlayerPlan): void {
    for (const d of plan.dropped) {
      const key = `${plan.playlist}/${d.id}/${d.reason}`;
      if (this.reportedDrops.has(key)) continue;
      this.reportedDrops.add(key);
      this.opts.events?.record("item_end", { playlist: plan.playlist, item: d.id, planned_ms: 0, actual_ms: 0, skip_reason: d.reason });
    }
  }

  /** The item after the current one, in the freshest plan. */
  private async prepareFollowing(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const token = ++this.preparing;
    const plan = (await this.fetchPlan()) ?? current.plan;
    if (this.destroyed || token !== this.preparing || this.upcoming) return;
    const samePlaylist = plan.playlist === current.plan.playlist && plan.release.version === current.plan.release.version;
    if (this.group) {
      // The turn after this one on the timeline of the freshest plan (a new plan
      // is joined where this turn ends); a screen fallen behind, or showing an
      // item outside the timeline, joins anew.
      const late = !current.turn || this.group.now() > current.turn.slot.end - SETTLE_MS;
      const at = late || !current.turn ? this.group.now() + JOIN_LEAD_MS : current.turn.slot.end;
      const turn = joinAt(plan.items, at, late ? MIN_JOIN_MS : 1);
      await this.prepare(plan, turn.slot.index, false, turn);
      return;
    }
    if (!samePlaylist) {
      await this.prepare(plan, 0, false);
      return;
    }
    const at = plan.items.findIndex((i) => i.id === current.slide.item.id);
    await this.prepare(plan, (at + 1) % plan.items.length, false);
  }

  /** Builds item `index` of `plan` (or the first after it that can be shown);
   *  in a sync group, for `turn` (or the next turns). */
  private async prepare(plan: PlayerPlan, index: number, cutIn: boolean, firstTurn?: Turn): Promise<void> {
    const token = ++this.preparing;
    let turn = firstTurn ?? null;
    for (let attempt = 0; attempt < plan.items.length; attempt++) {
      if (attempt > 0 && turn) turn = joinAt(plan.items, turn.slot.end, 1);
      const item = plan.items[turn ? turn.slot.index : (index + attempt) % plan.items.length];
      const startAtMs = turn && item.kind === "video" ? turn.from - turn.slot.start : 0;
      const slide = buildSlide(item, { sound: this.opts.sound && plan.sound, startAtMs });
      this.stage.prepend(slide.el); // underneath what shows
      const upcoming: Upcoming = { slide, plan, cutIn, isReady: false, turn };
      this.upcoming = upcoming;
      try {
        await slide.ready;
        if (this.destroyed || this.upcoming !== upcoming || token !== this.preparing) {
          if (this.upcoming !== upcoming) slide.dispose();
          return;
        }
        upcoming.isReady = true;
        return;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        if (item.url) reportMediaError(item.url, reason);
        this.opts.events?.record("item_end", { playlist: plan.playlist, item: item.id, blob: item.blob, planned_ms: item.planned_ms, actual_ms: 0, skip_reason: reason });
        slide.dispose();
        if (this.upcoming === upcoming) this.upcoming = null;
        if (this.destroyed || token !== this.preparing) return;
      }
    }
    console.warn(`[kiosk] player: nothing in playlist ${plan.playlist} can be shown; trying again soon`);
    window.setTimeout(() => void (this.destroyed || this.upcoming || this.prepareFollowingOrFirst()), 5000);
  }

  private async prepareFollowingOrFirst(): Promise<void> {
    if (this.current) return this.prepareFollowing();
    const plan = await this.fetchPlan();
    if (plan && !this.destroyed) await this.prepareStart(plan, false);
  }

  // --- frames ------------------------------------------------------------------------

  /** Runs once per presented frame. */
  private tick(ts: number): void {
    const cur = this.current;
    const next = this.upcoming;
    const frame = this.frames.interval;
    if (cur) {
      const failure = cur.slide.failure();
      if (failure) {
        if (cur.slide.item.url) reportMediaError(cur.slide.item.url, failure);
        if (next?.isReady) return this.switchTo(next, ts, failure, ts);
        // Nothing ready yet: keep what shows (its last frame), skip as soon as possible.
        if (!next) void this.prepareFollowing();
        return;
      }
    }
    cur?.follower?.onTick(ts);
    if (!next?.isReady) return;
    if (this.group && next.turn) {
      // In a sync group: in the frame whose successor is presented closest to
      // the instant the group's clock reaches the turn. An item ready only after
      // its turn ended would show what the other screens no longer do.
      if (ts >= this.group.toPerf(next.turn.slot.end) - frame) {
        this.upcoming = null;
        next.slide.dispose();
        void this.prepareStart(next.plan, false);
        return;
      }
      const at = this.group.toPerf(next.turn.from);
      if (ts + frame >= at - frame / 2) this.switchTo(next, ts, null, at);
      return;
    }
    if (!cur) return this.switchTo(next, ts, null, ts);
    if (next.cutIn) return this.switchTo(next, ts, null, ts, "schedule changed");
    const end = this.plannedEnd(cur);
    // Switch in the frame whose successor is presented closest to the planned end.
    if (end !== null && ts + frame >= end - frame / 2) this.switchTo(next, ts, null, end);
  }

  /** When the current item should give way, or null while a film still plays. */
  private plannedEnd(cur: Showing): number | null {
    const { slide } = cur;
    const video = slide.video;
    if (!video || !slide.item.until_media_ends) return cur.plannedEnd;
    const last = this.frames.lastFrameOf(video);
    if (video.ended) return last ? last.presentedAt + last.duration : performance.now();
    if (!last || !Number.isFinite(video.duration)) return null;
    // The last frame is on screen when its media time plus its own length reaches the end.
    if (last.mediaTime + last.duration / 1000 >= video.duration - 0.001) return last.presentedAt + last.duration;
    return null;
  }

  private switchTo(next: Upcoming, ts: number, failure: string | null, expectedAt: number, endedBy?: string): void {
    const prev = this.current;
    this.upcoming = null;
    const { slide, plan } = next;
    const fade = plan.crossfade_ms;
    if (prev) {
      const leaving = prev.slide;
      leaving.el.style.setProperty("--fade-ms", `${fade}ms`);
      leaving.el.classList.add("is-leaving", fade > 0 ? "is-fading" : "is-cut");
      this.end(prev, ts + this.frames.interval, failure ?? endedBy ?? null);
      if (audible(prev.slide)) this.opts.onFilmSound?.(false);
    }
    if (audible(slide)) this.opts.onFilmSound?.(true);
    if (prev && plan.playlist !== prev.plan.playlist) {
      this.opts.events?.record("playlist_change", { from: prev.plan.playlist, to: plan.playlist, reason: plan.chosen.by });
    }
    this.plan = plan;
    this.setCorner(plan);
    const showing: Showing = { slide, plan, shownAt: ts, plannedEnd: Infinity, gapMs: 0, turn: next.turn, follower: null };
    this.current = showing;
    this.el.dataset.playing = `${plan.playlist}/${slide.item.id}`;
    // The frame after this one is the first that shows the new item. Only then is
    // the old item torn down and the next one built: both cost the webview's main
    // thread (a film's decoder pipeline), which must not delay that frame.
    // A film shows its first frame, already decoded, in the switch frame and starts
    // in the next one: starting it costs the main thread, which the switch must not.
    this.frames.afterNextFrame((presented) => {
      if (prev) window.setTimeout(() => prev.slide.dispose(), fade + SETTLE_MS);
      window.setTimeout(() => void this.prepareFollowing(), fade + SETTLE_MS * 2);
      if (this.current !== showing) return;
      slide.start();
      if (slide.video) this.frames.lastFrameOf(slide.video); // count its frames from the start
      showing.shownAt = presented;
      showing.plannedEnd = presented + slide.item.planned_ms;
      showing.gapMs = prev && !failure ? Math.max(0, presented - expectedAt) : 0;
      this.followGroup(showing, presented);
      this.opts.events?.record("item_start", {
        playlist: plan.playlist,
        item: slide.item.id,
        kind: slide.item.kind,
        blob: slide.item.blob,
        planned_ms: slide.item.planned_ms,
        gap_ms: prev ? round(showing.gapMs) : null,
        after: prev ? `${prev.plan.playlist}/${prev.slide.item.id}` : null,
        timing: this.frames.method(slide.video ?? prev?.slide.video ?? null),
        frame_ms: round(this.frames.interval),
        switch_frame_ms: round(presented - ts),
        late_ms: round(ts - expectedAt),
      });
    });
  }

  /** In a sync group: the frame log's record of the item's first frame, and a
   *  film kept on the group's clock. */
  private followGroup(showing: Showing, presented: number): void {
    const { turn, slide } = showing;
    if (!this.group || !turn) return;
    const log = this.frameLog ? { record: this.frameLog, slot: turn.slot.start, item: slide.item.id } : null;
    const joined = turn.from > turn.slot.start;
    log?.record.add({ kind: "start", slot: turn.slot.start, item: slide.item.id, wall: FrameLog.wall(presented), ...(joined ? { joined } : {}) });
    if (slide.video) showing.follower = new FilmFollower(slide.video, turn.slot.start, this.group, this.frames, log);
  }

  private end(shown: Showing, at: number, reason: string | null): void {
    const video = shown.slide.video;
    const frames = video ? this.frames.framesOf(video) : null;
    this.opts.events?.record("item_end", {
      playlist: shown.plan.playlist,
      item: shown.slide.item.id,
      blob: shown.slide.item.blob,
      planned_ms: shown.slide.item.planned_ms,
      actual_ms: round(at - shown.shownAt),
      skip_reason: reason,
      dropped_frames: frames ? frames.expected - frames.presented : null,
      total_frames: frames ? frames.expected : null,
    });
  }

  private setCorner(plan: PlayerPlan): void {
    const url = plan.badge_url;
    if (this.corner.dataset.url === (url ?? "")) return;
    this.corner.dataset.url = url ?? "";
    this.corner.replaceChildren(...(url ? [h("img", { class: "player-corner-badge", attrs: { alt: "TOP 1 ICF 2023", src: url, draggable: "false" } })] : []));
  }
}

function audible(slide: Slide): boolean {
  return !!slide.video && !slide.video.muted;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

