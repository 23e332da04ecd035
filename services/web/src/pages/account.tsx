import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  type BookingSummary,
  type Connection,
  LEAVE_WAITLIST,
  MARK_NOTIFICATION_READ,
  MY_BOOKINGS,
  MY_NOTIFICATIONS,
  MY_WAITLIST,
  type Notification,
  type WaitlistEntry,
} from '../api/operations.ts';
import { errorText, LoadState, Notice, PageTitle, useLoad } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, paths } from '../router.tsx';
import { useSession } from '../session.tsx';
import { BookingPeriod } from './booking.tsx';

/** Three lists, each loaded on its own: one slow or failing list does not hide the others. */
export function AccountPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { account } = useSession();
  const bookings = useLoad(
    async () =>
      account ? (await gql<{ myBookings: Connection<BookingSummary> }>(MY_BOOKINGS)).myBookings : null,
    [account?.id],
  );
  const notifications = useLoad(
    async () =>
      account
        ? (await gql<{ myNotifications: Connection<Notification> }>(MY_NOTIFICATIONS)).myNotifications
        : null,
    [account?.id],
  );
  const waitlist = useLoad(
    async () => (account ? (await gql<{ myWaitlist: WaitlistEntry[] }>(MY_WAITLIST)).myWaitlist : null),
    [account?.id],
  );
  const [actionError, setActionError] = useState<string | null>(null);

  if (account === null) {
    return (
      <>
        <PageTitle text={t.account.title} />
        <Link class="button primary" href={paths.signIn(paths.account())}>
          {t.nav.signIn}
        </Link>
      </>
    );
  }

  /** Mark read / leave: run, then show the list as it is now. */
  const act = async (query: string, id: string, reload: () => void) => {
    setActionError(null);
    try {
      const data = await gql<Record<string, { __typename: string; message?: string }>>(query, { id });
      const result = Object.values(data)[0];
      if (result?.message) setActionError(errorText(i18n, result));
    } catch (err) {
      setActionError(errorText(i18n, err));
    }
    reload();
  };

  return (
    <>
      <PageTitle text={t.account.title} />
      {account && <p class="muted">{t.account.signedInAs(account.email)}</p>}
      {actionError && <Notice kind="error">{actionError}</Notice>}
      <div class="account-grid">
        <section aria-labelledby="bookings-heading">
          <h2 id="bookings-heading">{t.account.bookings}</h2>
          <LoadState loaded={bookings} />
          {bookings.data?.edges.length === 0 && <p>{t.account.noBookings}</p>}
          <ul class="plain-list">
            {bookings.data?.edges.map(({ node: b }) => (
              <li key={b.id} class="card">
                <h3>
                  <Link href={paths.booking(b.id)}>
                    {b.site.name} · {t.booking.box(b.space.label)}
                  </Link>
                </h3>
                <p>
                  <BookingPeriod booking={b} />
                </p>
                <p class={`status status-${b.status.toLowerCase()}`}>{t.bookingStatus[b.status]}</p>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="notifications-heading">
          <h2 id="notifications-heading">{t.account.notifications}</h2>
          <LoadState loaded={notifications} />
          {notifications.data?.edges.length === 0 && <p>{t.account.noNotifications}</p>}
          <ul class="plain-list">
            {notifications.data?.edges.map(({ node: n }) => (
              <li key={n.id} class={n.read ? 'card' : 'card unread'}>
                <h3>
                  {!n.read && <span class="badge">{t.account.unread}</span>} {n.subject}
                </h3>
                <p class="muted">{i18n.dateTime(n.createdAt)}</p>
                <p class="pre-line">{n.body}</p>
                {!n.read && (
                  <button
                    type="button"
                    onClick={() => act(MARK_NOTIFICATION_READ, n.id, notifications.reload)}
                  >
                    {t.account.markRead}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="waitlist-heading">
          <h2 id="waitlist-heading">{t.account.waitlist}</h2>
          <LoadState loaded={waitlist} />
          {waitlist.data?.length === 0 && <p>{t.account.noWaitlist}</p>}
          <ul class="plain-list">
            {waitlist.data?.map((w) => (
              <li key={w.id} class="card">
                <h3>
                  {w.site.name} · {t.spaceType[w.spaceType]}
                </h3>
                <p>
                  <BookingPeriod booking={w} />
                </p>
                <p class="muted">
                  {t.account.waitlistStatus(t.account.waitlistStates[w.status] ?? w.status)}
                </p>
                {w.status !== 'LEFT' && (
                  <button type="button" onClick={() => act(LEAVE_WAITLIST, w.id, waitlist.reload)}>
                    {t.account.leaveWaitlist}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
