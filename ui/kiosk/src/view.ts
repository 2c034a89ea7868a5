import type { KioskBackend } from "./backend/backend";
import type { LocalizedContent, Session } from "./backend/types";
import type { EventQueue } from "./events";

export type ScreenName = "attract" | "home" | "chapter" | "brochures" | "tour" | "signage";

/** Where the visitor is. A chapter route also names the scene shown; a tour route
 *  the stop whose card is open, so "back" from its story returns to it. */
export interface Route {
  screen: ScreenName;
  chapterId?: string;
  scene?: number;
  stopId?: string;
}

/** What a view may read and do; views never reach into the app directly. */
export interface ViewContext {
  session: Session;
  /** The pack in the current language. */
  content: LocalizedContent;
  /** The pack in every language, in the order of session.locales (attract loop). */
  contents: LocalizedContent[];
  /** The words of the interface (a missing key shows the key name). */
  t(key: string): string;
  go(route: Route): void;
  /** Record a change inside the view (e.g. the scene) without re-rendering it. */
  replace(route: Route): void;
  reducedMotion: boolean;
  /** The app, for views that ask it for more (the playlist player). */
  backend: KioskBackend;
  /** Proof of play and interaction events. */
  events: EventQueue;
  /** The surveys this visitor answered, and answering one. */
  surveys: SurveyAnswers;
}

/** A visitor's survey answers: one per survey, forgotten when the visit ends. */
export interface SurveyAnswers {
  /** The id of the answer this visitor chose in survey `surveyId`, if any. */
  chosen(surveyId: string): string | undefined;
  /** Records the visitor's answer (in the language shown). */
  answer(answer: { survey: string; option: string; chapter: string; scene: string }): void;
}

export interface View {
  el: HTMLElement;
  /** Stop films and timers; the element is about to leave. */
  destroy?(): void;
}
