import { type Client, type ConnectionState, createClient } from '@ephemeral-chat/sdk';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RecordActivity } from '../activity/use-activity-log';
import { cookieFreeUrl } from './cookie-free-url';

export interface Bot {
  client: Client;
  state: ConnectionState;
  /** Ends the session; the next sign-in gets a new client, with nothing of this one's chats. */
  signOut: () => Promise<void>;
}

/**
 * An SDK client for the bot account, one per server URL and session, with its connection state as
 * React state and its events in the activity log. `auth: 'token'`: the bot's session is a bearer
 * token in this client's memory, apart from the widget's cookie session (and `cookieFreeUrl`
 * keeps that cookie off the bot's socket).
 */
export function useBot(server: string, onActivity: RecordActivity): Bot {
  const [session, setSession] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new session is a new client.
  const client = useMemo(
    () => createClient({ url: cookieFreeUrl(server), auth: 'token' }),
    [server, session],
  );
  const [state, setState] = useState(client.state);
  useEffect(() => {
    setState(client.state);
    const subscriptions = [
      client.on('state', (next) => {
        setState(next);
        onActivity('sdk', 'state', next);
      }),
      client.on('message', (m) => {
        const who = m.from === client.user?.id ? 'sent' : 'received';
        onActivity('sdk', 'message', `${who}, ${Math.round(m.remaining() / 1000)} s left`);
      }),
      client.on('expired', (m) => onActivity('sdk', 'expired', `after ${m.ttl / 1000} s`)),
      client.on('error', (e) => onActivity('sdk', 'error', `${e.code}: ${e.message}`)),
    ];
    return () => {
      for (const off of subscriptions) off();
      client.disconnect();
    };
  }, [client, onActivity]);
  const signOut = useCallback(async () => {
    try {
      await client.logout();
    } finally {
      setSession((n) => n + 1);
    }
  }, [client]);
  return { client, state, signOut };
}
