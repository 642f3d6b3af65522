#!/usr/bin/env node
// A host site with its own sign-in that embeds ephemeral-chat from another origin and signs its
// users into the chat with HS256 host tokens: a signed-in visitor never sees the chat's login form.
//   PORT              this site's port (default 5174)
//   CHAT_URL          the chat server (default http://localhost:8080)
//   HOST_JWT_SECRET   the secret shared with the chat server (its HOST_JWT_SECRET)
//   HOST_JWT_ISSUER / HOST_JWT_AUDIENCE   as configured on the chat server
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const port = Number(process.env.PORT ?? 5174);
const chatUrl = process.env.CHAT_URL ?? 'http://localhost:8080';
const secret = process.env.HOST_JWT_SECRET ?? 'dev-only host secret: change me, 32+ bytes';
const issuer = process.env.HOST_JWT_ISSUER ?? `http://localhost:${port}`;
const audience = process.env.HOST_JWT_AUDIENCE ?? 'ephemeral-chat';
const tokenLifetimeS = 300;

/** This site's own accounts (a real site has a database). */
const users = new Map([
  ['ada', { id: 'u-1001', name: 'Ada', password: 'lovelace-1815' }],
  ['grace', { id: 'u-1002', name: 'Grace', password: 'hopper-1906' }],
]);
/** Session id → username: this site's own sign-in, nothing to do with the chat's. */
const sessions = new Map();

const b64url = (data) => Buffer.from(data).toString('base64url');

/**
 * An HS256 JWT (RFC 7519) for the chat server. Signing is a single HMAC, done here without a
 * library to keep the example dependency-free; the chat server verifies it with `jose`.
 */
function hostToken(user) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      iss: issuer,
      aud: audience,
      sub: user.id,
      preferred_username: user.name,
      iat: now,
      exp: now + tokenLifetimeS,
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function signedInUser(req) {
  const sid = /(?:^|;\s*)host_sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
  const username = sid && sessions.get(sid);
  return username ? users.get(username) : undefined;
}

function passwordMatches(given, expected) {
  const a = Buffer.from(String(given));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function page(user) {
  const file = user ? 'chat.html' : 'login.html';
  const html = await readFile(fileURLToPath(new URL(file, import.meta.url)), 'utf8');
  return html
    .replaceAll('http://localhost:8080', chatUrl)
    .replaceAll('{{name}}', user ? escapeHtml(user.name) : '');
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  try {
    if (req.method === 'GET' && path === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(await page(signedInUser(req)));
    } else if (req.method === 'POST' && path === '/login') {
      const form = await readForm(req);
      const username = String(form.get('username')).toLowerCase();
      const user = users.get(username);
      if (!user || !passwordMatches(form.get('password'), user.password)) {
        res.writeHead(303, { location: '/?error=1' }).end();
        return;
      }
      const sid = randomBytes(24).toString('base64url');
      sessions.set(sid, username);
      res.writeHead(303, {
        location: '/',
        'set-cookie': `host_sid=${sid}; Path=/; HttpOnly; SameSite=Lax`,
      });
      res.end();
    } else if (req.method === 'POST' && path === '/logout') {
      const sid = /(?:^|;\s*)host_sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (sid) sessions.delete(sid);
      res.writeHead(303, { location: '/', 'set-cookie': 'host_sid=; Path=/; Max-Age=0' }).end();
    } else if (req.method === 'POST' && path === '/chat-token') {
      // Same-origin only (the page's own fetch): SameSite=Lax keeps other sites' posts out.
      const user = signedInUser(req);
      if (!user) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"signed out"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ token: hostToken(user) }));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
  }
});

server.listen(port, 'localhost', () => {
  console.log(
    `host-auth example on http://localhost:${port} (chat server ${chatUrl}, iss ${issuer})`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
