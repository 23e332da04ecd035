import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSpace, CREATE_BOOKING, createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { createTestPlatform } from '../../test/support/platform.ts';

/**
 * availabilityChanged over Server-Sent Events against a real HTTP server, fed by the booking
 * trigger's pg_notify on real PostgreSQL: what a browser showing a garage's free boxes sees.
 */

type Platform = Awaited<ReturnType<typeof createTestPlatform>>;
let platform: Platform;
let server: ServerType;
let baseUrl: string;

/** Long enough for a loaded CI box; polling returns as soon as the event is there. */
const EVENT_DEADLINE_MS = 20_000;

interface AvailabilityEvent {
  siteId: string;
  spaceId: string;
  bookingStatus: string;
  at: string;
}

/** Reads an SSE response in the background and keeps every `next` event's payload. */
class EventStream {
  readonly events: AvailabilityEvent[] = [];
  readonly errors: unknown[] = [];
  opened = false;
  ended = false;
  private buffer = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly body: ReadableStream<Uint8Array>) {
    void this.read();
  }

  private async read(): Promise<void> {
    const reader = this.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.opened = true;
        this.buffer += this.decoder.decode(value, { stream: true });
        let end = this.buffer.indexOf('\n\n');
        while (end >= 0) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
          end = this.buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      // Aborting the request at the end of the test lands here.
      if (!(error instanceof Error && error.name === 'AbortError')) this.errors.push(error);
    } finally {
      this.ended = true;
    }
  }

  /** One SSE message: `event: next` + `data: {...}`; comment lines (`:` keep-alives) are skipped. */
  private parse(message: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of message.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event !== 'next' || data.length === 0) return;
    const payload = JSON.parse(data.join('\n')) as {
      data?: { availabilityChanged: AvailabilityEvent };
      errors?: unknown[];
    };
    if (payload.errors) this.errors.push(payload.errors);
    if (payload.data) this.events.push(payload.data.availabilityChanged);
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** GET with the query in the URL (EventSource), or POST with a JSON body that declares its length. */
async function subscribe(
  siteId: string,
  signal: AbortSignal,
  method: 'GET' | 'POST' = 'GET',
): Promise<EventStream> {
  const query = `subscription { availabilityChanged(siteId: "${siteId}") { siteId spaceId bookingStatus at } }`;
  const response =
    method === 'GET'
      ? await fetch(`${baseUrl}/graphql?query=${encodeURIComponent(query)}`, {
          headers: { accept: 'text/event-stream' },
          signal,
        })
      : await fetch(`${baseUrl}/graphql`, {
          method: 'POST',
          headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
          signal,
        });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const stream = new EventStream(response.body!);
  // Yoga opens every stream with a `:` comment; once it arrived, the subscription is being iterated.
  await waitFor('the stream to open', () => (stream.opened ? true : undefined));
  return stream;
}

beforeAll(async () => {
  platform = await createTestPlatform();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (server) {
    // SSE connections never end by themselves; drop them so close() returns.
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await platform?.dropDatabase();
});

describe('availabilityChanged over SSE', () => {
  it('streams the holds and cancellations of one site, and nothing of other sites', async () => {
    const watched = await createGarage(platform.database.db, { spaces: { STANDARD: 2 } });
    const elsewhere = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const commuter = await platform.commuter('sse');
    const abort = new AbortController();

    try {
      const stream = await subscribe(watched.site.id, abort.signal);

      const book = async (spaceId: string, key: string) => {
        const result = await platform.gql(
          CREATE_BOOKING,
          {
            input: {
              spaceId,
              from: hoursFromNow(24).toISOString(),
              to: hoursFromNow(26).toISOString(),
              idempotencyKey: key,
            },
          },
          commuter.token,
        );
        expect(result.data.createBooking.__typename).toBe('Booking');
        return result.data.createBooking.id as string;
      };
      const eventFor = (spaceId: string, bookingStatus: string) =>
        waitFor(`${bookingStatus} for space ${spaceId}`, () =>
          stream.events.find((e) => e.spaceId === spaceId && e.bookingStatus === bookingStatus),
        );

      const spaceId = watched.spaces[0]!.id;
      const bookingId = await book(spaceId, 'sse-held');
      const held = await eventFor(spaceId, 'HELD');
      expect(held).toMatchObject({ siteId: watched.site.id, spaceId, bookingStatus: 'HELD' });
      expect(Number.isNaN(Date.parse(held.at))).toBe(false);

      const cancelled = await platform.gql(
        `mutation($id: ID!) { cancelBooking(id: $id) { __typename ... on Booking { status } } }`,
        { id: bookingId },
        commuter.token,
      );
      expect(cancelled.data.cancelBooking).toEqual({ __typename: 'Booking', status: 'CANCELLED' });
      await eventFor(spaceId, 'CANCELLED');

      // A booking elsewhere, then a marker booking here: notifications arrive in commit order
      // on the one LISTEN connection, so once the marker is in, a leaked event would be too.
      await book(elsewhere.spaces[0]!.id, 'sse-elsewhere');
      const markerSpaceId = watched.spaces[1]!.id;
      await book(markerSpaceId, 'sse-marker');
      await eventFor(markerSpaceId, 'HELD');

      expect(stream.events.map((e) => [e.siteId, e.spaceId, e.bookingStatus])).toEqual([
        [watched.site.id, spaceId, 'HELD'],
        [watched.site.id, spaceId, 'CANCELLED'],
        [watched.site.id, markerSpaceId, 'HELD'],
      ]);
      expect(stream.errors).toEqual([]);
      expect(stream.ended).toBe(false);
    } finally {
      abort.abort();
    }
  });

  it('streams as well when the subscription is POSTed with a JSON body', async () => {
    const watched = await createGarage(platform.database.db, { spaces: { STANDARD: 1 } });
    const commuter = await platform.commuter('sse-post');
    const abort = new AbortController();
    try {
      const stream = await subscribe(watched.site.id, abort.signal, 'POST');
      const spaceId = watched.spaces[0]!.id;
      const booked = await bookSpace(platform, commuter.token, {
        spaceId,
        fromHours: 30,
        toHours: 31,
        key: 'sse-post',
        now: new Date(),
      });
      expect(booked.data.createBooking.__typename).toBe('Booking');
      const held = await waitFor('HELD over the POSTed subscription', () =>
        stream.events.find((e) => e.spaceId === spaceId && e.bookingStatus === 'HELD'),
      );
      expect(held.siteId).toBe(watched.site.id);
      expect(stream.errors).toEqual([]);
    } finally {
      abort.abort();
    }
  });
});
