// The QR code a kiosk would show for a text (drawn by the server).

import { qrUrl } from "../api/routes";

export function QrCode({ text, label, size = 112 }: { text: string; label: string; size?: number }) {
  return (
    <figure class="qr">
      <img src={qrUrl(text)} width={size} height={size} alt={label} />
      <figcaption>
        <code>{text}</code>
      </figcaption>
    </figure>
  );
}
