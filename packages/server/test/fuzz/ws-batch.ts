import type { ServerFrame } from '@ephemeral-chat/protocol';
import { errorCodes } from '@ephemeral-chat/protocol';
import type { FuzzSocket } from './fuzz-socket.js';
import { corrupt } from './hostile.js';
import { toJson } from './raw-json.js';
import { type FuzzReport, show } from './report.js';
import type { FrameCase } from './ws-generators.js';
import { type Expectation, expectFor, type SocketState } from './ws-oracle.js';

/** More bad frames in a row than this close the socket with 4009 (docs/protocol.md). */
const STRIKE_LIMIT = 10;
const PROTOCOL_VIOLATION = 4009;

export interface Slot extends SocketState {
  readonly name: string;
  /** Undefined for the slot that starts every connection unauthenticated. */
  readonly initial: SocketState['user'];
  socket: FuzzSocket;
  /** Each user's view: the socket takes the view of whoever it authenticates as. */
  readonly views: ReadonlyMap<string, SocketState['view']>;
  readonly initialView: SocketState['view'];
  ids: { next(): number; nextBig(): number };
}

interface Sent {
  label: string;
  data: Uint8Array;
  exp: Expectation;
  answered: boolean;
}

export function encode(c: FrameCase, ids: Slot['ids']): Uint8Array {
  const text = toJson(c.template, ids);
  let bytes: Uint8Array = c.corrupt
    ? corrupt(text, c.corrupt.bad, c.corrupt.at)
    : Buffer.from(text);
  if (c.padTo && c.padTo > bytes.byteLength) {
    bytes = Buffer.concat([bytes, Buffer.alloc(c.padTo - bytes.byteLength, 0x20)]);
  }
  return bytes;
}

const kindOf = (s: Sent) => `${s.label.split(':')[0]}${s.exp.note ? ` (${s.exp.note})` : ''}`;

/**
 * Sends one batch on one socket, then a `ping` sentinel, and checks every answer against the
 * oracle. Returns true when the socket must be replaced (closed, or out of step with the model).
 */
export async function runBatch(
  slot: Slot,
  cases: FrameCase[],
  closesDocumented: ReadonlySet<number>,
  report: FuzzReport,
): Promise<boolean> {
  const sent: Sent[] = [];
  const pending = new Map<number, Sent>();
  let streak = 0;
  for (const c of cases) {
    const data = encode(c, slot.ids);
    let exp = expectFor(data, c.binary === true, slot, closesDocumented);
    if (exp.id !== undefined && pending.has(exp.id)) continue;
    streak = exp.strike ? streak + 1 : 0;
    if (streak > STRIKE_LIMIT) {
      exp = {
        ...exp,
        closes: [...exp.closes, PROTOCOL_VIOLATION],
        mustClose: true,
        terminal: true,
      };
    }
    const s: Sent = { label: c.label, data, exp, answered: false };
    sent.push(s);
    if (exp.id !== undefined) pending.set(exp.id, s);
    slot.socket.send(data, c.binary === true);
    if (exp.terminal) break;
  }
  report.frames += sent.length;
  const sentinel = slot.ids.next();
  slot.socket.send(`{"type":"ping","id":${sentinel}}`, false);

  const last = sent.at(-1);
  const anon = sent.filter((s) => s.exp.id === undefined && !s.exp.silentOk);
  let sentinelSeen = false;
  let failed = false;
  const fail = (kind: string, example: string) => {
    failed = true;
    report.fail(kind, example);
  };
  const expected = (e: Expectation) =>
    [...e.ok, ...e.errors.map((c) => `error ${c}`)].join('|') || 'nothing';
  const take = (f: ServerFrame) => {
    if (f.type === 'message' || f.type === 'typing' || f.type === 'presence.changed') return;
    // A read event (no id) follows a read that moved the read seq, on every socket of both members.
    if (f.type === 'read' && f.id === undefined) return;
    // Events of issue 14: receipts, burns, settings changes, unseen counts acknowledged.
    if (f.type === 'delivered' || f.type === 'expiry' || f.type === 'unseen') return;
    if (f.type === 'settings' && f.id === undefined) return;
    // Issue 16: an unsend that found a message tells every socket of both members.
    if (f.type === 'unsent' && f.id === undefined) return;
    // Issue 15: a group created (or changed) by any socket of a member reaches all of them.
    if (f.type === 'group.changed') return;
    const id = 'id' in f ? f.id : undefined;
    if (id === sentinel && f.type === 'pong') {
      sentinelSeen = true;
      return;
    }
    const s =
      id === undefined
        ? anon.find(
            (a) => !a.answered && (f.type !== 'error' || a.exp.errors.includes(f.error.code)),
          )
        : pending.get(id);
    if (!s) {
      if (
        f.type === 'error' &&
        id === undefined &&
        sent.some((x) => x.exp.silentOk && x.exp.errors.includes(f.error.code))
      )
        return;
      fail(
        `unexpected ${f.type}${f.type === 'error' ? ` ${f.error.code}` : ''} ${id === undefined ? 'without id' : 'for an id not pending'}`,
        `${JSON.stringify(f).slice(0, 200)} after ${sent.map(kindOf).slice(-3).join(', ')}`,
      );
      return;
    }
    if (s.answered) fail('two answers to one request', `${kindOf(s)}: ${show(s.data)}`);
    s.answered = true;
    if (f.type === 'error') {
      if (!Object.hasOwn(errorCodes, f.error.code))
        fail(`error code not in errorCodes: ${f.error.code}`, show(s.data));
      else if (!s.exp.errors.includes(f.error.code))
        fail(
          `${kindOf(s)} answered error ${f.error.code}, expected ${expected(s.exp)}`,
          show(s.data),
        );
    } else if (!s.exp.ok.includes(f.type)) {
      fail(`${kindOf(s)} answered ${f.type}, expected ${expected(s.exp)}`, show(s.data));
    } else if (s.exp.authAs && f.type === 'welcome') {
      slot.user = s.exp.authAs;
      slot.view = slot.views.get(s.exp.authAs.id) ?? slot.view;
    }
  };
  const mustClose = last?.exp.mustClose === true;
  const settled = () => {
    for (const f of slot.socket.drain()) take(f);
    if (slot.socket.closed) return true;
    if (mustClose) return false;
    return (
      sentinelSeen &&
      [...pending.values()].every((s) => s.answered) &&
      anon.every((s) => s.answered)
    );
  };
  await slot.socket.until(settled, mustClose ? 5000 : 10_000);
  settled();
  for (const m of slot.socket.malformed.splice(0))
    fail('server frame does not match serverFrameSchema', m);

  const code = slot.socket.closeCode;
  if (code !== undefined) {
    const documented =
      last?.exp.closes.includes(code) ||
      (slot.initial === undefined && code === 4001) ||
      code === 4008;
    if (documented) report.documentedCloses += 1;
    else {
      const culprit = last?.exp.terminal
        ? last
        : (sent.find((s) => !s.answered && (s.exp.id !== undefined || !s.exp.silentOk)) ?? last);
      fail(
        `socket closed ${code} (no documented reason) after ${culprit ? kindOf(culprit) : 'nothing'}`,
        culprit ? show(culprit.data) : '',
      );
    }
    return true;
  }
  if (mustClose && last) {
    const streakLabels = sent.slice(-STRIKE_LIMIT - 1).map(kindOf);
    const what = last.exp.closes.includes(PROTOCOL_VIOLATION)
      ? `${PROTOCOL_VIOLATION} after ${STRIKE_LIMIT + 1} bad frames in a row`
      : `close ${last.exp.closes.join('|') || '(any)'} after ${kindOf(last)}`;
    const hasOversize = streakLabels.some((l) => l.includes('oversize'));
    fail(
      `socket stayed open: expected ${what}${hasOversize ? ' (streak with oversize frames)' : ''}`,
      last.exp.closes.includes(PROTOCOL_VIOLATION) ? streakLabels.join(', ') : show(last.data),
    );
    return true;
  }
  for (const s of sent) {
    if (!s.answered && (s.exp.id !== undefined || !s.exp.silentOk))
      fail(`${kindOf(s)}: no answer within 10 s`, show(s.data));
  }
  if (!sentinelSeen)
    fail('sentinel ping: no pong within 10 s', `after ${sent.map(kindOf).slice(-3).join(', ')}`);
  return failed;
}
