import type { Client } from '@ephemeral-chat/sdk';
import { type FormEvent, useState } from 'react';

/**
 * Signs the bot in (or registers it) with the SDK, then connects. The submit button that was
 * pressed picks `login` or `register`.
 */
export function BotSignIn({ client }: { client: Client }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const credentials = {
      username: String(data.get('username')),
      password: String(data.get('password')),
    };
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    setBusy(true);
    setError(undefined);
    try {
      const session =
        submitter?.getAttribute('value') === 'register'
          ? await client.register(credentials)
          : await client.login(credentials);
      await client.connect();
      if (client.user?.id !== session.user.id) {
        // The browser's cookie for this host won over the token: see cookieFreeUrl.
        client.disconnect();
        throw new Error(`This socket was signed in as ${client.user?.username}, not the bot.`);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit}>
      <label>
        Username <input name="username" required autoComplete="off" defaultValue="helper_bot" />
      </label>
      <label>
        Password <input name="password" type="password" required autoComplete="current-password" />
      </label>
      <div className="row">
        <button type="submit" value="login" disabled={busy}>
          Sign in
        </button>
        <button type="submit" value="register" disabled={busy}>
          Register
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
