import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  isMessage,
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertRule, parseAlertRules, selectorsOf } from './helpers/alert-rules.js';

// deploy/prometheus/alerts.yml against a real server: every metric an alert reads exists in its
// /metrics after a short chat, with the labels the alert matches on, and every alert points to a
// runbook entry of docs/deployment.md. An alert on a metric that was renamed never fires.

const METRICS_TOKEN = 'alerts-metrics-token-for-tests-0123456789';
const rulesFile = new URL('../../../deploy/prometheus/alerts.yml', import.meta.url);
const deploymentDoc = new URL('../../../docs/deployment.md', import.meta.url);
/** Recorded by Prometheus itself for each scraped target, not exposed by the server. */
const fromPrometheus = new Set(['up']);
/** Labels Prometheus attaches to every series it scrapes. */
const targetLabels = new Set(['job', 'instance']);
const histogramSuffix = /_(bucket|sum|count)$/;

/** Families (`# TYPE name type`) and the label names each family's samples carry. */
function familiesOf(text: string): Map<string, { type: string; labels: Set<string> }> {
  const families = new Map<string, { type: string; labels: Set<string> }>();
  for (const [, name = '', type = ''] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    families.set(name, { type, labels: new Set() });
  }
  for (const [, sample = '', labels = ''] of text.matchAll(/^([a-zA-Z_:][\w:]*)\{([^}]*)\}/gm)) {
    const family =
      families.get(sample) ?? families.get(sample.replace(histogramSuffix, '')) ?? undefined;
    for (const [, label = ''] of labels.matchAll(/([a-zA-Z_]\w*)="/g)) family?.labels.add(label);
  }
  return families;
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');

describe('alert rules (deploy/prometheus/alerts.yml)', () => {
  const rules: AlertRule[] = parseAlertRules(readFileSync(rulesFile, 'utf8'));
  let server: TestServer;
  const sockets: TestSocket[] = [];
  let text = '';

  beforeAll(async () => {
    server = await startTestServer({ redis: true, env: { METRICS_TOKEN } });
    const alice = await registerUser(server, 'alerta');
    const bob = await registerUser(server, 'alertb');
    const a = await TestSocket.authed(server.url, alice.token);
    const b = await TestSocket.authed(server.url, bob.token);
    sockets.push(a, b);
    const opened = await a.request({ type: 'open', username: bob.username });
    if (opened.type !== 'opened') throw new Error(JSON.stringify(opened));
    const gotIt = b.next(isMessage(opened.room));
    const ack = await a.request({
      type: 'send',
      room: opened.room,
      text: 'hi',
      clientMsgId: randomUUID(),
    });
    if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
    await gotIt;
    const res = await fetch(`${server.url}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    text = await res.text();
    if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${text}`);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server?.close();
  });

  it('reads the rule file: each alert has an expression, a severity and a runbook link', () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const rule of rules) {
      expect(rule.expr, rule.alert).not.toBe('');
      expect(['warning', 'critical'], rule.alert).toContain(rule.severity);
      expect(rule.runbookUrl, rule.alert).toMatch(/^docs\/deployment\.md#[a-z0-9-]+$/);
    }
  });

  it('finds the metric names and matched labels of a PromQL expression', () => {
    const found = selectorsOf(
      'histogram_quantile(0.99, sum by (instance, le) (rate(a_ms_bucket{x="1", y=~"b|c"}[5m]))) > 1.5e9 and on (instance) b_total offset 1d',
    );
    expect([...found.keys()]).toEqual(['a_ms_bucket', 'b_total']);
    expect([...(found.get('a_ms_bucket') ?? [])]).toEqual(['x', 'y']);
  });

  it('uses only metrics the server exposes after a chat, with the labels it matches on', () => {
    const families = familiesOf(text);
    const missing: string[] = [];
    for (const rule of rules) {
      for (const [name, labels] of selectorsOf(rule.expr)) {
        if (fromPrometheus.has(name)) continue;
        const base = name.replace(histogramSuffix, '');
        const family =
          families.get(name) ??
          (families.get(base)?.type === 'histogram' ? families.get(base) : undefined);
        if (!family) {
          missing.push(`${rule.alert}: ${name}`);
          continue;
        }
        for (const label of labels) {
          if (targetLabels.has(label) || label === 'le') continue;
          if (!family.labels.has(label))
            missing.push(`${rule.alert}: ${name} has no label ${label}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('links every alert to a heading of docs/deployment.md', () => {
    const anchors = new Set(
      [...readFileSync(deploymentDoc, 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map(([, h = '']) =>
        anchorOf(h),
      ),
    );
    const broken = rules
      .map((r) => r.runbookUrl?.split('#')[1] ?? '')
      .filter((anchor) => !anchors.has(anchor));
    expect(broken).toEqual([]);
  });
});
