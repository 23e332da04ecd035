/**
 * Decodes Stripe's form encoding (`metadata[bookingId]=x&expand[0]=y`) into nested objects,
 * as Stripe's API reads what the SDK sends. Test support for fake-stripe.ts.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

export function decodeStripeForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const [head, ...rest] = rawKey.split('[').map((part, i) => (i === 0 ? part : part.replace(/\]$/, '')));
    const path = [head!, ...rest];
    let node: FormObject = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      node[key] ??= {};
      node = node[key] as FormObject;
    }
    node[path[path.length - 1]!] = value;
  }
  return root;
}

export function str(form: FormObject, key: string): string | undefined {
  const value = form[key];
  return typeof value === 'string' ? value : undefined;
}

export function bool(form: FormObject, key: string): boolean {
  return str(form, key) === 'true';
}

export function obj(form: FormObject, key: string): Record<string, string> {
  const value = form[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
}
