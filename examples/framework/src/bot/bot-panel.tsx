import type { PublicUser } from '@ephemeral-chat/protocol';
import type { RecordActivity } from '../activity/use-activity-log';
import { BotSend } from './bot-send';
import { BotSignIn } from './bot-sign-in';
import { useBot } from './use-bot';

/** A second account driven by the SDK directly: it can write to the user of the widget. */
export function BotPanel(props: {
  server: string;
  to: PublicUser | undefined;
  onActivity: RecordActivity;
}) {
  const { client, state, signOut } = useBot(props.server, props.onActivity);
  // 'connecting' is left out: the sign-in form awaits `connect()` and shows why it failed.
  const signedIn = state === 'open' || state === 'reconnecting';
  return (
    <section className="panel" aria-labelledby="bot-title">
      <h2 id="bot-title">Bot (SDK)</h2>
      {signedIn ? (
        <BotSend client={client} to={props.to?.username} onSignOut={signOut} />
      ) : (
        <BotSignIn client={client} />
      )}
    </section>
  );
}
