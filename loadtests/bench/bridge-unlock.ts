import { sql } from 'kysely';
import { CONFIRM_BOOKING, CREATE_BOOKING, UNLOCK } from '../lib/operations.js';
import type { BenchDatabase } from './bench-database.ts';
import type { GraphQLClient } from './http-client.ts';
import { type LatencySummary, Samples } from './stats.ts';

/**
 * The unlock round trip as a commuter sees it: the `unlock` mutation over HTTP to the API
 * process, the command row + NOTIFY, the bridge's outbox, MQTT to the simulated lock (its own
 * process), the signed command checked, the ack back through the bridge, the notification to
 * the waiting mutation, the GraphQL answer. The transitions on record split each trip into
 * outbox pickup (pending → sent), device leg (sent → acked: MQTT, lock, ack stored) and the
 * rest (API before and after, HTTP).
 */
export interface UnlockBox {
  token: string;
  bookingId: string;
}

export interface UnlockPhase {
  total: LatencySummary;
  pickup: LatencySummary;
  deviceLeg: LatencySummary;
  api: LatencySummary;
  perSecond: number;
  outcomes: Record<string, number>;
}

/** One confirmed booking of a box with a lock per commuter, through the API. */
export async function bookBoxes(
  client: GraphQLClient,
  boxes: { spaceId: string; token: string }[],
  runId: string,
): Promise<UnlockBox[]> {
  const from = new Date();
  from.setUTCSeconds(0, 0);
  const to = new Date(from.getTime() + 3 * 3600_000);
  const booked: UnlockBox[] = [];
  for (const [i, box] of boxes.entries()) {
    const input = { spaceId: box.spaceId, from, to, idempotencyKey: `${runId}-unlock-${i}` };
    const created = await client.post(CREATE_BOOKING, { input }, box.token);
    const booking = created.body?.data?.createBooking as { id?: string; message?: string } | undefined;
    if (!booking?.id) throw new Error(`createBooking failed: ${JSON.stringify(created.body)}`);
    const confirmed = await client.post(CONFIRM_BOOKING, { id: booking.id }, box.token);
    const status = (confirmed.body?.data?.confirmBooking as { status?: string } | undefined)?.status;
    if (status !== 'CONFIRMED') throw new Error(`confirmBooking failed: ${JSON.stringify(confirmed.body)}`);
    booked.push({ token: box.token, bookingId: booking.id });
  }
  return booked;
}

/** `rounds` rounds of `width` unlocks at once (width 1: one after the other). */
export async function runUnlocks(
  client: GraphQLClient,
  database: BenchDatabase,
  boxes: UnlockBox[],
  options: { rounds: number; width: number },
): Promise<UnlockPhase> {
  const total = new Samples();
  const outcomes: Record<string, number> = {};
  const timed: { id: string; ms: number }[] = [];
  let next = 0;
  const started = performance.now();
  for (let r = 0; r < options.rounds; r++) {
    await Promise.all(
      Array.from({ length: options.width }, async () => {
        const box = boxes[next++ % boxes.length]!;
        const response = await client.post(UNLOCK, { bookingId: box.bookingId }, box.token);
        const answer = response.body?.data?.unlock as { __typename?: string; id?: string; status?: string };
        const outcome = answer?.status ?? answer?.__typename ?? `http_${response.status}`;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        total.add(response.ms);
        if (answer?.id) timed.push({ id: answer.id, ms: response.ms });
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const legs = await legsOf(database, timed);
  return {
    total: total.summary(),
    ...legs,
    perSecond: Math.round((total.count / seconds) * 10) / 10,
    outcomes,
  };
}

async function legsOf(database: BenchDatabase, timed: { id: string; ms: number }[]) {
  const pickup = new Samples();
  const deviceLeg = new Samples();
  const api = new Samples();
  if (timed.length === 0)
    return { pickup: pickup.summary(), deviceLeg: deviceLeg.summary(), api: api.summary() };
  const { rows } = await sql<{ command_id: string; status: string; at: Date }>`
    select command_id, status, at from device_command_transition
    where command_id = any(${`{${timed.map((t) => t.id).join(',')}}`}::uuid[])`.execute(database.handle.db);
  const at = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const entry = at.get(row.command_id) ?? {};
    entry[row.status] = new Date(row.at).getTime();
    at.set(row.command_id, entry);
  }
  for (const t of timed) {
    const e = at.get(t.id);
    if (e?.pending === undefined || e.sent === undefined || e.acked === undefined) continue;
    pickup.add(e.sent - e.pending);
    deviceLeg.add(e.acked - e.sent);
    api.add(t.ms - (e.acked - e.pending));
  }
  return { pickup: pickup.summary(), deviceLeg: deviceLeg.summary(), api: api.summary() };
}
