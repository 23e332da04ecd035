import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';
import { bookingRepository } from '../garages/booking.repository.ts';
import { siteRepository } from '../garages/site.repository.ts';
import { spaceRepository } from '../garages/space.repository.ts';
import { PgCode, pgErrorCode } from './errors.ts';
import { type Actor, withActor } from './tenancy.ts';

let platform: Awaited<ReturnType<typeof createTestPlatform>>;
let soest: Awaited<ReturnType<typeof createGarage>>;
let olpe: Awaited<ReturnType<typeof createGarage>>;
let olpeStaff: { token: string; id: string };
let soestBookingId: string;
let commuterToken: string;

beforeAll(async () => {
  platform = await createTestPlatform();
  soest = await createGarage(platform.database.db, { tenantId: 'soest', spaces: { STANDARD: 2 } });
  olpe = await createGarage(platform.database.db, { tenantId: 'olpe', spaces: { STANDARD: 1 } });
  olpeStaff = await platform.staff('olpe', 'operator');
  const commuter = await platform.commuter();
  commuterToken = commuter.token;
  const booked = await platform.gql(
    CREATE_BOOKING,
    {
      input: {
        spaceId: soest.spaces[0]!.id,
        from: hoursFromNow(4),
        to: hoursFromNow(6),
        idempotencyKey: 'soest',
      },
    },
    commuter.token,
  );
  soestBookingId = booked.data.createBooking.id;
});
afterAll(async () => {
  await platform?.dropDatabase();
});

describe('Olpe staff cannot read or change Soest data — through GraphQL', () => {
  it('sees only Olpe sites, not a Soest site by id', async () => {
    const sites = await platform.gql(
      '{ sites(first: 100) { edges { node { id tenant { id } } } } }',
      {},
      olpeStaff.token,
    );
    const tenants = new Set(sites.data.sites.edges.map((e: any) => e.node.tenant.id));
    expect([...tenants]).toEqual(['olpe']);
    const one = await platform.gql(
      'query($id: ID!) { site(id: $id) { id } }',
      { id: soest.site.id },
      olpeStaff.token,
    );
    expect(one.data.site).toBeNull();
  });

  it('cannot read a Soest booking, nor list Soest bookings', async () => {
    const one = await platform.gql(
      'query($id: ID!) { booking(id: $id) { id } }',
      { id: soestBookingId },
      olpeStaff.token,
    );
    expect(one.data.booking).toBeNull();
    const list = await platform.gql(
      'query($f: DateTime!, $t: DateTime!) { tenantBookings(from: $f, to: $t) { edges { node { id } } } }',
      { f: hoursFromNow(0), t: hoursFromNow(48) },
      olpeStaff.token,
    );
    expect(list.data.tenantBookings.edges).toEqual([]);
  });

  it('cannot edit or retire a Soest site, add a space to it, or cancel a Soest booking', async () => {
    const update = await platform.gql(
      `mutation($id: ID!) { updateSite(id: $id, input: { name: "Übernommen" }) { __typename } }`,
      { id: soest.site.id },
      olpeStaff.token,
    );
    expect(update.data.updateSite.__typename).toBe('NotFoundError');
    const retire = await platform.gql(
      `mutation($id: ID!) { retireSite(id: $id) { __typename } }`,
      { id: soest.site.id },
      olpeStaff.token,
    );
    expect(retire.data.retireSite.__typename).toBe('NotFoundError');
    const space = await platform.gql(
      `mutation($siteId: ID!) { createSpace(input: { siteId: $siteId, label: "X1", type: STANDARD }) { __typename } }`,
      { siteId: soest.site.id },
      olpeStaff.token,
    );
    expect(space.data.createSpace.__typename).toBe('NotFoundError');
    const cancel = await platform.gql(
      `mutation($id: ID!) { cancelBooking(id: $id) { __typename } }`,
      { id: soestBookingId },
      olpeStaff.token,
    );
    expect(cancel.data.cancelBooking.__typename).toBe('NotFoundError');

    const soestNow = await platform.gql('query($id: ID!) { site(id: $id) { name } }', { id: soest.site.id });
    expect(soestNow.data.site.name).toBe(soest.site.name);
    const booking = await platform.gql(
      'query($id: ID!) { booking(id: $id) { status } }',
      { id: soestBookingId },
      commuterToken,
    );
    expect(booking.data.booking.status).toBe('HELD');
  });

  it('can still manage Olpe', async () => {
    const update = await platform.gql(
      `mutation($id: ID!) { updateSite(id: $id, input: { name: "Radboxen Olpe Nord" }) { __typename ... on Site { name } } }`,
      { id: olpe.site.id },
      olpeStaff.token,
    );
    expect(update.data.updateSite).toEqual({ __typename: 'Site', name: 'Radboxen Olpe Nord' });
  });
});

describe('Olpe staff cannot read or change Soest data — through the repository layer', () => {
  const olpeOperator = (): Actor => ({ role: 'operator', tenantId: 'olpe', accountId: olpeStaff.id });

  it('runs as a role that is neither superuser nor table owner, so policies apply', async () => {
    const who = await withActor(
      platform.database.db,
      olpeOperator(),
      async (tx) =>
        (
          await sql<{ user: string; superuser: string; bypass: boolean }>`
          select current_user as user, current_setting('is_superuser') as superuser,
                 (select rolbypassrls from pg_roles where rolname = current_user) as bypass`.execute(tx)
        ).rows[0],
    );
    expect(who).toEqual({ user: 'swf_app', superuser: 'off', bypass: false });
  });

  it('reads no Soest rows even when asking for them by id or without any filter', async () => {
    await withActor(platform.database.db, olpeOperator(), async (tx) => {
      expect(await siteRepository.findById(tx, soest.site.id)).toBeUndefined();
      expect(await spaceRepository.findById(tx, soest.spaces[0]!.id)).toBeUndefined();
      expect(await bookingRepository.findById(tx, soestBookingId)).toBeUndefined();
      const everySite = await tx.selectFrom('site').select('tenant_id').execute();
      expect(new Set(everySite.map((s) => s.tenant_id))).toEqual(new Set(['olpe']));
      const everyBooking = await tx.selectFrom('booking').select('id').execute();
      expect(everyBooking).toEqual([]);
      const devices = await tx.selectFrom('device').select(['tenant_id']).execute();
      expect(devices.every((d) => d.tenant_id === 'olpe')).toBe(true);
    });
  });

  it('changes no Soest rows: updates hit nothing, inserts are refused by the policy', async () => {
    await withActor(platform.database.db, olpeOperator(), async (tx) => {
      expect(await siteRepository.update(tx, soest.site.id, { name: 'Übernommen' })).toBeUndefined();
      const result = await tx
        .updateTable('booking')
        .set({ status: 'cancelled' })
        .where('id', '=', soestBookingId)
        .executeTakeFirst();
      expect(Number(result.numUpdatedRows)).toBe(0);
    });
    const insert = withActor(platform.database.db, olpeOperator(), (tx) =>
      siteRepository.insert(tx, { tenantId: 'soest', name: 'Eingeschmuggelt', lat: 51.57, lon: 8.1 }),
    );
    await expect(insert).rejects.toSatisfy((e) => pgErrorCode(e) === PgCode.insufficientPrivilege);
    const moveOwnSite = withActor(platform.database.db, olpeOperator(), (tx) =>
      tx.updateTable('site').set({ tenant_id: 'soest' }).where('id', '=', olpe.site.id).execute(),
    );
    await expect(moveOwnSite).rejects.toSatisfy((e) => pgErrorCode(e) === PgCode.insufficientPrivilege);

    const untouched = await sql<{ name: string; status: string }>`
      select s.name, b.status from site s join booking b on b.site_id = s.id where b.id = ${soestBookingId}`.execute(
      platform.database.db,
    );
    expect(untouched.rows[0]).toEqual({ name: soest.site.name, status: 'held' });
  });

  it('a commuter sees only their own bookings', async () => {
    const stranger = await platform.commuter('stranger');
    const one = await platform.gql(
      'query($id: ID!) { booking(id: $id) { id } }',
      { id: soestBookingId },
      stranger.token,
    );
    expect(one.data.booking).toBeNull();
    const cancel = await platform.gql(
      `mutation($id: ID!) { cancelBooking(id: $id) { __typename } }`,
      { id: soestBookingId },
      stranger.token,
    );
    expect(cancel.data.cancelBooking.__typename).toBe('NotFoundError');
  });
});
