import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFactories } from '../../../test/helpers/engines.js';
import type { Engine } from '../engine.js';

const engines = engineFactories;

const topic = () => `t:${randomUUID().slice(0, 8)}`;

/** A listener that records what it hears. */
function recorder() {
  const heard: string[] = [];
  return { heard, listener: (payload: string) => void heard.push(payload) };
}

describe.each(engines)('Fan-out contract: %s', (_name, open) => {
  let engine: Engine;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, dispose } = await open());
  });
  afterAll(() => dispose());

  it("delivers a published payload verbatim to the topic's listener", async () => {
    const t = topic();
    const r = recorder();
    await engine.bus.subscribe(t, r.listener);
    await engine.bus.publish(t, '{"x":1} ✓');
    await engine.bus.publish(topic(), 'elsewhere');
    await expect.poll(() => r.heard).toEqual(['{"x":1} ✓']);
  });

  it('replaces the listener when a topic is subscribed again', async () => {
    const t = topic();
    const [first, second] = [recorder(), recorder()];
    await engine.bus.subscribe(t, first.listener);
    await engine.bus.subscribe(t, second.listener);
    await engine.bus.publish(t, 'p');
    await expect.poll(() => second.heard).toEqual(['p']);
    expect(first.heard).toEqual([]);
  });

  it('stops delivery after unsubscribe', async () => {
    const [gone, marker] = [topic(), topic()];
    const [r, m] = [recorder(), recorder()];
    await engine.bus.subscribe(gone, r.listener);
    await engine.bus.subscribe(marker, m.listener);
    await engine.bus.unsubscribe(gone);
    await engine.bus.publish(gone, 'late');
    await engine.bus.publish(marker, 'done');
    // Delivery is in publish order: once the marker is in, the earlier payload would be too.
    await expect.poll(() => m.heard).toEqual(['done']);
    expect(r.heard).toEqual([]);
  });

  it("publishes an appended message once on both members' user topics, as the exact frame", async () => {
    const id = randomUUID().slice(0, 8);
    const [a, b] = [`a${id}`, `b${id}`];
    const [ra, rb] = [recorder(), recorder()];
    await engine.bus.subscribe(`user:${a}`, ra.listener);
    await engine.bus.subscribe(`user:${b}`, rb.listener);
    const input = {
      room: `dm:${a}:${b}`,
      members: [a, b] as const,
      from: a,
      text: 'hé "quoted"',
      ttl: 60_000,
      clientMsgId: 'once',
      now: Date.now(),
    };
    const { message } = await engine.messages.append(input);
    const frame = JSON.stringify({ type: 'message', message });
    expect(frame).toContain(`"seq":${input.now},`);
    await expect.poll(() => rb.heard).toEqual([frame]);
    await expect.poll(() => ra.heard).toEqual([frame]);

    // A retry publishes nothing: the marker arrives right after the first frame.
    expect((await engine.messages.append({ ...input, now: input.now + 1 })).duplicate).toBe(true);
    await engine.bus.publish(`user:${b}`, 'marker');
    await expect.poll(() => rb.heard).toEqual([frame, 'marker']);
    expect(ra.heard).toEqual([frame]);
  });

  it('publishes once when both members are the same user', async () => {
    const a = `a${randomUUID().slice(0, 8)}`;
    const r = recorder();
    await engine.bus.subscribe(`user:${a}`, r.listener);
    const { message } = await engine.messages.append({
      room: `dm:${a}:${a}`,
      members: [a, a],
      from: a,
      text: 'note to self',
      ttl: 60_000,
      clientMsgId: 'self',
      now: Date.now(),
    });
    await engine.bus.publish(`user:${a}`, 'marker');
    await expect
      .poll(() => r.heard)
      .toEqual([JSON.stringify({ type: 'message', message }), 'marker']);
  });
});
