import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const platform = useTestPlatform({ env: { LOCK_COMMAND_TIMEOUT_MS: '600' } });

const UNLOCK = `mutation($id: ID!) { unlock(bookingId: $id) { __typename
  ... on LockCommand { id status } ... on DeviceUnreachableError { commandId message } ... on Error { message } } }`;

async function confirmedBooking(from: Date, to: Date) {
  const { spaces } = await createGarage(platform.database.db, { tenantId: 'arnsberg' });
  const commuter = await platform.commuter();
  const created = await platform.gql(
    CREATE_BOOKING,
    { input: { spaceId: spaces[0]!.id, from, to, idempotencyKey: 'u' } },
    commuter.token,
  );
  const id = created.data.createBooking.id as string;
  await platform.gql(`mutation($id: ID!) { confirmBooking(id: $id) { __typename } }`, { id }, commuter.token);
  return { id, commuter, space: spaces[0]! };
}

describe('unlock without a lock that answers (no bridge running)', () => {
  it('writes the command to the outbox in the booking transaction and answers DeviceUnreachableError after the timeout', async () => {
    const { id, commuter, space } = await confirmedBooking(new Date(), hoursFromNow(3));
    const result = await platform.gql(UNLOCK, { id }, commuter.token);
    expect(result.data.unlock.__typename).toBe('DeviceUnreachableError');
    const command = await platform.database.db
      .selectFrom('device_command')
      .selectAll()
      .where('id', '=', result.data.unlock.commandId)
      .executeTakeFirstOrThrow();
    expect(command).toMatchObject({
      action: 'unlock',
      status: 'pending',
      booking_id: id,
      device_id: space.lockDeviceId,
    });
    expect(command.expires_at.getTime() - command.issued_at.getTime()).toBe(600);
    // The first opening started the booking.
    const booking = await platform.gql(
      'query($id: ID!) { booking(id: $id) { status } }',
      { id },
      commuter.token,
    );
    expect(booking.data.booking.status).toBe('ACTIVE');
    // The owner can follow the command; its transitions are on record.
    const followed = await platform.gql(
      'query($id: ID!) { lockCommand(id: $id) { status transitions { status } } }',
      { id: result.data.unlock.commandId },
      commuter.token,
    );
    expect(followed.data.lockCommand).toEqual({ status: 'PENDING', transitions: [{ status: 'PENDING' }] });
  });

  it('refuses outside the booking period plus grace, for other people, and for bookings that do not hold the box', async () => {
    const later = await confirmedBooking(hoursFromNow(5), hoursFromNow(7));
    expect((await platform.gql(UNLOCK, { id: later.id }, later.commuter.token)).data.unlock.__typename).toBe(
      'ForbiddenError',
    );
    const stranger = await platform.commuter();
    expect((await platform.gql(UNLOCK, { id: later.id }, stranger.token)).data.unlock.__typename).toBe(
      'NotFoundError',
    );
    await platform.gql(
      `mutation($id: ID!) { cancelBooking(id: $id) { __typename } }`,
      { id: later.id },
      later.commuter.token,
    );
    expect((await platform.gql(UNLOCK, { id: later.id }, later.commuter.token)).data.unlock.__typename).toBe(
      'ForbiddenError',
    );
    const commands = await platform.database.db
      .selectFrom('device_command')
      .select('id')
      .where('booking_id', '=', later.id)
      .execute();
    expect(commands).toEqual([]);
  });

  it('operators force-unlock only spaces of their own town, with a reason', async () => {
    const { spaces } = await createGarage(platform.database.db, { tenantId: 'soest' });
    const olpe = await platform.staff('olpe', 'operator');
    const soest = await platform.staff('soest', 'operator');
    const FORCE = `mutation($s: ID!, $r: String!) { forceUnlockSpace(spaceId: $s, reason: $r) { __typename ... on ValidationError { field } } }`;
    expect(
      (await platform.gql(FORCE, { s: spaces[0]!.id, r: 'Fahrrad klemmt' }, olpe.token)).data.forceUnlockSpace
        .__typename,
    ).toBe('NotFoundError');
    expect(
      (await platform.gql(FORCE, { s: spaces[0]!.id, r: ' ' }, soest.token)).data.forceUnlockSpace,
    ).toEqual({
      __typename: 'ValidationError',
      field: 'reason',
    });
    expect(
      (await platform.gql(FORCE, { s: spaces[0]!.id, r: 'Fahrrad klemmt' }, soest.token)).data
        .forceUnlockSpace.__typename,
    ).toBe('DeviceUnreachableError');
    // The reason is kept on record as a JSON object (not a double-encoded string).
    const stored = await sql<{ kind: string; reason: string }>`
      select jsonb_typeof(params) as kind, params->>'reason' as reason from device_command
      where space_id = ${spaces[0]!.id} and action = 'force_unlock'`.execute(platform.database.db);
    expect(stored.rows).toEqual([{ kind: 'object', reason: 'Fahrrad klemmt' }]);
    const planner = await platform.staff('soest', 'planner');
    expect(
      (await platform.gql(FORCE, { s: spaces[0]!.id, r: 'x' }, planner.token)).data.forceUnlockSpace
        .__typename,
    ).toBe('ForbiddenError');
  });
});
