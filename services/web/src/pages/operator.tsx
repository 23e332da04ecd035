import { useMemo, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  type BookingStatus,
  type Connection,
  SITE_SPACES,
  STAFF_SITES,
  type StaffSite,
  type StaffSpace,
  TENANT_BOOKINGS,
} from '../api/operations.ts';
import { DevicesSection } from '../components/operator-devices.tsx';
import { FleetSection } from '../components/operator-fleet.tsx';
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
  return (
    <>
      <PageTitle text={t.operator.title} />
      {account.staffTenant && <p class="muted">{t.operator.town(account.staffTenant.name)}</p>}
      <DevicesSection />
      <BookingsToday />
      <SitesSection />
      <TariffsSection tenantId={account.staffTenant?.id} />
      <FleetSection tenantId={account.staffTenant?.id} />
    </>
  );
}

function SitesSection() {
  const { t } = useI18n();
  const sites = useLoad(() => gql<{ sites: Connection<StaffSite> }>(STAFF_SITES), []);
  const list = sites.data?.sites.edges.map((e) => e.node) ?? [];
  const [chosen, setChosen] = useState<string>('');
  const site = list.find((s) => s.id === chosen) ?? list[0];
  const spaces = useLoad(async () => {
    if (!site) return [];
    const data = await gql<{ site: { spaces: Connection<StaffSpace> } | null }>(SITE_SPACES, { id: site.id });
    return data.site?.spaces.edges.map((e) => e.node) ?? [];
  }, [site?.id]);
  return (
    <section class="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">{t.operator.sites}</h2>
      <LoadState loaded={sites} />
      {list.length > 0 && (
        <div class="field">
          <label for="operator-site">{t.operator.site}</label>
          <select id="operator-site" value={site?.id} onChange={(e) => setChosen(e.currentTarget.value)}>
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.retired ? ` (${t.operator.retired})` : ''}
              </option>
            ))}
          </select>
        </div>
      )}
      {site && <LoadState loaded={spaces} />}
      {site && spaces.data && (
        <TableScroll label={`${t.operator.spaces}: ${site.name}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.operator.label}</th>
                <th scope="col">{t.operator.type}</th>
                <th scope="col">{t.operator.lock}</th>
              </tr>
            </thead>
            <tbody>
              {spaces.data.map((space) => (
                <tr key={space.id} class={space.retired ? 'retired' : undefined}>
                  <td>
                    {space.label}
                    {space.retired && ` (${t.operator.retired})`}
                  </td>
                  <td>{t.spaceType[space.type]}</td>
                  <td>
                    <code>{space.lockDeviceId ?? '–'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
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
