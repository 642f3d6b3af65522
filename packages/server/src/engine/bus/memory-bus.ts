import type { Bus, TopicListener } from './bus.js';

/**
 * Topics inside one process. Delivery is asynchronous (a microtask), like a real bus, so a
 * publisher never runs listeners inside its own call stack.
 */
export class MemoryBus implements Bus {
  readonly #listeners = new Map<string, TopicListener>();

  constructor(private readonly onListenerError: (err: unknown, topic: string) => void) {}

  async publish(topic: string, payload: string): Promise<void> {
    if (!this.#listeners.has(topic)) return;
    queueMicrotask(() => {
      // Looked up at delivery, so an unsubscribe in between stops it.
      const listener = this.#listeners.get(topic);
      try {
        listener?.(payload);
      } catch (err) {
        this.onListenerError(err, topic);
      }
    });
  }

  /** In one process every publish is already in call order. */
  broadcast(topic: string, payload: string): Promise<void> {
    return this.publish(topic, payload);
  }

  async subscribe(topic: string, listener: TopicListener): Promise<void> {
    this.#listeners.set(topic, listener);
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#listeners.delete(topic);
  }

  /** Never called: an in-process bus cannot lose its link. */
  onResubscribed(_listener: () => void): void {}

  clear(): void {
    this.#listeners.clear();
  }
}
