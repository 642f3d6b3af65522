import type { Activity } from './use-activity-log';

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** The events of the widget and of the SDK client, newest first. */
export function ActivityLog({ entries }: { entries: readonly Activity[] }) {
  return (
    <section className="panel" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity</h2>
      {entries.length === 0 ? (
        <p className="muted">Sign in in the widget, or start the bot: events show up here.</p>
      ) : (
        <ol className="activity">
          {entries.map((a) => (
            <li key={a.id}>
              <time dateTime={a.at.toISOString()}>{time.format(a.at)}</time>
              <span className="muted">{a.source}</span>
              <code>{a.event}</code>
              <span>{a.summary}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
