import { useCallback, useState } from 'react';

/** Who raised an event: the `<ephemeral-chat>` element, or the bot panel's SDK client. */
export type ActivitySource = 'widget' | 'sdk';

/** One line of the activity log. */
export interface Activity {
  id: number;
  at: Date;
  source: ActivitySource;
  event: string;
  summary: string;
}

/** Records one event; stable across renders, so it can sit in effect dependencies. */
export type RecordActivity = (source: ActivitySource, event: string, summary: string) => void;

const MAX_ENTRIES = 50;
let nextId = 0;

/** The newest events first (at most MAX_ENTRIES), and the function that records one. */
export function useActivityLog(): [readonly Activity[], RecordActivity] {
  const [entries, setEntries] = useState<readonly Activity[]>([]);
  const record = useCallback<RecordActivity>((source, event, summary) => {
    const entry = { id: nextId++, at: new Date(), source, event, summary };
    setEntries((previous) => [entry, ...previous].slice(0, MAX_ENTRIES));
  }, []);
  return [entries, record];
}
