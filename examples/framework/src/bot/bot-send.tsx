import { ttlChoices } from '@ephemeral-chat/protocol/constants';
import type { Client } from '@ephemeral-chat/sdk';
import { type FormEvent, useState } from 'react';

interface Props {
  client: Client;
  to: string | undefined;
  onSignOut: () => Promise<void>;
}

/** Sends a message as the bot, with a TTL, to whoever is named: `open(username)`, then `send`. */
export function BotSend({ client, to, onSignOut }: Props) {
  const [text, setText] = useState('Hello from the SDK!');
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(undefined);
    try {
      const chat = await client.open(String(data.get('to')));
      await chat.send(text, { ttl: Number(data.get('ttl')) });
      setText('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="stack" onSubmit={submit}>
      <p className="muted">
        Signed in as <strong>{client.user?.username}</strong> ({client.state}).
      </p>
      <label>
        To <input name="to" required defaultValue={to} key={to} placeholder="username" />
      </label>
      <label>
        Message <input required value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        Disappears after{' '}
        <select name="ttl" defaultValue={ttlChoices[0].ttl}>
          {ttlChoices.map((c) => (
            <option key={c.ttl} value={c.ttl}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button type="submit">Send as bot</button>
        <button type="button" onClick={() => void onSignOut()}>
          Sign the bot out
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
