import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Commitment, type CommittedMessage, commitmentSecret, EPOCH_MS } from './commitment.js';

const secret = Buffer.alloc(32, 7);
const start = 1_780_000_000_000;

const message = fc.record({
  room: fc.string({ maxLength: 60 }),
  from: fc.string({ maxLength: 40 }),
  clientMsgId: fc.string({ maxLength: 40 }),
  createdAt: fc.integer({ min: start - 3 * EPOCH_MS, max: start }),
  text: fc.string({ unit: 'grapheme', maxLength: 200 }),
});

/** A commitment whose clock the test moves. */
function clocked(evidenceDays = 7) {
  const clock = { now: start };
  return { clock, c: new Commitment({ secret, evidenceDays, now: () => clock.now }) };
}

/** One field of the message changed (to something else). */
const altered = fc
  .tuple(
    message,
    fc.constantFrom<keyof CommittedMessage>('room', 'from', 'clientMsgId', 'createdAt', 'text'),
    fc.string({ minLength: 1, maxLength: 5 }),
  )
  .map(([m, field, junk]): [CommittedMessage, CommittedMessage] => {
    const changed =
      field === 'createdAt'
        ? { ...m, createdAt: m.createdAt - 1 }
        : { ...m, [field]: m[field] + junk };
    return [m, changed];
  });

describe('Commitment', () => {
  it('verifies a genuine copy within the window', () => {
    const { c } = clocked();
    fc.assert(fc.property(message, (m) => c.verify(m, c.sign(m))));
  });

  it('never verifies an altered copy (any one field changed)', () => {
    const { c } = clocked();
    fc.assert(fc.property(altered, ([m, changed]) => !c.verify(changed, c.sign(m))));
  });

  it('never verifies a forged mac', () => {
    const { c } = clocked();
    fc.assert(
      fc.property(message, fc.string({ maxLength: 64 }), (m, mac) => {
        fc.pre(mac !== c.sign(m));
        return !c.verify(m, mac);
      }),
    );
  });

  it('refuses a mac that decodes to the right bytes but is spelled differently', () => {
    const { c } = clocked();
    const m = { room: 'dm:a:b', from: 'a', clientMsgId: 'c1', createdAt: start, text: 'hi' };
    const mac = c.sign(m);
    expect(c.verify(m, `${mac}=`)).toBe(false);
    expect(c.verify(m, ` ${mac}`)).toBe(false);
  });

  it('refuses a mac made under another secret', () => {
    const { c } = clocked();
    const other = new Commitment({
      secret: Buffer.alloc(32, 8),
      evidenceDays: 7,
      now: () => start,
    });
    fc.assert(fc.property(message, (m) => !c.verify(m, other.sign(m))));
  });

  it('stops verifying once the message is older than the window, whatever the message', () => {
    fc.assert(
      fc.property(
        message,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 40 }),
        (m, days, later) => {
          const { clock, c } = clocked(days);
          const mac = c.sign(m);
          clock.now = m.createdAt + later * EPOCH_MS;
          const epochs = Math.floor(clock.now / EPOCH_MS) - Math.floor(m.createdAt / EPOCH_MS);
          return c.verify(m, mac) === epochs < days;
        },
      ),
    );
  });

  it('refuses a copy dated in the future', () => {
    const { c } = clocked();
    const m = {
      room: 'dm:a:b',
      from: 'a',
      clientMsgId: 'c1',
      createdAt: start + EPOCH_MS,
      text: 'x',
    };
    expect(c.verify(m, c.sign(m))).toBe(false);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new Commitment({ secret: Buffer.alloc(31), evidenceDays: 7 })).toThrow(/32/);
  });

  it('derives a default secret from the pepper that is not the pepper, and uses REPORT_SECRET when set', () => {
    const pepper = Buffer.from('p'.repeat(40));
    const derived = commitmentSecret(undefined, pepper);
    expect(derived).toHaveLength(32);
    expect(derived.equals(pepper)).toBe(false);
    expect(commitmentSecret(undefined, pepper).equals(derived)).toBe(true);
    expect(commitmentSecret('s'.repeat(32), pepper).toString()).toBe('s'.repeat(32));
  });
});
