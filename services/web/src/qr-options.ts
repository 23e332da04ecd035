import type { QRCodeToStringOptions } from 'qrcode';

/**
 * How the booking QR code is drawn: dark modules on white with the standard quiet zone,
 * whatever the page's colours, so every lock scanner reads it. The browser tests render the
 * same token with the same options and compare.
 */
export const QR_OPTIONS: QRCodeToStringOptions = {
  type: 'svg',
  errorCorrectionLevel: 'M',
  margin: 4,
  color: { dark: '#000000', light: '#ffffff' },
};
