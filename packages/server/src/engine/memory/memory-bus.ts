import type { TopicListener } from '../engine.js';

/**
 * Topics inside one process. Delivery is asynchronous (a microtask), like a real bus, so a
 * publisher never runs listeners inside its own call stack.
 */
export class MemoryBus {
  readonly #listeners = new Map<string, TopicListener>();

  constructor(private readonly onListenerError: (err: unknown, topic: string) => void) {}

  publish(topic: string, payload: string): void {
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

  subscribe(topic: string, listener: TopicListener): void {
    this.#listeners.set(topic, listener);
  }

  unsubscribe(topic: string): void {
    this.#listeners.delete(topic);
  }

  clear(): void {
    this.#listeners.clear();
  }
}
