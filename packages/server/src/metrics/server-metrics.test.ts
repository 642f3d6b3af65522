import { encodeMessageEvent } from '@ephemeral-chat/protocol';
import { describe, expect, it } from 'vitest';
import { ServerMetrics } from './server-metrics.js';

const metrics = () => new ServerMetrics(['auth', 'send'], { socketCount: () => 3 });

describe('ServerMetrics', () => {
  it('counts a frame of a type outside the protocol table as invalid, never under its own name', async () => {
    const m = metrics();
    m.frame('send', 'ok');
    m.frame('alice-was-here', 'validation_failed');
    const text = await m.registry.metrics();
    expect(text).toContain('ec_frames_total{type="send",result="ok"} 1');
    expect(text).toContain('ec_frames_total{type="invalid",result="validation_failed"} 1');
    expect(text).not.toContain('alice-was-here');
    expect(text).toContain('\nec_sends_total 1\n');
  });

  it('samples the latency of the first message in a batch from its createdAt, which a text cannot fake', async () => {
    const m = metrics();
    const text = JSON.stringify('"createdAt":1,');
    const message = `{"id":"m","room":"r","seq":1,"text":${text},"createdAt":1000,"ttl":10000}`;
    m.delivered(['{"type":"ack","id":1}', encodeMessageEvent(message)], 1250);
    const out = await m.registry.metrics();
    expect(out).toContain('ec_delivery_latency_ms_sum 250');
    expect(out).toContain('ec_delivery_latency_ms_count 1');
    expect(out).toContain('\nec_deliveries_total 2\n');
  });

  it('observes pub/sub lag by kind from a message event’s createdAt, clamped at 0, and ignores other payloads', async () => {
    const m = metrics();
    const message = (createdAt: number) =>
      encodeMessageEvent(
        `{"room":"r","seq":1,"text":"\\"createdAt\\":1","createdAt":${createdAt}}`,
      );
    m.pubsubReceived(message(1000), false, 1040);
    m.pubsubReceived(message(2000), true, 1990);
    m.pubsubReceived('{"type":"typing","room":"r"}', false, 5000);
    const out = await m.registry.metrics();
    expect(out).toContain('ec_pubsub_lag_ms_sum{kind="direct"} 40');
    expect(out).toContain('ec_pubsub_lag_ms_count{kind="direct"} 1');
    expect(out).toContain('ec_pubsub_lag_ms_sum{kind="group"} 0');
    expect(out).toContain('ec_pubsub_lag_ms_count{kind="group"} 1');
  });

  it('serves the registry through a replaceable source', async () => {
    const m = metrics();
    expect(await m.source()).toContain('ec_frames_total');
    m.source = async () => 'merged';
    expect(await m.source()).toBe('merged');
  });

  it('reads authenticated connections from the hub at scrape time', async () => {
    const m = metrics();
    m.connectionOpened();
    const out = await m.registry.metrics();
    expect(out).toContain('ec_connections{state="authenticated"} 3');
    expect(out).toContain('ec_connections{state="open"} 1');
  });
});
