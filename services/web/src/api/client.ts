/**
 * GraphQL over fetch to the same origin. The access token lives in localStorage so a
 * commuter stays signed in on their phone; it is sent as a Bearer header, never in a URL.
 */

const TOKEN_KEY = 'swf.token';

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage blocked: the session lasts as long as the page.
  }
}

/** A request that produced no data: the network, the server or the query failed. */
export class RequestError extends Error {
  constructor(
    /** NETWORK, HTTP, UNAUTHENTICATED, BAD_USER_INPUT, … (GraphQL `extensions.code`) */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Members of the API's result unions that are errors: `... on Error { message }`. */
export interface ErrorResult {
  __typename: string;
  message: string;
  field?: string | null;
}

const sessionExpiredListeners = new Set<() => void>();

/** Told when the server refuses the stored token (expired or revoked); the token is gone by then. */
export function onSessionExpired(listener: () => void): () => void {
  sessionExpiredListeners.add(listener);
  return () => sessionExpiredListeners.delete(listener);
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const token = getToken();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new RequestError('NETWORK', error instanceof Error ? error.message : String(error));
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new RequestError('HTTP', `HTTP ${response.status}`);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'GRAPHQL';
    if (code === 'UNAUTHENTICATED' && token) {
      setToken(null);
      for (const listener of sessionExpiredListeners) listener();
    }
    throw new RequestError(code, first.message);
  }
  if (!body.data) throw new RequestError('HTTP', `HTTP ${response.status}`);
  return body.data;
}

/**
 * A key for createBooking: unique per intended booking, kept across retries. Plain HTTP on a
 * LAN address has no crypto.randomUUID (it needs a secure context); getRandomValues works anywhere.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
