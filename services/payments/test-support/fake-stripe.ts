import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import {
  ApiError,
  DECLINING_METHODS,
  type Intent,
  id,
  invalid,
  type Json,
  notFound,
  now,
} from './fake-stripe-objects.ts';
import { bool, decodeStripeForm, type FormObject, obj, str } from './stripe-form.ts';

/**
 * A local HTTP server that answers like Stripe for exactly the calls the payments service makes
 * (customers, payment intents create/retrieve/confirm/cancel, refunds): form-encoded requests,
 * Stripe-shaped JSON, Stripe's error envelope, and Idempotency-Key semantics (same key and same
 * parameters: the first response again; other parameters: an idempotency_error). Every state
 * change records the event Stripe would send; `deliver` signs it like Stripe and POSTs it.
 */
export class FakeStripe {
  readonly secretKey = `sk_test_fake${randomBytes(8).toString('hex')}`;
  readonly publishableKey = `pk_test_fake${randomBytes(8).toString('hex')}`;
  readonly webhookSecret = `whsec_fake${randomBytes(12).toString('hex')}`;
  readonly intents = new Map<string, Intent>();
  readonly events: Stripe.Event[] = [];
  readonly requests: { method: string; path: string; form: FormObject; idempotencyKey: string | null }[] = [];
  /** Where `deliver` posts events (the webhook route under test). */
  webhookUrl = '';
  private readonly customers = new Map<string, Json>();
  private readonly refunds = new Map<string, Json>();
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; body: Json }>();
  private failures: { path: RegExp; status: number }[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Environment for loadConfig: the SDK talks to this server. */
  env(): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: this.secretKey,
      STRIPE_PUBLISHABLE_KEY: this.publishableKey,
      STRIPE_WEBHOOK_SECRET: this.webhookSecret,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(this.port),
      STRIPE_API_PROTOCOL: 'http',
    };
  }

  /** A real SDK client against this server, as the browser (or a test) would confirm a payment. */
  client(): Stripe {
    return new Stripe(this.secretKey, {
      host: '127.0.0.1',
      port: this.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  }

  /** The next `count` requests whose path matches answer `status` (an outage). */
  failNext(path: RegExp, status: number, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ path, status });
  }

  eventsOf(type: string, objectId?: string): Stripe.Event[] {
    return this.events.filter(
      (e) =>
        e.type === type &&
        (!objectId ||
          (e.data.object as { id?: string; payment_intent?: string }).id === objectId ||
          (e.data.object as { payment_intent?: string }).payment_intent === objectId),
    );
  }

  /** Signs the event like Stripe (over the exact JSON posted) and posts it to the webhook. */
  async deliver(
    event: Stripe.Event,
    options: { secret?: string; signature?: string } = {},
  ): Promise<Response> {
    const payload = JSON.stringify(event, null, 2);
    const signature =
      options.signature ??
      Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? this.webhookSecret });
    return fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
      body: payload,
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = (req.url ?? '').split('?')[0]!;
    const form = decodeStripeForm(raw);
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    this.requests.push({ method: req.method ?? '', path, form, idempotencyKey: key });
    const send = (status: number, body: Json, replayed = false) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': id('req'),
        ...(replayed && { 'idempotent-replayed': 'true' }),
      });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.secretKey}`) {
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    const failure = this.failures.findIndex((f) => f.path.test(path));
    if (failure >= 0) {
      const { status } = this.failures.splice(failure, 1)[0]!;
      return send(status, { error: { type: 'api_error', message: 'Simulated outage' } });
    }
    const fingerprint = createHash('sha256').update(`${req.method} ${path} ${raw}`).digest('hex');
    if (key && req.method === 'POST') {
      const seen = this.idempotency.get(key);
      if (seen && seen.fingerprint !== fingerprint) {
        return send(400, {
          error: {
            type: 'idempotency_error',
            message:
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
          },
        });
      }
      if (seen) return send(seen.status, seen.body, true);
    }
    let status = 200;
    let body: Json;
    try {
      body = this.route(req.method ?? 'GET', path, form);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      body = error.body;
    }
    if (key && req.method === 'POST') this.idempotency.set(key, { fingerprint, status, body });
    send(status, body);
  }

  private route(method: string, path: string, form: FormObject): Json {
    const [, , resource, objectId, action] = path.split('/');
    if (method === 'POST' && resource === 'customers' && !objectId) {
      const customer = {
        id: id('cus'),
        object: 'customer',
        email: str(form, 'email') ?? null,
        metadata: obj(form, 'metadata'),
        created: now(),
      };
      this.customers.set(customer.id, customer);
      return customer;
    }
    if (resource === 'payment_intents') {
      if (method === 'POST' && !objectId) return this.createIntent(form);
      const intent = objectId ? this.intents.get(objectId) : undefined;
      if (!intent) throw notFound('payment_intent', objectId);
      if (method === 'GET' && !action) return intent;
      if (method === 'POST' && action === 'confirm') return this.confirm(intent, str(form, 'payment_method'));
      if (method === 'POST' && action === 'cancel') return this.cancel(intent);
    }
    if (method === 'POST' && resource === 'refunds' && !objectId) return this.refund(form);
    throw new ApiError(404, {
      error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` },
    });
  }

  private createIntent(form: FormObject): Json {
    const amount = Number(str(form, 'amount'));
    if (!Number.isInteger(amount) || amount < 50 || amount > 99_999_999) {
      throw invalid('amount', 'Amount must be at least €0.50 and at most €999,999.99');
    }
    if (str(form, 'currency') !== 'eur') throw invalid('currency', 'Only EUR in this fake');
    const customer = str(form, 'customer') ?? null;
    if (customer && !this.customers.has(customer)) throw notFound('customer', customer);
    const intentId = id('pi');
    const intent: Intent = {
      id: intentId,
      object: 'payment_intent',
      amount,
      amount_received: 0,
      amount_refunded: 0,
      currency: 'eur',
      status: 'requires_payment_method',
      client_secret: `${intentId}_secret_${randomBytes(8).toString('hex')}`,
      customer,
      description: str(form, 'description') ?? null,
      metadata: obj(form, 'metadata'),
      payment_method: null,
      setup_future_usage: str(form, 'setup_future_usage') ?? null,
      latest_charge: null,
      last_payment_error: null,
      livemode: false,
      created: now(),
    };
    this.intents.set(intent.id, intent);
    this.emit('payment_intent.created', intent);
    if (bool(form, 'confirm')) return this.confirm(intent, str(form, 'payment_method'));
    return intent;
  }

  private confirm(intent: Intent, paymentMethod: string | undefined): Json {
    if (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation') {
      throw invalid(
        'payment_intent',
        `This PaymentIntent's status is ${intent.status}`,
        'payment_intent_unexpected_state',
      );
    }
    if (!paymentMethod) throw invalid('payment_method', 'You must provide a payment method');
    intent.payment_method = paymentMethod;
    const decline = DECLINING_METHODS[paymentMethod];
    if (decline) {
      intent.status = 'requires_payment_method';
      const error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: decline,
        message: 'Your card was declined.',
      };
      intent.last_payment_error = error;
      this.emit('payment_intent.payment_failed', intent);
      throw new ApiError(402, { error: { ...error, payment_intent: { ...intent } } });
    }
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.latest_charge = id('ch');
    intent.last_payment_error = null;
    this.emit('charge.succeeded', this.charge(intent));
    this.emit('payment_intent.succeeded', intent);
    return intent;
  }

  private cancel(intent: Intent): Json {
    if (intent.status === 'succeeded' || intent.status === 'canceled') {
      throw invalid(
        'payment_intent',
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
        'payment_intent_unexpected_state',
      );
    }
    intent.status = 'canceled';
    this.emit('payment_intent.canceled', intent);
    return intent;
  }

  private refund(form: FormObject): Json {
    const intent = this.intents.get(str(form, 'payment_intent') ?? '');
    if (!intent) throw notFound('payment_intent', str(form, 'payment_intent'));
    if (intent.status !== 'succeeded')
      throw invalid('payment_intent', 'This PaymentIntent has no successful charge to refund.');
    const left = intent.amount - intent.amount_refunded;
    const amount = str(form, 'amount') ? Number(str(form, 'amount')) : left;
    if (amount > left) {
      throw invalid(
        'amount',
        `Refund amount (€${amount / 100}) is greater than unrefunded amount on charge (€${left / 100})`,
      );
    }
    intent.amount_refunded += amount;
    const refund = {
      id: id('re'),
      object: 'refund',
      amount,
      currency: 'eur',
      charge: intent.latest_charge,
      payment_intent: intent.id,
      metadata: obj(form, 'metadata'),
      status: 'succeeded',
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    this.emit('charge.refunded', this.charge(intent));
    return refund;
  }

  private charge(intent: Intent): Json {
    return {
      id: intent.latest_charge,
      object: 'charge',
      amount: intent.amount,
      amount_captured: intent.amount,
      amount_refunded: intent.amount_refunded,
      refunded: intent.amount_refunded >= intent.amount,
      currency: 'eur',
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      metadata: intent.metadata,
      status: 'succeeded',
    };
  }

  /** Records what Stripe would send for this change; the object is copied as of now. */
  private emit(type: string, object: Json): void {
    this.events.push({
      id: id('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: id('req'), idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    } as unknown as Stripe.Event);
  }
}
