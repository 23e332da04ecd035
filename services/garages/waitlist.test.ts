import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const platform = useTestPlatform();

const JOIN = `mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
  __typename ... on WaitlistEntry { id status } ... on ValidationError { field message } ... on Error { message } } }`;
const CANCEL = `mutation($id: ID!) { cancelBooking(id: $id) { __typename ... on Booking { status } } }`;
const NOTIFICATIONS = `{ myNotifications { edges { node { kind subject body payloadJson emailStatus } } } }`;
const NO_SHOW = `mutation($id: ID!) { markNoShow(id: $id) { __typename ... on Booking { status } ... on Error { message } } }`;

describe('waitlist', () => {
  it('when the only cargo box frees, everyone waiting is told and the first to book wins', async () => {
    const { site, spaces } = await createGarage(platform.database.db, { spaces: { CARGO: 1, STANDARD: 1 } });
    const cargo = spaces.find((s) => s.type === 'CARGO')!;
    const period = { from: hoursFromNow(20).toISOString(), to: hoursFromNow(22).toISOString() };
    const [holder, bea, carl] = await Promise.all([
      platform.commuter('holder'),
      platform.commuter('bea'),
      platform.commuter('carl'),
    ]);

    const held = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: cargo.id, ...period, idempotencyKey: 'h' } },
      holder.token,
    );
    const joinInput = { siteId: site.id, spaceType: 'CARGO', ...period };
    expect((await platform.gql(JOIN, { input: joinInput }, bea.token)).data.joinWaitlist.__typename).toBe(
      'WaitlistEntry',
    );
    expect((await platform.gql(JOIN, { input: joinInput }, carl.token)).data.joinWaitlist.__typename).toBe(
      'WaitlistEntry',
    );
    // Joining again is harmless: the same entry comes back.
    const again = await platform.gql(JOIN, { input: joinInput }, carl.token);
    expect(again.data.joinWaitlist.__typename).toBe('WaitlistEntry');

    await platform.gql(CANCEL, { id: held.data.createBooking.id }, holder.token);
    await platform.runBackgroundOnce();

    for (const waiting of [bea, carl]) {
      const inbox = (await platform.gql(NOTIFICATIONS, {}, waiting.token)).data.myNotifications.edges.map(
        (e: any) => e.node,
      );
      expect(inbox).toHaveLength(1);
      expect(inbox[0].kind).toBe('waitlist_space_free');
      expect(inbox[0].subject).toContain('Platz frei');
      expect(JSON.parse(inbox[0].payloadJson).spaceId).toBe(cargo.id);
      // No SMTP configured in tests: the e-mail went to the log, and is marked so.
      expect(inbox[0].emailStatus).toBe('LOGGED');
    }
    expect((await platform.gql(NOTIFICATIONS, {}, holder.token)).data.myNotifications.edges).toHaveLength(0);

    const [first, second] = await Promise.all([
      platform.gql(
        CREATE_BOOKING,
        { input: { spaceId: cargo.id, ...period, idempotencyKey: 'b' } },
        bea.token,
      ),
      platform.gql(
        CREATE_BOOKING,
        { input: { spaceId: cargo.id, ...period, idempotencyKey: 'c' } },
        carl.token,
      ),
    ]);
    expect([first.data.createBooking.__typename, second.data.createBooking.__typename].sort()).toEqual([
      'Booking',
      'SpaceUnavailableError',
    ]);
  });

  it('nobody is told when the freed period does not overlap the wish, or another space type frees', async () => {
    const { site, spaces } = await createGarage(platform.database.db, { spaces: { CARGO: 1, STANDARD: 1 } });
    const cargo = spaces.find((s) => s.type === 'CARGO')!;
    const standard = spaces.find((s) => s.type === 'STANDARD')!;
    const [holder, waiter] = [await platform.commuter(), await platform.commuter()];
    const wish = { from: hoursFromNow(40).toISOString(), to: hoursFromNow(42).toISOString() };
    await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: cargo.id, ...wish, idempotencyKey: 'w' } },
      holder.token,
    );
    await platform.gql(JOIN, { input: { siteId: site.id, spaceType: 'CARGO', ...wish } }, waiter.token);

    const elsewhen = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: cargo.id, from: hoursFromNow(50), to: hoursFromNow(52), idempotencyKey: 'x' } },
      holder.token,
    );
    const standardBooking = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: standard.id, ...wish, idempotencyKey: 'y' } },
      holder.token,
    );
    await platform.gql(CANCEL, { id: elsewhen.data.createBooking.id }, holder.token);
    await platform.gql(CANCEL, { id: standardBooking.data.createBooking.id }, holder.token);
    await platform.runBackgroundOnce();
    expect((await platform.gql(NOTIFICATIONS, {}, waiter.token)).data.myNotifications.edges).toHaveLength(0);
  });

  it('an operator’s no-show and an expired hold release the space too', async () => {
    const { site, spaces } = await createGarage(platform.database.db, {
      tenantId: 'arnsberg',
      spaces: { LARGE: 1 },
    });
    const [holder, waiter] = [await platform.commuter(), await platform.commuter()];
    const operator = await platform.staff('arnsberg', 'operator');
    const booked = await platform.gql(
      CREATE_BOOKING,
      {
        input: {
          spaceId: spaces[0]!.id,
          from: new Date().toISOString(),
          to: hoursFromNow(6),
          idempotencyKey: 'n',
        },
      },
      holder.token,
    );
    const id = booked.data.createBooking.id;
    await platform.gql(`mutation($id: ID!) { confirmBooking(id: $id) { __typename } }`, { id }, holder.token);
    await platform.gql(
      JOIN,
      {
        input: {
          siteId: site.id,
          spaceType: 'LARGE',
          from: hoursFromNow(2).toISOString(),
          to: hoursFromNow(4).toISOString(),
        },
      },
      waiter.token,
    );
    expect((await platform.gql(NO_SHOW, { id }, operator.token)).data.markNoShow.status).toBe('NO_SHOW');
    await platform.runBackgroundOnce();
    expect((await platform.gql(NOTIFICATIONS, {}, waiter.token)).data.myNotifications.edges).toHaveLength(1);

    // An expired hold: set the hold into the past directly, then sweep.
    const next = await platform.gql(
      CREATE_BOOKING,
      { input: { spaceId: spaces[0]!.id, from: hoursFromNow(2), to: hoursFromNow(4), idempotencyKey: 'm' } },
      holder.token,
    );
    await sql`update booking set hold_expires_at = now() - interval '1 minute' where id = ${next.data.createBooking.id}`.execute(
      platform.database.db,
    );
    await platform.runBackgroundOnce();
    expect((await platform.gql(NOTIFICATIONS, {}, waiter.token)).data.myNotifications.edges).toHaveLength(2);
  });

  it('joining is refused while a space of the type is free, and needs a valid period', async () => {
    const { site } = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const commuter = await platform.commuter();
    const free = await platform.gql(
      JOIN,
      { input: { siteId: site.id, spaceType: 'STANDARD', from: hoursFromNow(2), to: hoursFromNow(3) } },
      commuter.token,
    );
    expect(free.data.joinWaitlist).toMatchObject({ __typename: 'ValidationError', field: 'spaceType' });
    const reversed = await platform.gql(
      JOIN,
      { input: { siteId: site.id, spaceType: 'STANDARD', from: hoursFromNow(3), to: hoursFromNow(2) } },
      commuter.token,
    );
    expect(reversed.data.joinWaitlist).toMatchObject({ __typename: 'ValidationError', field: 'to' });
  });
});
