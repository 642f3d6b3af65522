#!/usr/bin/env node
// Serves this example on its own origin (default http://localhost:5173), as any other site would.
// CHAT_URL points the page at a chat server other than http://localhost:8080.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const chatUrl = process.env.CHAT_URL ?? 'http://localhost:8080';
const files = { '/': 'index.html', '/page.css': 'page.css' };
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' };

const server = createServer(async (req, res) => {
  const name = files[new URL(req.url ?? '/', 'http://x').pathname];
  if (!name) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const body = (await readFile(join(root, name), 'utf8')).replaceAll(
    'http://localhost:8080',
    chatUrl,
  );
  res.writeHead(200, { 'content-type': types[extname(name)] }).end(body);
});
server.listen(port, 'localhost', () => {
  console.log(`script-tag example on http://localhost:${port} (chat server ${chatUrl})`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
