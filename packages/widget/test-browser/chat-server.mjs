// A @web/test-runner plugin that runs the real chat server (the built packages/server) for the
// browser tests: on a free port, with a throwaway SQLite directory, the in-memory engine, and the
// test page's origin as the one allowed cross-origin caller. Its URL reaches the tests as
// window.__CHAT_URL__ (see web-test-runner.config.mjs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));

/** Starts the server; resolves with its base URL once it logs that it listens. */
async function start(origin, dataDir) {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first.`);
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      REGISTER_MAX_PER_IP: '1000',
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      // A burst past the first page of 50, so a test can fill a chat without waiting.
      WS_SEND_BURST: '100',
      ALLOWED_ORIGINS: origin,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const early = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`chat server did not start:\n${early.join('\n')}`)),
      20_000,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.level >= 40) console.error(`[chat server] ${line}`);
      else if (early.length < 50) early.push(line);
      if (entry.url && String(entry.msg).includes('listening')) {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
    child.stderr.on('data', (d) => process.stderr.write(`[chat server] ${d}`));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chat server exited with ${code}:\n${early.join('\n')}`));
    });
  });
  // The page is on http://localhost:<port>: the chat server must be on the same site
  // (localhost) for its session cookie to be first-party.
  const u = new URL(url);
  u.hostname = 'localhost';
  return { child, url: u.origin };
}

export function chatServer() {
  let server;
  let dataDir;
  const stop = () => server?.child.exitCode === null && server.child.kill('SIGKILL');
  return {
    /** The chat server's base URL (after the test runner has started). */
    url: () => server?.url,
    plugin: {
      name: 'ephemeral-chat-server',
      async serverStart({ config }) {
        dataDir = await mkdtemp(join(tmpdir(), 'ec-widget-test-'));
        server = await start(`http://${config.hostname}:${config.port}`, dataDir);
        process.once('exit', stop);
        console.log(`chat server for the browser tests: ${server.url}`);
      },
      async serverStop() {
        if (server && server.child.exitCode === null) {
          const exited = new Promise((resolve) => server.child.once('exit', resolve));
          server.child.kill('SIGTERM');
          const timer = setTimeout(stop, 5000);
          await exited;
          clearTimeout(timer);
        }
        if (dataDir) await rm(dataDir, { recursive: true, force: true });
      },
    },
  };
}
