import { gql } from './client.ts';
import { PAYMENT_CONFIG, type PaymentConfig } from './operations.ts';

let loading: Promise<PaymentConfig> | undefined;

/** How this installation takes payment (Stripe or on site); asked once per page load. */
export function loadPaymentConfig(): Promise<PaymentConfig> {
  loading ??= gql<{ paymentConfig: PaymentConfig }>(PAYMENT_CONFIG)
    .then((data) => data.paymentConfig)
    .catch((error: unknown) => {
      loading = undefined; // ask again next time
      throw error;
    });
  return loading;
}
