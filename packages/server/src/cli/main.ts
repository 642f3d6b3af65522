#!/usr/bin/env node
import { AdminClient } from './admin-client.js';
import { adminUsage, runAdmin } from './admin-command.js';

/**
 * `ephemeral-chat admin …`: the operators' command. It calls the admin HTTP API of a running
 * server rather than opening the stores itself: suspension and deletion must close sockets and
 * reach every node through the server's bus, which with the default in-memory engine exists only
 * inside the server process.
 */
const [group, ...args] = process.argv.slice(2);
if (group !== 'admin') {
  process.stderr.write(adminUsage);
  process.exit(2);
}
const token = process.env.ADMIN_TOKEN;
if (!token) {
  process.stderr.write("Set ADMIN_TOKEN to the server's admin token.\n");
  process.exit(2);
}
const client = new AdminClient(process.env.ADMIN_URL ?? 'http://127.0.0.1:8080', token);
const code = await runAdmin(args, client, {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
});
process.exit(code);
