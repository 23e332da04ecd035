import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * Client routes with the History API; the API answers every one of these paths with
 * index.html, so a reload or a shared link lands on the same page.
 */
export type Route =
  | { name: 'find' }
  | { name: 'site'; id: string }
  | { name: 'booking'; id: string }
  | { name: 'account' }
  | { name: 'signIn' }
  | { name: 'signUp' }
  | { name: 'operator' }
  | { name: 'stations' }
  | { name: 'station'; id: string }
  | { name: 'vehicleReservation'; id: string }
  | { name: 'notFound' };

export const paths = {
  find: () => '/',
  site: (id: string, query?: URLSearchParams) =>
    `/sites/${encodeURIComponent(id)}${query ? `?${query}` : ''}`,
  booking: (id: string) => `/bookings/${encodeURIComponent(id)}`,
  account: () => '/account',
  signIn: (next?: string) => (next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'),
  signUp: (next?: string) => (next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'),
  operator: () => '/operator',
  stations: () => '/stations',
  station: (id: string, query?: URLSearchParams) =>
    `/stations/${encodeURIComponent(id)}${query ? `?${query}` : ''}`,
  vehicleReservation: (id: string) => `/vehicle-reservations/${encodeURIComponent(id)}`,
};

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  if (parts.length === 0) return { name: 'find' };
  if (first === 'sites' && second && parts.length === 2) return { name: 'site', id: second };
  if (first === 'bookings' && second && parts.length === 2) return { name: 'booking', id: second };
  if (first === 'stations' && second && parts.length === 2) return { name: 'station', id: second };
  if (first === 'vehicle-reservations' && second && parts.length === 2)
    return { name: 'vehicleReservation', id: second };
  if (parts.length === 1) {
    if (first === 'account') return { name: 'account' };
    if (first === 'signin') return { name: 'signIn' };
    if (first === 'signup') return { name: 'signUp' };
    if (first === 'operator') return { name: 'operator' };
    if (first === 'stations') return { name: 'stations' };
  }
  return { name: 'notFound' };
}

const NAVIGATED = 'swf:navigate';

/**
 * False until the first in-app navigation: a page loaded by the browser keeps the browser's
 * focus (so the first Tab reaches the skip link); later pages move focus to their heading.
 */
export let navigatedInApp = false;

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  navigatedInApp = true;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo(0, 0);
}

/** Only a local, absolute path may be a `next` target: no open redirect via ?next=//evil. */
export function safeNext(value: string | null): string {
  return value && /^\/(?!\/)/.test(value) ? value : '/';
}

export function useLocation(): { pathname: string; search: URLSearchParams } {
  const read = () => ({ pathname: location.pathname, search: new URLSearchParams(location.search) });
  const [current, setCurrent] = useState(read);
  useEffect(() => {
    const update = () => {
      navigatedInApp = true;
      setCurrent(read());
    };
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return current;
}

/** An ordinary link that routes in the page; modified clicks (new tab, …) stay the browser's. */
export function Link({ href, ...rest }: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a {...rest} href={href} onClick={onClick} />;
}
