import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError } from 'graphql';
import { createYoga, maskError as defaultMaskError } from 'graphql-yoga';
import { InvalidTokenError } from '../../core/auth/tokens.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../../core/db/unavailable.ts';
import { DomainError } from '../../core/errors.ts';
import type { Logger } from '../../core/logging.ts';
import { type Actor, anonymousActor } from '../../core/tenancy.ts';
import type { AvailabilityCache } from '../../garages/availability-cache.ts';
import { type MutationRateLimits, mutationRateLimit } from '../rate-limit.plugin.ts';
import type { Services } from '../services.ts';
import { availabilityCachePlugin } from './availability-cache.plugin.ts';
import type { GraphQLContext } from './context.ts';
import { costLimitWithVariables } from './cost-limit-variables.ts';
import { schema } from './schema.ts';

export interface YogaOptions {
  services: Services;
  logger: Logger;
  maxDepth: number;
  maxCost: number;
  graphiql: boolean;
  /** Mutations per minute per account and per client address (0: off); see rate-limit.plugin.ts. */
  rateLimit?: MutationRateLimits;
  /** Repeated availability answers from memory (availability-cache.plugin.ts). */
  availabilityCache?: AvailabilityCache;
}

async function actorFromRequest(request: Request, services: Services): Promise<Actor> {
  const header = request.headers.get('authorization');
  if (!header) return anonymousActor;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  try {
    if (!match?.[1]) throw new InvalidTokenError('invalid');
    return await services.tokens.verify(match[1]);
  } catch (error) {
    const reason = error instanceof InvalidTokenError ? error.reason : 'invalid';
    throw new GraphQLError(
      reason === 'expired' ? 'Access token expired: sign in again' : 'Access token invalid: sign in again',
      { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } },
    );
  }
}

/**
 * GraphQL over HTTP and SSE. Domain errors thrown from fields without a result union become
 * GraphQL errors with their type as `code`; every other error is masked ("Unexpected error.")
 * and logged, so no internals leak.
 */
/**
 * Yoga's responses made with whatever `Response` is global when they are made: under
 * @hono/node-server (after `serve()`) that is Hono's lightweight Response, which the server
 * writes straight to the socket, instead of Yoga's own, which it would read back through a
 * web stream. About a fifth of the API's CPU per request (BENCHMARKS.md).
 */
function currentGlobalResponse(body?: BodyInit | null, init?: ResponseInit): Response {
  return new globalThis.Response(body, init);
}

/** The database is away (restart, failover): a typed, retryable answer instead of an internal error. */
function serviceUnavailableError(): GraphQLError {
  return new GraphQLError(
    'The service is briefly unavailable; please try again shortly / Der Dienst ist kurz nicht erreichbar; bitte gleich noch einmal versuchen',
    {
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        http: { status: 503, headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } },
      },
    },
  );
}

export function createGraphQLServer(options: YogaOptions) {
  return createYoga<{ requestId?: string; clientIp?: string | undefined }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    fetchAPI: { Response: currentGlobalResponse as unknown as typeof Response },
    // The service frame limits every request body (MAX_BODY_BYTES, service-app.ts). Yoga's own
    // limit would wrap each body in one more web stream and copy the request around it.
    maxRequestBodySize: false,
    landingPage: false,
    graphiql: options.graphiql ? { title: 'Mobilität Südwestfalen – GraphQL' } : false,
    // Loaded on the first GraphiQL page only: the module holds ~45 MB that production never needs.
    renderGraphiQL: async (graphiqlOptions) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    logging: {
      debug: (...args) => options.logger.debug(args),
      info: (...args) => options.logger.info(args),
      warn: (...args) => options.logger.warn(args),
      error: (...args) => options.logger.error(args),
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof DomainError) {
          return new GraphQLError(original.message, { extensions: { code: original.name } });
        }
        if (isDatabaseUnavailable(original)) return serviceUnavailableError();
        // A GraphQLError of its own (validation, limits) is the client's answer; anything else
        // is a fault of ours, masked in the answer and logged with its cause.
        if (!(original instanceof GraphQLError)) {
          options.logger.error({ err: original }, 'unexpected error in a GraphQL request (masked)');
        }
        return defaultMaskError(error, message, isDev);
      },
    },
    plugins: [
      maxDepthPlugin({ n: options.maxDepth, ignoreIntrospection: true, exposeLimits: true }),
      costLimitPlugin({ maxCost: options.maxCost, ignoreIntrospection: true, exposeLimits: true }),
      costLimitWithVariables({ maxCost: options.maxCost }),
      ...(options.rateLimit ? [mutationRateLimit(options.rateLimit)] : []),
      ...(options.availabilityCache ? [availabilityCachePlugin(options.availabilityCache)] : []),
    ],
    context: async ({ request, requestId }) => ({
      actor: await actorFromRequest(request, options.services),
      services: options.services,
      requestId: requestId ?? crypto.randomUUID(),
    }),
  });
}
