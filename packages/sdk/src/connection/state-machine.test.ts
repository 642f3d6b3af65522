import { describe, expect, it } from 'vitest';
import { type ConnectionState, StateMachine, transitions } from './state-machine.js';

describe('StateMachine', () => {
  const walk = (...states: ConnectionState[]) => {
    const seen: [ConnectionState, ConnectionState][] = [];
    const m = new StateMachine((s, d) => seen.push([d.previous, s]));
    for (const s of states) m.to(s);
    return { m, seen };
  };

  it('starts idle and reports each change once with the previous state', () => {
    const { m, seen } = walk('connecting', 'open', 'reconnecting', 'open', 'closed');
    expect(m.state).toBe('closed');
    expect(seen).toEqual([
      ['idle', 'connecting'],
      ['connecting', 'open'],
      ['open', 'reconnecting'],
      ['reconnecting', 'open'],
      ['open', 'closed'],
    ]);
  });

  it('stays reconnecting across failed attempts without reporting again', () => {
    const { seen } = walk('connecting', 'reconnecting', 'reconnecting', 'reconnecting');
    expect(seen).toHaveLength(2);
  });

  it('ends a refused session in unauthorized, left only by a new connect or close', () => {
    expect(transitions.unauthorized).toEqual(['connecting', 'closed']);
    const { m } = walk('connecting', 'open', 'unauthorized');
    expect(() => m.to('reconnecting')).toThrow(/unauthorized → reconnecting/);
    expect(() => m.to('open')).toThrow();
    m.to('connecting');
    expect(m.state).toBe('connecting');
  });

  it('rejects moves the protocol does not allow', () => {
    expect(() => walk('open')).toThrow(/idle → open/);
    expect(() => walk('reconnecting')).toThrow();
    expect(() => walk('connecting', 'closed', 'open')).toThrow();
  });

  it('passes the close code and error along with a change', () => {
    const details: unknown[] = [];
    const m = new StateMachine((_s, d) => details.push(d));
    m.to('connecting');
    m.to('unauthorized', { closeCode: 4003 });
    expect(details[1]).toEqual({ previous: 'connecting', closeCode: 4003 });
  });
});
