import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { gql, newIdempotencyKey } from '../api/client.ts';
import { watchPublic } from '../api/live.ts';
import {
  AVAILABILITY_CHANGED,
  type BookingResult,
  CREATE_BOOKING,
  type FreeSpace,
  SITE_AVAILABILITY,
  type Site,
  SPACE_TYPES,
  type SpaceType,
} from '../api/operations.ts';
import { rememberPin } from '../api/pin-store.ts';
import {
  PeriodFields,
  type PeriodValue,
  periodFromSearch,
  periodInstants,
} from '../components/period-fields.tsx';
import { QuoteLine } from '../components/quote.tsx';
import { errorText, LoadState, Notice, PageTitle, useLoad } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate, paths } from '../router.tsx';
import { useSession } from '../session.tsx';
import { defaultPeriod, formatDuration } from '../time.ts';
import { WaitlistForm } from './waitlist-form.tsx';

export function SitePage({ id, search }: { id: string; search: URLSearchParams }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { account } = useSession();
  const [period, setPeriod] = useState<PeriodValue>(() => {
    const value = periodFromSearch(search, defaultPeriod());
    return { ...value, spaceType: value.spaceType || 'STANDARD' };
  });
  const instants = periodInstants(period);
  const fromIso = instants?.from.toISOString();
  const toIso = instants?.to.toISOString();

  const loaded = useLoad(async () => {
    if (!fromIso || !toIso) return null;
    return gql<{ site: Site | null; availability: FreeSpace[] }>(SITE_AVAILABILITY, {
      id,
      from: fromIso,
      to: toIso,
    });
  }, [id, fromIso, toIso]);

  // Someone booked or cancelled here: ask again for the window on screen.
  const reload = useRef(loaded.reload);
  reload.current = loaded.reload;
  useEffect(() => watchPublic(AVAILABILITY_CHANGED, { siteId: id }, () => reload.current()), [id]);

  const site = loaded.data?.site;
  const free = loaded.data?.availability ?? [];
  const counts = useMemo(() => {
    const byType = new Map<SpaceType, FreeSpace[]>();
    for (const space of free) byType.set(space.type, [...(byType.get(space.type) ?? []), space]);
    return byType;
  }, [free]);
  const chosenType = period.spaceType || 'STANDARD';
  const chosenSpace = counts.get(chosenType)?.[0];

  if (loaded.data && !site) {
    return (
      <>
        <PageTitle text={t.site.notFound} />
        <Link href={paths.find()}>{t.common.back}</Link>
      </>
    );
  }

  const here = `${location.pathname}${location.search}`;
  return (
    <>
      <PageTitle text={site?.name ?? t.common.loading} />
      {site && (
        <p class="muted">
          {[site.address.street, [site.address.postalCode, site.address.city].filter(Boolean).join(' ')]
            .filter(Boolean)
            .join(', ')}
          <br />
          {site.openingHours && t.site.openingHours(site.openingHours)} · {t.site.town(site.tenant.name)}
        </p>
      )}
      <form class="card" onSubmit={(e) => e.preventDefault()} aria-labelledby="choose-heading">
        <h2 id="choose-heading">{t.site.choose}</h2>
        <PeriodFields
          idPrefix="site"
          value={period}
          anyType={false}
          onChange={(value) => setPeriod({ ...value, spaceType: value.spaceType || 'STANDARD' })}
        />
        {instants && (
          <p class="hint">
            {t.period.duration(formatDuration(instants.to.getTime() - instants.from.getTime(), t))}
          </p>
        )}
        <LoadState loaded={loaded} />
        {loaded.data && (
          <ul class="type-counts" aria-live="polite">
            {SPACE_TYPES.filter((type) => counts.has(type) || type === chosenType).map((type) => (
              <li key={type} class={counts.get(type)?.length ? 'free' : 'full'}>
                {t.site.freeOfType(t.spaceType[type], counts.get(type)?.length ?? 0)}
              </li>
            ))}
          </ul>
        )}
        <p class="hint">{t.site.live}</p>
      </form>

      {site && instants && chosenSpace && (
        <section class="card" aria-labelledby="book-heading">
          <h2 id="book-heading">{t.quote.title}</h2>
          <QuoteLine spaceId={chosenSpace.id} from={instants.from} to={instants.to} />
          {account ? (
            <BookButton
              space={chosenSpace}
              from={instants.from}
              to={instants.to}
              holdMinutes={site.tenant.holdMinutes}
              onTaken={loaded.reload}
            />
          ) : (
            <Link class="button primary" href={paths.signIn(here)}>
              {t.site.signInToBook}
            </Link>
          )}
        </section>
      )}

      {site && instants && loaded.data && !chosenSpace && (
        <section class="card" aria-labelledby="waitlist-heading">
          <h2 id="waitlist-heading">{t.site.waitlistTitle}</h2>
          <Notice kind="info">{t.site.noneFree}</Notice>
          <p>{t.site.waitlistIntro}</p>
          {account ? (
            <WaitlistForm siteId={site.id} spaceType={chosenType} from={instants.from} to={instants.to} />
          ) : (
            <Link class="button primary" href={paths.signIn(here)}>
              {t.site.signInToBook}
            </Link>
          )}
        </section>
      )}
    </>
  );
}

/**
 * Holds the space. The idempotency key belongs to this space and period: a double tap or
 * a retry after a lost answer returns the same booking instead of a second one.
 */
function BookButton(props: {
  space: FreeSpace;
  from: Date;
  to: Date;
  holdMinutes: number;
  /** Someone else was quicker: show the spaces that are still free. */
  onTaken(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useMemo(newIdempotencyKey, [props.space.id, props.from.getTime(), props.to.getTime()]);

  const onClick = async (event: JSX.TargetedMouseEvent<HTMLButtonElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { createBooking } = await gql<{ createBooking: BookingResult }>(CREATE_BOOKING, {
        input: {
          spaceId: props.space.id,
          from: props.from.toISOString(),
          to: props.to.toISOString(),
          idempotencyKey: key,
        },
      });
      if (createBooking.__typename === 'Booking' && 'id' in createBooking) {
        if (createBooking.accessPin) rememberPin(createBooking.id, createBooking.accessPin);
        navigate(paths.booking(createBooking.id));
        return;
      }
      setError(errorText(i18n, createBooking));
      if (createBooking.__typename === 'SpaceUnavailableError') props.onTaken();
    } catch (err) {
      setError(errorText(i18n, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <p class="hint">{t.site.holdNote(props.holdMinutes)}</p>
      {error && <Notice kind="error">{error}</Notice>}
      <button type="button" class="primary" onClick={onClick} disabled={busy}>
        {busy ? t.site.booking : t.site.book}
      </button>
    </div>
  );
}
