import type { PublicUser } from '@ephemeral-chat/protocol';
import type { Theme } from '@ephemeral-chat/widget';
import { useEffect, useState } from 'react';
import { ActivityLog } from './activity/activity-log';
import { useActivityLog } from './activity/use-activity-log';
import { BotPanel } from './bot/bot-panel';
import { defaultServer } from './config';
import { ChatWidget } from './widget/chat-widget';
import { ServerField } from './widget/server-field';
import { ThemeSwitcher } from './widget/theme-switcher';

export function App() {
  const [server, setServer] = useState(defaultServer);
  const [theme, setTheme] = useState<Theme>('auto');
  const [user, setUser] = useState<PublicUser>();
  const [activity, record] = useActivityLog();

  // The page follows the widget's theme, so both switch together.
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <>
      <header>
        <h1>ephemeral-chat in React</h1>
        <ServerField value={server} onChange={setServer} />
        <ThemeSwitcher value={theme} onChange={setTheme} />
      </header>
      <main>
        <ChatWidget
          server={server}
          theme={theme}
          user={user}
          onUser={setUser}
          onActivity={record}
        />
        <div className="side">
          <BotPanel server={server} to={user} onActivity={record} />
          <ActivityLog entries={activity} />
        </div>
      </main>
    </>
  );
}
