// Brochures: title and summary per language, a PDF per language from the library,
// and the QR code visitors scan to take each one home.

import type { Brochure, ContentPack, LocaleInfo } from "../../api/types";
import { LocaleText } from "../../components/LocaleFields";
import { MediaSlot } from "../../components/MediaPicker";
import { Notice } from "../../components/Notice";
import { QrCode } from "../../components/QrCode";
import { useT } from "../../i18n";
import { stripMarks } from "../../lib/format";
import { useLibrary } from "../../lib/library";
import { brochureMissing } from "../../lib/locales";

/** Sample booth address: each screen puts its own address in the code it shows. */
const SAMPLE_BASE = "http://192.168.1.20:8088";

/** A file name a phone may save under: letters, digits, "-", "_", ".", ending in .pdf. */
function safeFileName(name: string, fallback: string): string {
  const base = stripMarks(name);
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "");
  const named = clean.toLowerCase().endsWith(".pdf") ? clean : `${clean || fallback}.pdf`;
  return named.slice(-120);
}

function BrochureCard({
  brochure,
  locales,
  disabled,
  edit,
}: {
  brochure: Brochure;
  locales: LocaleInfo[];
  disabled: boolean;
  edit: (change: (b: Brochure) => void) => void;
}) {
  const t = useT();
  const find = useLibrary();
  const missing = brochureMissing(brochure, locales.map((l) => l.tag));
  const base = `brochure-${brochure.id}`;
  return (
    <section class="card brochure-card" aria-labelledby={`${base}-h`}>
      <div class="card-head">
        <h2 id={`${base}-h`}>{brochure.id}</h2>
        {missing > 0 && <span class="missing-count">{t("story.missingCount", { n: missing })}</span>}
      </div>
      <LocaleText
        id={`${base}-title`}
        label={t("story.title")}
        locales={locales}
        value={brochure.title}
        disabled={disabled}
        onChange={(tag, text) => edit((b) => (b.title[tag] = text))}
      />
      <LocaleText
        id={`${base}-summary`}
        label={t("story.summary")}
        locales={locales}
        value={brochure.summary}
        multiline
        rows={2}
        disabled={disabled}
        onChange={(tag, text) => edit((b) => (b.summary[tag] = text))}
      />
      <fieldset class="locale-field">
        <legend>{t("brochure.files")}</legend>
        <div class="brochure-files">
          {locales.map((locale) => {
            const file = brochure.file[locale.tag];
            return (
              <div key={locale.tag} class={file ? "brochure-file" : "brochure-file missing"}>
                <MediaSlot
                  label={`${t("brochure.pdf")} · ${locale.name}`}
                  kind="document"
                  value={file?.blob ?? null}
                  disabled={disabled}
                  onChange={(sha) =>
                    edit((b) => {
                      if (!sha) {
                        delete b.file[locale.tag];
                        return;
                      }
                      const name = find(sha)?.name ?? `${brochure.id}-${locale.tag}.pdf`;
                      b.file[locale.tag] = { blob: sha, file_name: safeFileName(name, `${brochure.id}-${locale.tag}`) };
                    })
                  }
                />
                {file ? (
                  <QrCode text={`${SAMPLE_BASE}/brochures/${brochure.id}/${locale.tag}.pdf`} label={t("brochure.qr", { lang: locale.name })} />
                ) : (
                  <p class="missing-mark">{t("story.missing")}</p>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </section>
  );
}

export function BrochuresEditor({
  pack,
  locales,
  disabled,
  edit,
}: {
  pack: ContentPack;
  locales: LocaleInfo[];
  disabled: boolean;
  edit: (change: (pack: ContentPack) => void) => void;
}) {
  const t = useT();
  return (
    <div class="stack">
      <Notice kind="info">{t("brochure.sample", { base: SAMPLE_BASE })}</Notice>
      {pack.brochures.length === 0 && <p class="empty">{t("brochure.none")}</p>}
      {pack.brochures.map((brochure, i) => (
        <BrochureCard
          key={brochure.id}
          brochure={brochure}
          locales={locales}
          disabled={disabled}
          edit={(change) => edit((p) => change(p.brochures[i]))}
        />
      ))}
    </div>
  );
}
