import { Hono } from 'hono';
import type { AccessTokens } from '../core/auth/tokens.ts';
import type { ServiceEnv } from '../core/http/service-app.ts';
import type { Logger } from '../core/logging.ts';
import { RECEIPT_ROUTE, type ReceiptService } from './receipt.service.ts';
import { type WebhookService, WebhookSignatureError } from './webhook.service.ts';

export const WEBHOOK_ROUTE = '/payments/webhook';

export interface PaymentRouteDeps {
  /** Null when Stripe is not configured: the webhook route then answers 404. */
  webhooks: WebhookService | null;
  receipts: ReceiptService;
  tokens: AccessTokens;
  logger: Logger;
}

const receiptFile = /^([0-9a-f-]{36})\.(html|pdf)$/i;

/**
 * The payments HTTP routes, mounted on the API (embedded default) and on the payments
 * service (services/payments/main.ts): the Stripe webhook and the receipts.
 */
export function paymentRoutes(deps: PaymentRouteDeps): Hono<ServiceEnv> {
  const app = new Hono<ServiceEnv>();
  const fail = (code: string, message: string, requestId: string) => ({
    error: { code, message, requestId },
  });

  app.post(WEBHOOK_ROUTE, async (c) => {
    if (!deps.webhooks)
      return c.json(fail('NOT_CONFIGURED', 'Stripe is not configured', c.get('requestId')), 404);
    // The signature covers the exact bytes Stripe sent: read them raw, never re-serialize.
    const raw = Buffer.from(await c.req.arrayBuffer());
    let event: ReturnType<WebhookService['verify']>;
    try {
      event = deps.webhooks.verify(raw, c.req.header('stripe-signature'));
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      deps.logger.warn(
        { requestId: c.get('requestId'), reason: error.message },
        'webhook signature rejected',
      );
      return c.json(fail('BAD_SIGNATURE', 'Webhook signature invalid', c.get('requestId')), 400);
    }
    const outcome = await deps.webhooks.process(event);
    return c.json({ received: true, outcome });
  });

  app.get(`${RECEIPT_ROUTE}/:file`, async (c) => {
    const match = receiptFile.exec(c.req.param('file'));
    const notFound = () => c.json(fail('NOT_FOUND', 'No such receipt', c.get('requestId')), 404);
    if (!match) return notFound();
    const [, paymentId, format] = match as unknown as [string, string, 'html' | 'pdf'];

    let accountId: string | null = null;
    const header = c.req.header('authorization');
    const link = c.req.query('access');
    if (header) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      accountId = token
        ? await deps.tokens.verify(token).then(
            (a) => a.accountId,
            () => null,
          )
        : null;
    } else if (link) {
      accountId = await deps.receipts.verifyLink(link, paymentId.toLowerCase());
    }
    if (!accountId) {
      return c.json(fail('UNAUTHENTICATED', 'Sign in or use the link from the app', c.get('requestId')), 401);
    }
    const receipt = await deps.receipts.load(paymentId.toLowerCase(), accountId);
    if (!receipt) return notFound();
    const { body, contentType } = await deps.receipts.render(receipt, format.toLowerCase() as 'html' | 'pdf');
    return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, {
      'Content-Type': contentType,
      'Cache-Control': 'private, no-store',
      'Content-Disposition': `inline; filename="${receipt.number}.${format.toLowerCase()}"`,
    });
  });

  return app;
}
