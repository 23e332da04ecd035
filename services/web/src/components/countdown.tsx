import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.tsx';
import { formatDuration } from '../time.ts';

/** The current time, renewed every `intervalMs`; for countdowns. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * "Starts in 1 h 20 min". role=timer is not read out on every tick (its live region is
 * off), so a screen reader hears it when it reaches it, not once a second.
 */
export function Countdown({ label, target }: { label: string; target: string }) {
  const { t } = useI18n();
  const now = useNow();
  return (
    <p class="countdown">
      <span>{label}</span> <strong role="timer">{formatDuration(new Date(target).getTime() - now, t)}</strong>
    </p>
  );
}
