import { useState } from 'preact/hooks';
import type { ErrorResult } from '../api/client.ts';
import { gql } from '../api/client.ts';
import { JOIN_WAITLIST, type SpaceType } from '../api/operations.ts';
import { errorText, Notice } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';

type JoinResult = { __typename: 'WaitlistEntry'; id: string; status: string } | ErrorResult;

/** Every space of the kind is taken: ask to be told when one frees for this period. */
export function WaitlistForm(props: { siteId: string; spaceType: SpaceType; from: Date; to: Date }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [state, setState] = useState<'idle' | 'busy' | 'joined'>('idle');
  const [error, setError] = useState<string | null>(null);

  const join = async () => {
    setState('busy');
    setError(null);
    try {
      const { joinWaitlist } = await gql<{ joinWaitlist: JoinResult }>(JOIN_WAITLIST, {
        input: {
          siteId: props.siteId,
          spaceType: props.spaceType,
          from: props.from.toISOString(),
          to: props.to.toISOString(),
        },
      });
      if (joinWaitlist.__typename === 'WaitlistEntry') return setState('joined');
      setError(errorText(i18n, joinWaitlist));
    } catch (err) {
      setError(errorText(i18n, err));
    }
    setState('idle');
  };

  if (state === 'joined') return <Notice kind="success">{t.site.joinedWaitlist}</Notice>;
  return (
    <div class="stack">
      {error && <Notice kind="error">{error}</Notice>}
      <button type="button" class="primary" onClick={join} disabled={state === 'busy'}>
        {t.site.joinWaitlist}
      </button>
    </div>
  );
}
