// The console: the sign-in page until someone is signed in, then the header, the
// left navigation, the banner of screens gone offline and the current page of the
// current channel.

import { useEffect } from "preact/hooks";
import { FleetBanner } from "./components/FleetBanner";
import { Header, Brand, LanguageSwitch } from "./components/Header";
import { Nav } from "./components/Nav";
import { ReauthDialog } from "./components/ReauthDialog";
import { SignInForm } from "./components/SignInForm";
import { useT } from "./i18n";
import { channels, loadChannels } from "./lib/channels";
import { anyUnsaved } from "./lib/draft";
import { seesAnyChannel } from "./lib/roles";
import { route, type Page } from "./lib/router";
import { loadSession, session } from "./lib/session";
import { useStore } from "./lib/store";
import { AuditPage } from "./pages/AuditPage";
import { EmergencyPage } from "./pages/emergency/EmergencyPage";
import { FleetPage } from "./pages/fleet/FleetPage";
import { MediaPage } from "./pages/media/MediaPage";
import { OverviewPage } from "./pages/OverviewPage";
import { ReleasesPage } from "./pages/ReleasesPage";
import { ReportsPage } from "./pages/reports/ReportsPage";
import { ReviewPage } from "./pages/review/ReviewPage";
import { SignagePage } from "./pages/signage/SignagePage";
import { StoryPage } from "./pages/story/StoryPage";
import { UsersPage } from "./pages/users/UsersPage";

const PAGES: Record<Page, () => preact.JSX.Element> = {
  overview: OverviewPage,
  fleet: FleetPage,
  media: MediaPage,
  story: StoryPage,
  signage: SignagePage,
  review: ReviewPage,
  releases: ReleasesPage,
  emergency: EmergencyPage,
  reports: ReportsPage,
  audit: AuditPage,
  users: UsersPage,
};

window.addEventListener("beforeunload", (event) => {
  if (anyUnsaved()) event.preventDefault();
});

function SignInPage({ reason }: { reason: "expired" | "signed-out" | null }) {
  const t = useT();
  return (
    <div class="signin-page">
      <header class="signin-top">
        <LanguageSwitch />
      </header>
      <main class="signin-card" aria-labelledby="signin-title">
        <Brand />
        <h1 id="signin-title">{t("signin.title")}</h1>
        <p class="muted">{t("signin.intro")}</p>
        <SignInForm notice={reason} />
      </main>
      <footer class="signin-foot">{t("signin.foot")}</footer>
    </div>
  );
}

export function App() {
  const t = useT();
  const { status, me, reason } = useStore(session);
  const page = useStore(route);
  const { loaded } = useStore(channels);

  useEffect(() => {
    void loadSession();
  }, []);
  useEffect(() => {
    if (me) void loadChannels(me);
  }, [me?.name]);
  useEffect(() => {
    document.title = `${t(`nav.${page}`)} · ${t("brand.console")}`;
  });

  if (status === "loading") {
    return (
      <main class="splash" aria-busy="true">
        <p>{t("loading")}</p>
      </main>
    );
  }
  if (status === "signed-out" || !me) return <SignInPage reason={reason} />;

  const refused = (page === "users" && !me.is_admin) || (page === "reports" && !seesAnyChannel(me));
  const Current = PAGES[refused ? "overview" : page];
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t("skip")}
      </a>
      <Header />
      <div class="shell-body">
        <Nav />
        <main id="main" class="page" tabIndex={-1}>
          <FleetBanner />
          {loaded ? <Current /> : <p class="muted">{t("loading")}</p>}
        </main>
      </div>
      <ReauthDialog />
    </div>
  );
}
