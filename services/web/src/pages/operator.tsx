import { useMemo, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { type BookingStatus, type Connection, TENANT_BOOKINGS } from '../api/operations.ts';
import { DevicesSection } from '../components/operator-devices.tsx';
import { FleetSection } from '../components/operator-fleet.tsx';
import { SitesSection } from '../components/operator-sites.tsx';
import { TariffsSection } from '../components/operator-tariffs.tsx';
import { LoadState, Notice, PageTitle, TableScroll, useLoad } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../session.tsx';

/** Operations for town staff: what stands where, what the devices report, who comes today. */
export function OperatorPage() {
  const { t } = useI18n();
  const { account } = useSession();
  if (account === undefined) return <p>{t.common.loading}</p>;
  if (!account?.staffRole) {
    return (
      <>
        <PageTitle text={t.operator.title} />
        <Notice kind="error">{t.operator.forbidden}</Notice>
      </>
    );
  }
  // Planners look; operators and admins also manage sites, spaces and tariffs (as the API allows).
  const canManage = account.staffRole !== 'PLANNER';
  return (
    <>
      <PageTitle text={t.operator.title} />
      {account.staffTenant && <p class="muted">{t.operator.town(account.staffTenant.name)}</p>}
      <DevicesSection />
      <BookingsToday />
      <SitesSection canManage={canManage} />
      <TariffsSection tenantId={account.staffTenant?.id} canManage={canManage} />
      <FleetSection tenantId={account.staffTenant?.id} canManage={canManage} />
    </>
  );
}

interface TenantBooking {
  id: string;
  status: BookingStatus;
  from: string;
  to: string;
  space: { label: string };
  site: { name: string };
}

/** Today's bookings of the town, 50 at a time (the query cost limit counts the page size). */
function BookingsToday() {
  const i18n = useI18n();
  const { t } = i18n;
  const [pages, setPages] = useState<string[]>([]);
  const [more, setMore] = useState<TenantBooking[]>([]);
  const day = useMemo(() => {
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    const end = new Date(start);
    end.setDate(end.getDate() + 1);
    return { from: start.toISOString(), to: end.toISOString() };
  }, []);
  const loaded = useLoad(
    () =>
      gql<{ tenantBookings: Connection<TenantBooking> }>(TENANT_BOOKINGS, {
        ...day,
        after: pages.at(-1) ?? null,
      }),
    [day, pages],
  );
  const page = loaded.data?.tenantBookings;
  const bookings = [...more, ...(page?.edges.map((e) => e.node) ?? [])];
  const loadMore = () => {
    if (!page?.pageInfo?.endCursor) return;
    setMore(bookings);
    setPages([...pages, page.pageInfo.endCursor]);
  };
  return (
    <section class="card" aria-labelledby="today-heading">
      <h2 id="today-heading">{t.operator.bookingsToday}</h2>
      <LoadState loaded={loaded} />
      {loaded.data && bookings.length === 0 && <p>{t.operator.noBookingsToday}</p>}
      {bookings.length > 0 && (
        <TableScroll label={t.operator.bookingsToday}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.operator.time}</th>
                <th scope="col">{t.operator.site}</th>
                <th scope="col">{t.operator.label}</th>
                <th scope="col">{t.booking.status}</th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => (
                <tr key={b.id}>
                  <td>
                    {i18n.time(b.from)}–{i18n.time(b.to)}
                  </td>
                  <td>{b.site.name}</td>
                  <td>{b.space.label}</td>
                  <td>{t.bookingStatus[b.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {page?.pageInfo?.hasNextPage && (
        <button type="button" onClick={loadMore} disabled={loaded.loading}>
          {t.operator.more}
        </button>
      )}
    </section>
  );
}
