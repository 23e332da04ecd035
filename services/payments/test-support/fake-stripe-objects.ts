import { randomBytes } from 'node:crypto';

// Shapes and errors of the fake Stripe API (see fake-stripe.ts).

/** Stripe's test card payment methods that decline, with their decline codes. */
export const DECLINING_METHODS: Record<string, string> = {
  pm_card_chargeDeclined: 'generic_decline',
  pm_card_visa_chargeDeclined: 'generic_decline',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
};

export type Json = Record<string, unknown>;
export interface Intent extends Json {
  id: string;
  amount: number;
  status: string;
  metadata: Record<string, string>;
  latest_charge: string | null;
  amount_refunded: number;
}
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body.message));
  }
}

export const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
export const now = () => Math.floor(Date.now() / 1000);

export function invalid(param: string, message: string, code = 'parameter_invalid'): ApiError {
  return new ApiError(400, { error: { type: 'invalid_request_error', code, param, message } });
}

export function notFound(kind: string, objectId: string | undefined): ApiError {
  return new ApiError(404, {
    error: {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${kind}: '${objectId}'`,
    },
  });
}
