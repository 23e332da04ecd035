import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { UNLOCK, type UnlockResult } from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { type ActionAnswer, LockAction } from './lock-action.tsx';
import { errorText } from './ui.tsx';

/**
 * Opens the box. The API waits for the lock's own answer (or its timeout), so what shows
 * here is what the lock said, not a guess: open, refused, failed, or unreachable.
 */
export function UnlockPanel({ bookingId, onAnswered }: { bookingId: string; onAnswered(): Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ActionAnswer | null>(null);

  const unlock = async () => {
    setBusy(true);
    setAnswer(null);
    try {
      const { unlock: result } = await gql<{ unlock: UnlockResult }>(UNLOCK, { bookingId });
      if (result.__typename === 'LockCommand' && 'status' in result) {
        const kind =
          result.status === 'ACKED'
            ? 'success'
            : result.status === 'PENDING' || result.status === 'SENT'
              ? 'info'
              : 'error';
        setAnswer({ kind, text: t.booking.lockAnswer[result.status] });
        await onAnswered().catch(() => {});
      } else {
        setAnswer({ kind: 'error', text: errorText(i18n, result) });
      }
    } catch (err) {
      setAnswer({ kind: 'error', text: errorText(i18n, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">{t.booking.unlockTitle}</h2>
      <p class="hint">{t.booking.unlockHint}</p>
      <LockAction
        answerId="unlock-answer"
        label={t.booking.unlock}
        busyLabel={t.booking.unlocking}
        busy={busy}
        onClick={unlock}
        answer={answer}
      />
    </section>
  );
}
