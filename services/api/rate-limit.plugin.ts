import { type DocumentNode, GraphQLError, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Actor } from '../core/tenancy.ts';
import { TokenBuckets } from './rate-limit.ts';

export interface MutationRateLimits {
  /** Mutations per minute per signed-in account; 0: no limit. */
  accountPerMinute: number;
  /** Mutations per minute per client address; 0: no limit. */
  ipPerMinute: number;
  now?: () => number;
}

/** What the plugin reads from the GraphQL context: the actor, and the address the platform put there. */
interface LimitedContext {
  actor?: Actor;
  clientIp?: string;
}

function operationType(document: DocumentNode, operationName?: string | null): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!operationName || definition.name?.value === operationName) return definition.operation;
  }
  return undefined;
}

export function rateLimitedError(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(
    `Too many changes in a short time; try again in ${retryAfterSeconds} s / Zu viele Änderungen in kurzer Zeit; bitte in ${retryAfterSeconds} s erneut versuchen`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds,
        http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
      },
    },
  );
}

/**
 * Limits mutations (bookings, sign-ins, registrations …) per account and per client address;
 * queries are never limited here (depth and cost limits bound them). Over a limit the request
 * gets HTTP 429 with Retry-After and a RATE_LIMITED error, and nothing is executed.
 */
export function mutationRateLimit(options: MutationRateLimits): Plugin {
  const now = options.now ?? Date.now;
  const accounts = options.accountPerMinute > 0 ? new TokenBuckets(options.accountPerMinute, now) : null;
  const addresses = options.ipPerMinute > 0 ? new TokenBuckets(options.ipPerMinute, now) : null;
  if (!accounts && !addresses) return {};
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (operationType(args.document, args.operationName) !== 'mutation') return;
      const context = args.contextValue as LimitedContext;
      let retryAfter = 0;
      if (addresses && context.clientIp) retryAfter = Math.max(retryAfter, addresses.take(context.clientIp));
      if (accounts && context.actor?.accountId) {
        retryAfter = Math.max(retryAfter, accounts.take(context.actor.accountId));
      }
      if (retryAfter > 0) setResultAndStopExecution({ errors: [rateLimitedError(retryAfter)] });
    },
  };
}

/**
 * The client's address: the socket's peer, or behind a reverse proxy (trustProxy) the last
 * X-Forwarded-For entry, the one the proxy itself appended (earlier entries are the client's
 * own claims). Undefined when unknown (in-process requests in tests): no address limit then.
 */
export function clientAddress(
  request: { header(name: string): string | undefined },
  env: unknown,
  trustProxy: boolean,
): string | undefined {
  if (trustProxy) {
    const forwarded = request.header('x-forwarded-for');
    const last = forwarded
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    if (last) return last;
  }
  return (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
}
