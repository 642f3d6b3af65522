import type { PublicUser } from '@ephemeral-chat/protocol';
import type { EphemeralChat, StringOverrides, Theme } from '@ephemeral-chat/widget';
import { useRef, useState } from 'react';
import type { RecordActivity } from '../activity/use-activity-log';

// The host's own wording, passed as the `strings` property. Declared once, outside the component,
// so its identity never changes and React never sets it again.
const strings: StringOverrides = {
  title: 'Support chat',
  noMessages: 'Say hello. Whatever you write here disappears on its own.',
};

interface Props {
  server: string;
  theme: Theme;
  user: PublicUser | undefined;
  onUser: (user: PublicUser | undefined) => void;
  onActivity: RecordActivity;
}

/** `<ephemeral-chat>` with React state bound to its properties, and its events in the log. */
export function ChatWidget({ server, theme, user, onUser, onActivity }: Props) {
  const chat = useRef<EphemeralChat>(null);
  // What a launcher badge would show: the widget's unread total, from `ec-unread`.
  const [unread, setUnread] = useState(0);
  return (
    <section className="widget" aria-label="Chat widget">
      <ephemeral-chat
        ref={chat}
        server={server}
        theme={theme}
        locale="en"
        strings={strings}
        onec-login={(e) => {
          onUser(e.detail.user);
          onActivity('widget', 'ec-login', `${e.detail.user.username} (${e.detail.via})`);
        }}
        onec-logout={(e) => {
          onUser(undefined);
          onActivity('widget', 'ec-logout', e.detail.reason);
        }}
        onec-message={({ detail: { message, own } }) => {
          const left = Math.round(message.remaining() / 1000);
          onActivity('widget', 'ec-message', `${own ? 'sent' : 'received'}, ${left} s left`);
        }}
        onec-unread={(e) => {
          setUnread(e.detail.total);
          onActivity('widget', 'ec-unread', `${e.detail.total} unread`);
        }}
        onec-error={(e) =>
          onActivity('widget', 'ec-error', `${e.detail.code}: ${e.detail.error.message}`)
        }
      />
      <p className="widget-actions">
        {user
          ? `Signed in as ${user.username}${unread ? ` (${unread} unread)` : ''}. `
          : 'Not signed in. '}
        <button type="button" disabled={!user} onClick={() => void chat.current?.logout()}>
          Sign out from the page
        </button>
      </p>
    </section>
  );
}
