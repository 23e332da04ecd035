import { getToken } from './client.ts';

/**
 * GraphQL subscriptions over Server-Sent Events (GET /graphql?query=…, graphql-yoga's
 * "distinct connections" mode: one stream per subscription, `event: next` per result).
 */

/** Waits between reconnects of an authenticated stream: quick at first, then patient. */
export const RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 15_000, 30_000];

function subscriptionUrl(query: string, variables: Record<string, unknown>): string {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  return `/graphql?${params.toString()}`;
}

/**
 * For public subscriptions (availabilityChanged): the browser's EventSource, which
 * reconnects by itself after a dropped connection. Returns the function that stops it.
 */
export function watchPublic<T>(
  query: string,
  variables: Record<string, unknown>,
  onNext: (data: T) => void,
): () => void {
  const source = new EventSource(subscriptionUrl(query, variables));
  source.addEventListener('next', (event) => {
    const payload = JSON.parse((event as MessageEvent<string>).data) as { data?: T };
    if (payload.data) onNext(payload.data);
  });
  // The server ended the subscription; EventSource would otherwise reconnect forever.
  source.addEventListener('complete', () => source.close());
  return () => source.close();
}

/**
 * For subscriptions that need the signed-in account (deviceAlertRaised). EventSource cannot
 * send an Authorization header, and a token in the URL would end up in logs, so this reads
 * the stream with fetch and reconnects itself. `onReconnect` lets the caller re-query what
 * it may have missed while the stream was down.
 */
export function watchAuthenticated<T>(
  query: string,
  variables: Record<string, unknown>,
  onNext: (data: T) => void,
  onReconnect?: () => void,
): () => void {
  const abort = new AbortController();
  let attempt = 0;

  const run = async () => {
    while (!abort.signal.aborted) {
      try {
        const token = getToken();
        const response = await fetch(subscriptionUrl(query, variables), {
          headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal: abort.signal,
        });
        if (response.status === 401) return; // signed out: the app sends the person to sign in
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        if (attempt > 0) onReconnect?.();
        attempt = 0;
        await readEvents(response.body, (event, data) => {
          if (event === 'next') {
            const payload = JSON.parse(data) as { data?: T };
            if (payload.data) onNext(payload.data);
          }
        });
      } catch {
        if (abort.signal.aborted) return;
      }
      const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)]!;
      attempt++;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
  void run();
  return () => abort.abort();
}

/** Splits an SSE body into events; `:` comment lines (keep-alives) are skipped. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      let event = 'message';
      const data: string[] = [];
      for (const line of buffer.slice(0, end).split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
}
