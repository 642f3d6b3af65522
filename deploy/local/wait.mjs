// Waits until a service answers: an http:// URL with 200, a redis:// URL with +PONG.
// Usage: node wait.mjs <url> <seconds> [pid]. Exits 1, saying what it last saw, when time runs
// out or as soon as the process `pid` (the one that should answer) has exited.
import { connect } from 'node:net';

const [url = '', seconds = '30', pid] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
let last = 'no answer yet';

function pingRedis(u) {
  return new Promise((resolve) => {
    const socket = connect(Number(u.port || 6379), u.hostname);
    const done = (ok, why) => {
      last = why;
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false, 'timed out'));
    socket.on('error', (err) => done(false, err.message));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(String(d).startsWith('+PONG'), String(d).trim()));
  });
}

async function getOk(u) {
  try {
    const res = await fetch(u, { signal: AbortSignal.timeout(2000) });
    last = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
    return res.status === 200;
  } catch (err) {
    last = String(err.cause?.message ?? err.message);
    return false;
  }
}

function exited() {
  if (!pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch {
    return true;
  }
}

const u = new URL(url);
for (;;) {
  if (exited()) {
    console.error(`deploy/local: the process that should answer ${url} has exited`);
    process.exit(1);
  }
  if (await (u.protocol === 'redis:' ? pingRedis(u) : getOk(u))) process.exit(0);
  if (Date.now() > deadline) {
    console.error(`deploy/local: ${url} did not answer within ${seconds} s (last: ${last})`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}
