// Hashtags and social channels; each channel is shown on the kiosk as a QR card.

import type { ContentPack } from "../../api/types";
import { Icon } from "../../components/Icon";
import { QrCode } from "../../components/QrCode";
import { useT } from "../../i18n";

export function SocialEditor({
  pack,
  disabled,
  edit,
}: {
  pack: ContentPack;
  disabled: boolean;
  edit: (change: (pack: ContentPack) => void) => void;
}) {
  const t = useT();
  const { hashtags, channels } = pack.social;
  return (
    <div class="stack">
      <div class="field">
        <label for="hashtags">{t("social.hashtags")}</label>
        <input
          id="hashtags"
          value={hashtags.join(" ")}
          disabled={disabled}
          aria-describedby="hashtags-hint"
          onInput={(e) => {
            const tags = e.currentTarget.value.split(/\s+/).filter(Boolean).map((tag) => (tag.startsWith("#") ? tag : `#${tag}`));
            edit((p) => (p.social.hashtags = tags));
          }}
        />
        <p id="hashtags-hint" class="hint">
          {t("social.hashtagsHint")}
        </p>
      </div>
      <ul class="social-grid">
        {channels.map((channel, i) => {
          const valid = /^https:\/\/\S+$/.test(channel.url);
          return (
            <li class="card social-card" key={i}>
              <div class="social-fields">
                <div class="field">
                  <label for={`social-name-${i}`}>{t("social.name")}</label>
                  <input id={`social-name-${i}`} value={channel.name} disabled={disabled} onInput={(e) => {
                    const v = e.currentTarget.value;
                    edit((p) => (p.social.channels[i].name = v));
                  }} />
                </div>
                <div class="field">
                  <label for={`social-handle-${i}`}>{t("social.handle")}</label>
                  <input id={`social-handle-${i}`} value={channel.handle} disabled={disabled} onInput={(e) => {
                    const v = e.currentTarget.value;
                    edit((p) => (p.social.channels[i].handle = v));
                  }} />
                </div>
                <div class={valid ? "field" : "field invalid"}>
                  <label for={`social-url-${i}`}>{t("social.url")}</label>
                  <input
                    id={`social-url-${i}`}
                    type="url"
                    value={channel.url}
                    disabled={disabled}
                    aria-invalid={valid ? undefined : true}
                    onInput={(e) => {
                      const v = e.currentTarget.value;
                      edit((p) => (p.social.channels[i].url = v));
                    }}
                  />
                  {!valid && <p class="field-error">{t("social.urlRule")}</p>}
                </div>
                {!disabled && (
                  <button
                    type="button"
                    class="button small ghost danger-text"
                    onClick={() => edit((p) => p.social.channels.splice(i, 1))}
                    aria-label={`${t("remove")}: ${channel.name || i + 1}`}
                  >
                    <Icon name="trash" />
                    {t("remove")}
                  </button>
                )}
              </div>
              {valid && <QrCode text={channel.url} label={t("social.qr", { name: channel.name })} size={120} />}
            </li>
          );
        })}
      </ul>
      {!disabled && (
        <button
          type="button"
          class="button"
          onClick={() => edit((p) => p.social.channels.push({ name: "", handle: "", url: "https://" }))}
        >
          <Icon name="plus" />
          {t("social.add")}
        </button>
      )}
    </div>
  );
}
