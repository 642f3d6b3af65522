import type { Client, PublicUser } from '@ephemeral-chat/sdk';
import { asChatError } from '../errors.js';

/**
 * Signs in with the element's `hostToken` provider when it has one. True when the user is in;
 * false when there is no provider, or it gives no token (the visitor is not signed in at the
 * host site: the widget falls back to its own sign-in). A refused host token is thrown.
 */
export async function signInWithHost(
  client: Pick<Client, 'signInWithHost'>,
  provider: (() => Promise<string>) | undefined,
  enter: (user: PublicUser) => Promise<void>,
): Promise<boolean> {
  if (!provider) return false;
  try {
    const session = await client.signInWithHost(provider);
    await enter(session.user);
    return true;
  } catch (err) {
    if (asChatError(err).code === 'host_token_unavailable') return false;
    throw err;
  }
}
