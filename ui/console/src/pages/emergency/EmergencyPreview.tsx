// A 16:9 screen, scaled down, showing an emergency message the way the kiosk does
// (ui/kiosk/src/styles/emergency.css: dark veil, amber bands, the first language
// large, the others beneath, the time it was issued).

import { useT } from "../../i18n";

export type Line = { locale: string; text: string };

export function EmergencyPreview({ lines, time, caption, testId }: { lines: Line[]; time: string; caption: string; testId?: string }) {
  const t = useT();
  const [first, ...rest] = lines;
  return (
    <figure class="em-preview" data-testid={testId}>
      <div class="em-frame">
        <div class="em-screen">
          <div class="em-band" aria-hidden="true" />
          <div class="em-card">
            <svg class="em-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" aria-hidden="true" focusable="false">
              <path d="M12 3.8 21.2 19.5H2.8z" stroke-linejoin="round" />
              <path d="M12 9.5v4.8" />
              <circle cx="12" cy="17" r="0.6" fill="currentColor" />
            </svg>
            <div class="em-words">
              {first ? (
                <p class="em-main" lang={first.locale} data-testid="preview-line">
                  {first.text}
                </p>
              ) : (
                <p class="em-main em-empty">{t("emergency.previewEmpty")}</p>
              )}
              {rest.map((line) => (
                <p key={line.locale} class="em-more" lang={line.locale} data-testid="preview-line">
                  {line.text}
                </p>
              ))}
              <p class="em-time">{time}</p>
            </div>
          </div>
          <div class="em-band em-band-bottom" aria-hidden="true" />
        </div>
      </div>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
