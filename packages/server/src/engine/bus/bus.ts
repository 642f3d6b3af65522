/** Called with each payload published on a subscribed topic, verbatim. */
export type TopicListener = (payload: string) => void;

/** Fan-out between nodes: topics carry payloads to every node subscribed to them. */
export interface Bus {
  /** Publishes a payload to every node subscribed to the topic (at most once, may be lost). */
  publish(topic: string, payload: string): Promise<void>;
  /**
   * Publishes a payload that every subscribed node, this one included, receives through the link,
   * in the order the link delivers everything else (no shortcut to this node's listener): a group
   * room's frames, which must not overtake a membership change published before them.
   */
  broadcast(topic: string, payload: string): Promise<void>;
  /** Receives a topic's payloads on this node; one listener per topic (callers reference-count). */
  subscribe(topic: string, listener: TopicListener): Promise<void>;
  unsubscribe(topic: string): Promise<void>;
  /** Called after the fan-out link was lost and has come back (resubscribed); events may have been missed meanwhile. */
  onResubscribed(listener: () => void): void;
}
