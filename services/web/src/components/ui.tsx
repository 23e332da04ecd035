import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ErrorResult, RequestError } from '../api/client.ts';
import { type I18n, localizeServerMessage, useI18n } from '../i18n/i18n.tsx';
import { navigatedInApp } from '../router.tsx';

/**
 * The page's one h1. After an in-app navigation it takes focus, so a screen reader announces
 * the new page; it also names the browser tab.
 */
export function PageTitle({ children, text }: { children?: ComponentChildren; text: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${text} – ${t.appName}`;
  }, [text, t.appName]);
  useEffect(() => {
    if (navigatedInApp) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children ?? text}
    </h1>
  );
}

/** A message for the reader; `alert` interrupts a screen reader, `status` waits its turn. */
export function Notice(props: {
  kind: 'info' | 'success' | 'error';
  children: ComponentChildren;
  id?: string;
}) {
  return (
    <div
      id={props.id}
      class={`notice notice-${props.kind}`}
      role={props.kind === 'error' ? 'alert' : 'status'}
    >
      {props.children}
    </div>
  );
}

/** Turns a thrown error or an error member of a result union into words for the reader. */
export function errorText(i18n: I18n, error: unknown): string {
  const { t, lang } = i18n;
  if (error instanceof RequestError) {
    if (error.code === 'NETWORK') return t.errors.network;
    if (error.code === 'UNAUTHENTICATED') return t.auth.expired;
    if (error.code === 'BAD_USER_INPUT') return localizeServerMessage(error.message, lang);
    return t.errors.unexpected;
  }
  if (isErrorResult(error)) {
    switch (error.__typename) {
      case 'SpaceUnavailableError':
        return t.errors.spaceUnavailable;
      case 'DeviceUnreachableError':
        return t.errors.deviceUnreachable;
      case 'InvalidCredentialsError':
        return t.errors.invalidCredentials;
      case 'EmailTakenError':
        return t.errors.emailTaken;
      case 'NotAuthenticatedError':
        return t.errors.notAuthenticated;
      case 'IdempotencyConflictError':
        return t.errors.idempotency;
      case 'PaymentUnavailableError':
        return t.errors.paymentUnavailable;
      default:
        // Rule violations carry the API's own (often bilingual) explanation.
        return localizeServerMessage(error.message, lang);
    }
  }
  return t.errors.unexpected;
}

export function isErrorResult(value: unknown): value is ErrorResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorResult).__typename === 'string' &&
    typeof (value as ErrorResult).message === 'string'
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` now and whenever `deps` change; the newest answer wins if several overlap. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: unknown) => mine === generation.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, deps);
  useEffect(reload, [reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Shows the loading line or the error (with a retry) of a Loaded, or nothing once data is there. */
export function LoadState({ loaded }: { loaded: Loaded<unknown> }) {
  const i18n = useI18n();
  if (loaded.error && !loaded.loading) {
    return (
      <Notice kind="error">
        {errorText(i18n, loaded.error)}{' '}
        <button type="button" class="link-button" onClick={loaded.reload}>
          {i18n.t.common.retry}
        </button>
      </Notice>
    );
  }
  if (loaded.loading && loaded.data === undefined) return <p aria-live="polite">{i18n.t.common.loading}</p>;
  return null;
}

/** Wide tables scroll sideways on a phone; the scroller is focusable so keyboards can scroll it. */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take keyboard focus.
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
