import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { getToken, gql, onSessionExpired, RequestError, setToken } from './api/client.ts';
import { type Account, ME } from './api/operations.ts';

export interface Session {
  /** undefined while the stored token is being checked. */
  account: Account | null | undefined;
  /** True after the server refused the stored token, until the next sign-in. */
  expired: boolean;
  signIn(token: string, account: Account): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [account, setAccount] = useState<Account | null | undefined>(getToken() ? undefined : null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const stop = onSessionExpired(() => {
      setAccount(null);
      setExpired(true);
    });
    if (getToken()) {
      gql<{ me: Account | null }>(ME)
        .then(({ me }) => setAccount(me))
        .catch((error: unknown) => {
          // Offline: keep the token, show the app as signed out until it answers again.
          if (!(error instanceof RequestError && error.code === 'UNAUTHENTICATED')) setAccount(null);
        });
    }
    return stop;
  }, []);

  const signIn = useCallback((token: string, next: Account) => {
    setToken(token);
    setExpired(false);
    setAccount(next);
  }, []);
  const signOut = useCallback(() => {
    setToken(null);
    setAccount(null);
  }, []);

  const value = useMemo(() => ({ account, expired, signIn, signOut }), [account, expired, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
