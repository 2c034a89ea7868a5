// Every channel the person may see: its live version and when it was published, the
// state of its draft, and links to work on it.

import type { ApiError } from "../api/client";
import { getDraft } from "../api/routes";
import type { ChannelRow, Draft } from "../api/types";
import { ErrorNotice } from "../components/ErrorNotice";
import { Icon } from "../components/Icon";
import { PageHeader } from "../components/PageHeader";
import { StateBadge } from "../components/StateBadge";
import { useLang, useT } from "../i18n";
import { channels, chooseChannel } from "../lib/channels";
import { formatDateTime } from "../lib/format";
import { roleOn } from "../lib/roles";
import { href, type Page } from "../lib/router";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { useLoad } from "../lib/use-load";

/** The pages a channel card links to, to work on that channel. */
const LINKS: Page[] = ["story", "signage", "review", "releases"];

type Row = { channel: ChannelRow; draft: Draft | null; error: ApiError | null };

async function drafts(rows: ChannelRow[]): Promise<Row[]> {
  return Promise.all(
    rows.map(async (channel) => {
      try {
        return { channel, draft: await getDraft(channel.name), error: null };
      } catch (e) {
        const error = e as ApiError;
        return { channel, draft: null, error: error.code === "no_release" ? null : error };
      }
    }),
  );
}

/** The newest publish time among the channels. */
function latest(rows: ChannelRow[]): string | null {
  return rows.map((r) => r.published_at).filter((at): at is string => !!at).sort().pop() ?? null;
}

export function OverviewPage() {
  const t = useT();
  const lang = useLang();
  const { rows, error: listError } = useStore(channels);
  const { me } = useStore(session);
  const { data, error } = useLoad(() => drafts(rows), [rows]);

  return (
    <>
      <PageHeader title={t("overview.title")} subtitle={t("overview.subtitle")} />
      {listError && <ErrorNotice error={new Error(listError)} />}
      <ErrorNotice error={error} />
      {rows.length === 0 && <p class="empty">{t("overview.none")}</p>}
      {rows.length > 0 && (
        <dl class="stats">
          <div>
            <dt>{t("overview.statChannels")}</dt>
            <dd>{rows.length}</dd>
          </div>
          <div>
            <dt>{t("overview.statLive")}</dt>
            <dd>{rows.filter((r) => r.version !== null).length}</dd>
          </div>
          <div>
            <dt>{t("overview.statReview")}</dt>
            <dd data-testid="in-review-count">{(data ?? []).filter((r) => r.draft?.state === "in_review").length}</dd>
          </div>
          <div>
            <dt>{t("overview.statLatest")}</dt>
            <dd class="small-value">{formatDateTime(latest(rows), lang)}</dd>
          </div>
        </dl>
      )}
      <div class="channel-grid">
        {(data ?? rows.map((channel) => ({ channel, draft: null, error: null }))).map(({ channel, draft, error }) => {
          const role = roleOn(me, channel.name);
          return (
            <section class="card channel-card" key={channel.name} aria-labelledby={`ch-${channel.name}`} data-channel={channel.name}>
              <div class="card-head">
                <h2 id={`ch-${channel.name}`}>{channel.name}</h2>
                {role && <span class="role-chip subtle">{t(`role.${role}`)}</span>}
              </div>
              <dl class="facts">
                <div>
                  <dt>{t("overview.live")}</dt>
                  <dd data-testid="live-version">
                    {channel.version === null ? t("overview.nothingLive") : t("overview.version", { v: channel.version })}
                  </dd>
                </div>
                <div>
                  <dt>{t("overview.published")}</dt>
                  <dd>{formatDateTime(channel.published_at, lang)}</dd>
                </div>
                <div>
                  <dt>{t("overview.draft")}</dt>
                  <dd>
                    <StateBadge state={draft?.state ?? null} />
                  </dd>
                </div>
                {draft && (
                  <div>
                    <dt>{t("overview.lastSaved")}</dt>
                    <dd>
                      {draft.revision === 0
                        ? t("overview.untouched")
                        : t("overview.savedBy", { who: draft.updated_by, when: formatDateTime(draft.updated_at, lang) })}
                    </dd>
                  </div>
                )}
                {draft?.state === "in_review" && draft.submitted_by && (
                  <div>
                    <dt>{t("overview.submitted")}</dt>
                    <dd>
                      {t("overview.savedBy", { who: draft.submitted_by, when: formatDateTime(draft.submitted_at, lang) })}
                    </dd>
                  </div>
                )}
              </dl>
              {error && <ErrorNotice error={error} />}
              <div class="quick-links">
                {LINKS.map((page) => (
                  <a
                    key={page}
                    class="button small"
                    href={href(page)}
                    aria-label={`${t(`nav.${page}`)} · ${channel.name}`}
                    onClick={() => chooseChannel(channel.name)}
                  >
                    <Icon name={page} />
                    <span>{t(`nav.${page}`)}</span>
                  </a>
                ))}
              </div>
            </section>
          );
        })}
      </div>
    </>
  );
}
