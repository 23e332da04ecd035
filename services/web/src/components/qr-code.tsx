import { useEffect, useState } from 'preact/hooks';
import { QR_OPTIONS } from '../qr-options.ts';

/** The booking's signed QR token as an SVG the lock's scanner reads from the phone screen. */
export function QrCode({ value, label }: { value: string; label: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    // Loaded on demand: only a booking page needs the encoder.
    import('qrcode')
      .then(({ default: QRCode }) => QRCode.toString(value, QR_OPTIONS))
      .then((markup) => current && setSvg(markup))
      .catch(() => current && setSvg(null));
    return () => {
      current = false;
    };
  }, [value]);
  if (!svg) return null;
  // The markup comes from the qrcode library, not from the token: safe to insert.
  return (
    <div
      class="qr"
      role="img"
      aria-label={label}
      data-testid="qr-code"
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}
