import { describe, expect, it } from 'vitest';
import { CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const platform = useTestPlatform();

describe('createBooking idempotency', () => {
  it('the same key with the same input returns the same booking, without showing the PIN again', async () => {
    const { spaces } = await createGarage(platform.database.db);
    const commuter = await platform.commuter();
    const input = {
      spaceId: spaces[0]!.id,
      from: hoursFromNow(5),
      to: hoursFromNow(7),
      idempotencyKey: 'retry-me',
    };
    const first = await platform.gql(CREATE_BOOKING, { input }, commuter.token);
    const second = await platform.gql(CREATE_BOOKING, { input }, commuter.token);
    expect(first.data.createBooking.__typename).toBe('Booking');
    expect(first.data.createBooking.accessPin).toMatch(/^\d{6}$/);
    expect(second.data.createBooking.__typename).toBe('Booking');
    expect(second.data.createBooking.id).toBe(first.data.createBooking.id);
    expect(second.data.createBooking.accessPin).toBeNull();
  });

  it('the same key with different input is an IdempotencyConflictError and books nothing', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 2 } });
    const commuter = await platform.commuter();
    const input = { spaceId: spaces[0]!.id, from: hoursFromNow(5), to: hoursFromNow(7), idempotencyKey: 'k' };
    await platform.gql(CREATE_BOOKING, { input }, commuter.token);
    const conflict = await platform.gql(
      CREATE_BOOKING,
      { input: { ...input, spaceId: spaces[1]!.id } },
      commuter.token,
    );
    expect(conflict.data.createBooking.__typename).toBe('IdempotencyConflictError');
    const mine = await platform.gql(
      '{ myBookings { edges { node { id space { id } } } } }',
      {},
      commuter.token,
    );
    expect(mine.data.myBookings.edges.map((e: any) => e.node.space.id)).toEqual([spaces[0]!.id]);
  });

  it('keys belong to an account: another commuter may use the same key', async () => {
    const { spaces } = await createGarage(platform.database.db, { spaces: { STANDARD: 2 } });
    const [a, b] = [await platform.commuter('a'), await platform.commuter('b')];
    const ra = await platform.gql(
      CREATE_BOOKING,
      {
        input: { spaceId: spaces[0]!.id, from: hoursFromNow(5), to: hoursFromNow(6), idempotencyKey: 'same' },
      },
      a.token,
    );
    const rb = await platform.gql(
      CREATE_BOOKING,
      {
        input: { spaceId: spaces[1]!.id, from: hoursFromNow(5), to: hoursFromNow(6), idempotencyKey: 'same' },
      },
      b.token,
    );
    expect([ra.data.createBooking.__typename, rb.data.createBooking.__typename]).toEqual([
      'Booking',
      'Booking',
    ]);
    expect(ra.data.createBooking.id).not.toBe(rb.data.createBooking.id);
  });

  it('ten concurrent retries with one key create one booking and all get it back', async () => {
    const { spaces } = await createGarage(platform.database.db);
    const commuter = await platform.commuter();
    const input = {
      spaceId: spaces[0]!.id,
      from: hoursFromNow(10),
      to: hoursFromNow(12),
      idempotencyKey: 'flaky-network',
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => platform.gql(CREATE_BOOKING, { input }, commuter.token)),
    );
    const ids = new Set(results.map((r) => r.data.createBooking.id));
    expect(results.map((r) => r.data.createBooking.__typename)).toEqual(Array(10).fill('Booking'));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.data.createBooking.accessPin !== null)).toHaveLength(1);
  });
});
