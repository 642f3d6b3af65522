import { readFileSync } from 'node:fs';
import { closeCodes } from '@ephemeral-chat/protocol';
import fc from 'fast-check';
import { FuzzSocket } from './fuzz-socket.js';
import { FuzzReport } from './report.js';
import { type FuzzServer, startFuzzServer } from './server-process.js';
import { runBatch, type Slot } from './ws-batch.js';
import { batchArb, type FrameCase } from './ws-generators.js';
import { type FuzzUser, viewOf, type WsView } from './ws-world.js';

export interface WsFuzzOptions {
  redis: boolean;
  frames: number;
  budgetMs: number;
  seed: number;
  batch: number;
  rssGrowthMaxBytes: number;
  env: Record<string, string>;
}

/** Close codes the protocol document names: the `closeCodes` table, and 1006/1007/1009 if it says them. */
function documentedCloses(): Set<number> {
  const doc = readFileSync(new URL('../../../../docs/protocol.md', import.meta.url), 'utf8');
  const codes = new Set<number>(Object.values(closeCodes).map((c) => c.code));
  for (const c of [1006, 1007, 1009]) if (new RegExp(`\\b${c}\\b`).test(doc)) codes.add(c);
  return codes;
}

export async function register(url: string, name: string): Promise<FuzzUser> {
  const username = `${name}_${process.pid}_${Math.floor(Math.random() * 1e9)}`.slice(0, 32);
  const res = await fetch(`${url}/api/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'correct horse battery staple' }),
  });
  const body = (await res.json()) as { user: { id: string }; token: string };
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(body)}`);
  return { id: body.user.id, username, token: body.token };
}

/** A new socket; authenticated as `user` unless undefined. Throws when the server does not welcome it. */
export async function openSocket(url: string, user: FuzzUser | undefined): Promise<FuzzSocket> {
  const socket = await FuzzSocket.connect(url);
  if (!user) return socket;
  socket.send(JSON.stringify({ type: 'auth', id: 0, token: user.token }), false);
  const ok = await socket.until(
    () => socket.frames.some((f) => f.type === 'welcome') || socket.closed,
    5000,
  );
  if (!ok || socket.closed) throw new Error(`auth failed: ${JSON.stringify(socket.frames)}`);
  socket.drain();
  return socket;
}

/** Is the server up: a new connection answers `ping` with `pong`? */
async function answersPing(url: string): Promise<boolean> {
  try {
    const s = await openSocket(url, undefined);
    s.send('{"type":"ping","id":7}', false);
    const ok = await s.until(() => s.frames.some((f) => f.type === 'pong'), 5000);
    s.close();
    return ok;
  } catch {
    return false;
  }
}

/** The WebSocket fuzzer on one engine: batches on four sockets at once, invariants after each round. */
export async function runWsFuzz(o: WsFuzzOptions): Promise<FuzzReport> {
  const report = new FuzzReport(o.redis ? 'redis' : 'memory', o.seed);
  const closes = documentedCloses();
  const deadline = Date.now() + o.budgetMs;
  let nextId = 1;
  const ids = { next: () => nextId++, nextBig: () => 2 ** 31 + nextId++ };
  let server: FuzzServer | undefined;
  let slots: Slot[] = [];
  const arbs = new Map<WsView, fc.Arbitrary<FrameCase[]>>();
  const setUp = async () => {
    server = await startFuzzServer(o.redis, o.env);
    const url = server.url;
    const [a, b, c] = await Promise.all(['fuzza', 'fuzzb', 'fuzzc'].map((n) => register(url, n)));
    if (!a || !b || !c) throw new Error('register');
    const va = viewOf(a, b, c);
    const vb = viewOf(b, a, c);
    for (const v of [va, vb]) arbs.set(v, batchArb(v, o.batch));
    const users = [a, b];
    const views = new Map([
      [a.id, va],
      [b.id, vb],
    ]);
    const make = async (name: string, user: FuzzUser | undefined, view: WsView): Promise<Slot> => ({
      name,
      initial: user,
      user,
      view,
      initialView: view,
      views,
      users,
      ids,
      socket: await openSocket(url, user),
    });
    slots = await Promise.all([
      make('a1', a, va),
      make('a2', a, va),
      make('b1', b, vb),
      make('anon', undefined, va),
    ]);
    report.rss(await server.rssBytes());
  };
  await setUp();
  try {
    for (let round = 0; report.frames < o.frames; round++) {
      if (Date.now() > deadline) {
        report.stoppedBy = `time budget (${Math.round(o.budgetMs / 1000)} s)`;
        break;
      }
      const srv = server as FuzzServer;
      const inFlight: string[] = [];
      const results = await Promise.all(
        slots.map(async (slot, i) => {
          const arb = arbs.get(slot.view) as fc.Arbitrary<FrameCase[]>;
          const cases = fc.sample(arb, { numRuns: 1, seed: (o.seed + round * 8 + i) | 0 })[0] ?? [];
          inFlight.push(...cases.map((c) => c.label));
          return runBatch(slot, cases, closes, report);
        }),
      );
      let exit = srv.exited();
      if (exit !== undefined || !(await answersPing(srv.url))) {
        // A dying process may not have reported its exit yet.
        await new Promise((r) => setTimeout(r, 500));
        exit = srv.exited();
        report.crashes += exit ? 1 : 0;
        const labels = [...new Set(inFlight.filter((l) => l.startsWith('hostile')))].join(', ');
        report.fail(
          exit ? 'server process exited' : 'server stopped answering ping on a new connection',
          `${exit ?? ''}\n      frames in flight: ${labels}`,
        );
        await srv.close();
        if (report.crashes >= 3 || Date.now() > deadline) {
          report.stoppedBy = 'server down';
          break;
        }
        await setUp();
        continue;
      }
      if (round % 5 === 0) {
        const rss = await srv.rssBytes();
        report.rss(rss);
        if (rss - report.rssStart > o.rssGrowthMaxBytes) {
          report.fail('server memory past its bound', `rss ${Math.round(rss / 2 ** 20)} MB`);
          report.stoppedBy = 'memory bound';
          break;
        }
      }
      await Promise.all(
        slots.map(async (slot, i) => {
          if (!results[i]) return;
          slot.socket.close();
          slot.user = slot.initial;
          slot.view = slot.initialView;
          slot.socket = await openSocket(srv.url, slot.initial).catch(async () =>
            openSocket(srv.url, slot.initial),
          );
        }),
      );
    }
  } finally {
    for (const s of slots) s.socket.close();
    await server?.close();
  }
  return report;
}
