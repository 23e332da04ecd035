import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/core/clock.ts';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const clock = new ManualClock(new Date());
const platform = useTestPlatform({ clock });

const VERIFY = `mutation($input: VerifyAccessInput!) { verifyAccess(input: $input) {
  __typename ... on AccessDecision { granted reason bookingId } ... on Error { message } } }`;
const minute = 60_000;

describe('access credentials (PIN and QR token)', () => {
  it('open the box only inside the booking period plus the town’s grace (default 15 min)', async () => {
    const { spaces } = await createGarage(platform.database.db, {
      tenantId: 'soest',
      spaces: { STANDARD: 2 },
    });
    const operator = await platform.staff('soest', 'operator');
    const commuter = await platform.commuter();
    const from = hoursFromNow(2, clock.now());
    const to = hoursFromNow(4, clock.now());
    const created = (
      await platform.gql(
        CREATE_BOOKING,
        { input: { spaceId: spaces[0]!.id, from, to, idempotencyKey: 'pin' } },
        commuter.token,
      )
    ).data.createBooking;
    const { accessPin: pin, qrToken, id } = created;
    expect(pin).toMatch(/^\d{6}$/);
    await platform.gql(
      `mutation($id: ID!) { confirmBooking(id: $id) { __typename } }`,
      { id },
      commuter.token,
    );
    const check = async (input: Record<string, unknown>) =>
      (await platform.gql(VERIFY, { input: { spaceId: spaces[0]!.id, ...input } }, operator.token)).data
        .verifyAccess;

    clock.advance(from.getTime() - clock.now().getTime() - 16 * minute);
    expect(await check({ pin })).toMatchObject({ granted: false });
    expect(await check({ qrToken })).toMatchObject({ granted: false, reason: 'invalid_token' });

    clock.advance(2 * minute); // 14 minutes before the start: inside the grace
    expect(await check({ pin })).toMatchObject({ granted: true, bookingId: id });
    expect(await check({ qrToken })).toMatchObject({ granted: true, bookingId: id });
    expect(await check({ pin: pin === '000000' ? '111111' : '000000' })).toMatchObject({ granted: false });
    // The QR token is bound to its space.
    const other = await platform.gql(VERIFY, { input: { spaceId: spaces[1]!.id, qrToken } }, operator.token);
    expect(other.data.verifyAccess).toMatchObject({ granted: false, reason: 'wrong_space' });
    // A forged token (signature changed) is refused.
    const forged = `${qrToken.slice(0, -4)}AAAA`;
    expect(await check({ qrToken: forged })).toMatchObject({ granted: false, reason: 'invalid_token' });

    clock.advance(to.getTime() - clock.now().getTime() + 14 * minute);
    expect(await check({ pin })).toMatchObject({ granted: true });
    clock.advance(2 * minute);
    expect(await check({ pin })).toMatchObject({ granted: false });
    expect(await check({ qrToken })).toMatchObject({ granted: false });
  });

  it('a cancelled booking opens nothing; commuters may not ask; a PIN is stored only as a hash', async () => {
    const { spaces } = await createGarage(platform.database.db, { tenantId: 'soest' });
    const operator = await platform.staff('soest', 'operator');
    const commuter = await platform.commuter();
    const from = new Date(clock.now().getTime() + minute);
    const created = (
      await platform.gql(
        CREATE_BOOKING,
        {
          input: {
            spaceId: spaces[0]!.id,
            from,
            to: new Date(from.getTime() + 120 * minute),
            idempotencyKey: 'c',
          },
        },
        commuter.token,
      )
    ).data.createBooking;
    await platform.gql(
      `mutation($id: ID!) { confirmBooking(id: $id) { __typename } }`,
      { id: created.id },
      commuter.token,
    );
    const input = { spaceId: spaces[0]!.id, pin: created.accessPin };
    expect((await platform.gql(VERIFY, { input }, operator.token)).data.verifyAccess.granted).toBe(true);
    expect((await platform.gql(VERIFY, { input }, commuter.token)).data.verifyAccess.__typename).toBe(
      'ForbiddenError',
    );
    const stored = await platform.database.db
      .selectFrom('booking')
      .select('pin_hash')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.pin_hash).not.toContain(created.accessPin);
    expect(stored.pin_hash!.length).toBeGreaterThan(20);

    await platform.gql(
      `mutation($id: ID!) { cancelBooking(id: $id) { __typename } }`,
      { id: created.id },
      commuter.token,
    );
    expect((await platform.gql(VERIFY, { input }, operator.token)).data.verifyAccess.granted).toBe(false);
  });
});
