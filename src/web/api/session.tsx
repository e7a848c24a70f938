import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role } from '../lib/labels';
import * as client from './client';
import type { Me } from './types';

export type { Me } from './types';

interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in';
  me: Me | null;
  /** Why the last session ended on its own (expired, revoked), shown on the login page. */
  endedReason: string | null;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * Whether this browser had a session when last used: a flag, never a token (the refresh token stays in its
 * HttpOnly cookie). A returning user's pages can then download while the session is being restored, and a
 * new visitor goes straight to the login page without a refresh that can only be refused.
 */
const HAD_SESSION = 'mai-am-had-session';

/** true: had a session; false: had none; null: storage is disabled, so nobody knows. */
function sessionHint(): boolean | null {
  try {
    return localStorage.getItem(HAD_SESSION) === '1';
  } catch {
    return null;
  }
}

export function hadSession(): boolean {
  return sessionHint() === true;
}

function rememberSession(present: boolean): void {
  try {
    if (present) localStorage.setItem(HAD_SESSION, '1');
    else localStorage.removeItem(HAD_SESSION);
  } catch {
    // storage disabled or full: the flag is only a hint
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SessionState['status']>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [endedReason, setEndedReason] = useState<string | null>(null);

  const loadMe = useCallback(async () => {
    setMe(await client.apiGet('/auth/me'));
    rememberSession(true);
    setStatus('signed-in');
  }, []);

  /** Back to the login page: nothing of the session stays in memory, and `reason` says why if it ended by itself. */
  const signedOut = useCallback(
    (reason: string | null) => {
      queryClient.clear();
      rememberSession(false);
      setMe(null);
      setEndedReason(reason);
      setStatus('signed-out');
    },
    [queryClient],
  );

  // A reload keeps the user signed in: the refresh cookie buys a new access token.
  useEffect(() => {
    void (async () => {
      if (sessionHint() !== false && (await client.refreshSession())) {
        try {
          await loadMe();
          return;
        } catch {
          // fall through to the login page
        }
      }
      signedOut(null);
    })();
  }, [loadMe, signedOut]);

  useEffect(() => client.onSessionEnd(signedOut), [signedOut]);

  const value = useMemo<SessionState>(
    () => ({
      status,
      me,
      endedReason,
      signIn: async (username, password) => {
        await client.login(username, password);
        setEndedReason(null);
        await loadMe();
      },
      signOut: async () => {
        await client.logout();
        signedOut(null);
      },
      hasRole: (...roles) => Boolean(me?.roles.some((role) => roles.includes(role))),
    }),
    [status, me, endedReason, loadMe, signedOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for pages under the signed-in layout. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}
