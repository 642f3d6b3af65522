#!/usr/bin/env node
// Measures the equal-failure rule: a login for an unknown user must take about as long as one
// with a wrong password (both run one bcrypt verification). Starts the built server with the
// default bcrypt cost (12) on a temp data dir, registers one user, then times N failures of
// each kind from distinct client addresses (so the throttle does not interfere) and prints
// the medians. Run after `npm run build`:  node packages/server/scripts/login-timing.mjs [N]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const n = Number(process.argv[2] ?? 15);
const dataDir = await mkdtemp(join(tmpdir(), 'ec-timing-'));
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const child = spawn(process.execPath, [main], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    TRUST_PROXY: 'true',
    LOG_FORMAT: 'json',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  child.stdout.on('data', (d) => {
    const m = /"url":"([^"]+)"/.exec(String(d));
    if (m) resolve(m[1]);
  });
  child.once('exit', () => reject(new Error('server exited')));
});
const post = (path, body, ip) =>
  fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  }).then((r) => r.text());
const time = async (username, ip) => {
  const started = performance.now();
  await post('/api/login', { username, password: 'not the password' }, ip);
  return performance.now() - started;
};
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
try {
  await post(
    '/api/register',
    { username: 'timing_user', password: 'correct horse battery' },
    '10.255.0.1',
  );
  const wrong = [];
  const unknown = [];
  for (let i = 0; i < n; i++) {
    wrong.push(await time('timing_user', `10.1.${i}.1`));
    unknown.push(await time(`nobody_${i}`, `10.2.${i}.1`));
  }
  const [w, u] = [median(wrong), median(unknown)];
  console.log(`login failures, bcrypt cost 12, median of ${n}:`);
  console.log(
    `  wrong password ${w.toFixed(1)} ms, unknown user ${u.toFixed(1)} ms, ratio ${(u / w).toFixed(2)}`,
  );
} finally {
  child.kill();
  await rm(dataDir, { recursive: true, force: true });
}
