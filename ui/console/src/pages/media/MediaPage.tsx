// The media library: upload, search and filter, thumbnails with what the server found
// out about each file, and where each one is used.

import { useState } from "preact/hooks";
import { fileUrl, listMedia } from "../../api/routes";
import type { MediaItem, MediaKind } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { MediaFacts } from "../../components/MediaFacts";
import { MediaThumb } from "../../components/MediaThumb";
import { PageHeader } from "../../components/PageHeader";
import { useLang, useT } from "../../i18n";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { useStore } from "../../lib/store";
import { useDebounced } from "../../lib/use-debounced";
import { useLoad } from "../../lib/use-load";
import { kindKey } from "../../lib/kinds";
import { UploadPanel } from "./UploadPanel";

const KINDS: Array<MediaKind | ""> = ["", "image", "video", "sound", "document"];

function MediaCard({ item }: { item: MediaItem }) {
  const t = useT();
  const lang = useLang();
  return (
    <li class="card media-card" data-testid="media-card" data-name={item.name}>
      <MediaThumb item={item} />
      <div class="media-card-body">
        <h3 class="media-name" title={item.name}>
          <a href={fileUrl(item.sha256)} target="_blank" rel="noopener">
            {item.name}
          </a>
        </h3>
        <p class="media-kind">
          <span class={`badge badge-kind-${item.kind}`}>{t(kindKey(item.kind))}</span>
          <span class="muted">{item.media_type}</span>
        </p>
        <MediaFacts item={item} />
        <p class="media-meta muted">
          {t("media.uploaded", { who: item.uploaded_by, when: formatDateTime(item.uploaded_at, lang) })}
        </p>
        {item.used_in.length === 0 ? (
          <p class="used-in muted">{t("media.unused")}</p>
        ) : (
          <details class="used-in">
            <summary>{t("media.usedIn", { n: item.used_in.length })}</summary>
            <ul>
              {item.used_in.map((use) => (
                <li key={`${use.channel}-${use.place}-${use.live}`}>
                  <strong>{use.channel}</strong> · {use.place}{" "}
                  <span class={use.live ? "badge badge-live" : "badge badge-editing"}>
                    {use.live ? t("media.live") : t("media.inDraft")}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
    </li>
  );
}

export function MediaPage() {
  const t = useT();
  const { me } = useStore(session);
  const [q, setQ] = useState("");
  const [kind, setKind] = useState<MediaKind | "">("");
  // Search as the person types, a moment after they stop.
  const query = useDebounced(q, 250).trim();
  const { data, error, loading, reload } = useLoad(() => listMedia(query, kind), [query, kind]);
  const mayUpload = !!me && (me.is_admin || me.roles.some((g) => g.role !== "viewer"));
  const items = data?.media ?? [];

  return (
    <>
      <PageHeader title={t("media.title")} subtitle={t("media.subtitle")} />
      {mayUpload && <UploadPanel onUploaded={reload} />}
      <section aria-labelledby="library-title" class="library">
        <div class="toolbar">
          <h2 id="library-title">{t("media.library")}</h2>
          <div class="field inline">
            <label for="media-search">{t("media.search")}</label>
            <input id="media-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
          </div>
          <div class="field inline">
            <label for="media-kind">{t("media.kind")}</label>
            <select id="media-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as MediaKind | "")}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {k ? t(`kind.${k}`) : t("kind.all")}
                </option>
              ))}
            </select>
          </div>
          <span class="muted" aria-live="polite">
            {loading ? t("loading") : t("media.count", { n: items.length })}
          </span>
        </div>
        <ErrorNotice error={error} />
        {!loading && items.length === 0 && <p class="empty">{t("media.empty")}</p>}
        <ul class="media-grid">
          {items.map((item) => (
            <MediaCard key={item.sha256} item={item} />
          ))}
        </ul>
      </section>
    </>
  );
}
