import { describe, expect, it } from 'vitest';
import { Clock } from './clock.js';

describe('Clock', () => {
  it('reads the local clock until a sample arrives', () => {
    const clock = new Clock(() => 1000);
    expect(clock.offset).toBe(0);
    expect(clock.now()).toBe(1000);
  });

  it('takes the server time as read halfway through the round trip', () => {
    let local = 10_000;
    const clock = new Clock(() => local);
    // Sent at 10 000, answered at 10 100 local; the server read 60 000 in between.
    clock.sample(10_000, 10_100, 60_000);
    expect(clock.offset).toBe(60_000 - 10_050);
    local = 20_000;
    expect(clock.now()).toBe(20_000 + 49_950);
  });

  it('measures a server that is behind as a negative offset', () => {
    const clock = new Clock(() => 0);
    clock.sample(5000, 5000, 2000);
    expect(clock.offset).toBe(-3000);
  });

  it('prefers the sample with the shortest round trip, the tightest bound', () => {
    const clock = new Clock(() => 0);
    clock.sample(0, 20, 1010); // rtt 20 → offset 1000
    clock.sample(100, 900, 1600); // rtt 800, skewed → offset 1100
    expect(clock.offset).toBe(1000);
    clock.sample(200, 204, 1202); // rtt 4 → offset 1000
    expect(clock.offset).toBe(1000);
  });

  it('forgets old samples so that a changed offset is picked up', () => {
    const clock = new Clock(() => 0);
    clock.sample(0, 2, 501); // offset 500, rtt 2
    for (let i = 0; i < 8; i++) clock.sample(1000 * i, 1000 * i + 10, 1000 * i + 5 + 900);
    expect(clock.offset).toBe(900);
  });
});
