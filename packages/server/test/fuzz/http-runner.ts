import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { type RequestCase, requestArb } from './http-generators.js';
import { expectHttp, judge } from './http-oracle.js';
import { FuzzReport, show } from './report.js';
import { type FuzzServer, startFuzzServer } from './server-process.js';
import { register } from './ws-runner.js';

export interface HttpFuzzOptions {
  redis: boolean;
  requests: number;
  budgetMs: number;
  seed: number;
  rssGrowthMaxBytes: number;
  env: Record<string, string>;
}

const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'CONNECT',
]);

interface Answer {
  status: number;
  text: string;
}

function send(
  agent: Agent | false,
  url: string,
  c: RequestCase,
  token: string | undefined,
): Promise<Answer> {
  const target = new URL(url);
  const headers: Record<string, string> = {};
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (token) headers.authorization = `Bearer ${token}`;
  if (c.body) headers['content-length'] = String(c.body.byteLength);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: c.method,
        path: c.path,
        headers,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(c.body);
  });
}

/** The HTTP fuzzer on one engine: eight requests at a time, every answer judged. */
export async function runHttpFuzz(o: HttpFuzzOptions): Promise<FuzzReport> {
  const report = new FuzzReport(o.redis ? 'redis' : 'memory', o.seed);
  const deadline = Date.now() + o.budgetMs;
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const server: FuzzServer = await startFuzzServer(o.redis, o.env);
  report.rss(await server.rssBytes());
  const cases = fc.sample(requestArb, { numRuns: o.requests, seed: o.seed });
  let next = 0;
  const worker = async () => {
    for (
      let i = next++;
      i < cases.length && Date.now() < deadline && !server.exited();
      i = next++
    ) {
      const c = cases[i] as RequestCase;
      // A live token is a user's own, so a logout in one request never touches another's.
      const token =
        c.token === 'live'
          ? (await register(server.url, 'fuzzh')).token
          : c.token === 'garbage'
            ? 'x'.repeat(43)
            : undefined;
      const e = expectHttp(c);
      report.requests += 1;
      try {
        // A keep-alive connection the server just closed is no finding: retry once on a new one.
        const a = await send(agent, server.url, c, token).catch(() =>
          send(false, server.url, c, token),
        );
        const why = judge(e, a.status, a.text, c.method === 'HEAD');
        if (why)
          report.fail(
            `${c.label}${e.note ? ` (${e.note})` : ''}: ${why}`,
            `${c.method} ${c.path} ${c.contentType ?? ''} ${c.body ? show(c.body) : ''} → ${a.status} ${a.text.slice(0, 120)}`,
          );
      } catch (err) {
        if (server.exited()) break;
        // After a refused oversize body the server may close before the client finishes sending.
        if (e.answers.some((x) => x.status === 413)) continue;
        // uWS drops a request whose method is not one it knows (no 501): a transport limit.
        if (!KNOWN_METHODS.has(c.method)) {
          report.note(
            `${c.method}: connection dropped without a response`,
            `${c.method} ${c.path}`,
          );
          continue;
        }
        report.fail(
          `${c.label}: no response (${(err as Error).message})`,
          `${c.method} ${c.path} ${c.body ? show(c.body) : ''}`,
        );
      }
      if (i % 200 === 0) report.rss(await server.rssBytes());
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, worker));
    const exit = server.exited();
    if (exit) {
      report.crashes += 1;
      report.fail('server process exited', exit);
    } else if (Date.now() >= deadline)
      report.stoppedBy = `time budget (${Math.round(o.budgetMs / 1000)} s)`;
    if (report.rssMax - report.rssStart > o.rssGrowthMaxBytes)
      report.fail('server memory past its bound', `${report.rssMax} B`);
  } finally {
    agent.destroy();
    await server.close();
  }
  return report;
}
