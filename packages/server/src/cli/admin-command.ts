import type { AdminUserRequest } from '@ephemeral-chat/protocol';
import { AdminCallError, type AdminClient } from './admin-client.js';

export const adminUsage = `Usage: ephemeral-chat admin <command> [options]

Talks to a running server's admin API: ADMIN_URL (default http://127.0.0.1:8080) with
ADMIN_TOKEN (the server's). Prints JSON.

Commands:
  reports [--status open|resolved|all] [--limit N] [--before REPORT_ID]
  resolve REPORT_ID [--note TEXT]
  suspend USERNAME | --id USER_ID
  unsuspend USERNAME | --id USER_ID
  delete-user USERNAME | --id USER_ID  --yes
`;

/** Where the command writes. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Runs one `admin` command; returns the process exit code (0 ok, 1 refused, 2 usage). */
export async function runAdmin(
  args: readonly string[],
  client: AdminClient,
  io: Output,
): Promise<number> {
  const [command, ...rest] = args;
  const { positional, flags } = parseArgs(rest);
  const who = (): AdminUserRequest | undefined => {
    const id = flags.get('id');
    if (typeof id === 'string') return { userId: id };
    const name = positional[0];
    return name === undefined ? undefined : { username: name };
  };
  const print = (value: unknown) => io.out(`${JSON.stringify(value, null, 2)}\n`);
  try {
    switch (command) {
      case 'reports': {
        const status = flags.get('status');
        const limit = flags.get('limit');
        const before = flags.get('before');
        print(
          await client.reports({
            ...(typeof status === 'string' ? { status: status as 'open' } : {}),
            ...(typeof limit === 'string' ? { limit: Number(limit) } : {}),
            ...(typeof before === 'string' ? { before } : {}),
          }),
        );
        return 0;
      }
      case 'resolve': {
        const id = positional[0];
        if (id === undefined) break;
        const note = flags.get('note');
        print(await client.resolve(id, typeof note === 'string' ? note : undefined));
        return 0;
      }
      case 'suspend':
      case 'unsuspend': {
        const user = who();
        if (!user) break;
        print(command === 'suspend' ? await client.suspend(user) : await client.unsuspend(user));
        return 0;
      }
      case 'delete-user': {
        const user = who();
        if (!user) break;
        if (flags.get('yes') !== true) {
          io.err('delete-user deletes the account and every message it sent: add --yes.\n');
          return 2;
        }
        await client.deleteUser(user);
        print({ deleted: user });
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof AdminCallError) {
      io.err(`${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  io.err(adminUsage);
  return 2;
}

/** `--flag value`, `--flag` (true, for --yes) and positionals. */
function parseArgs(args: readonly string[]) {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const next = args[i + 1];
    if (name === 'yes' || next === undefined || next.startsWith('--')) flags.set(name, true);
    else {
      flags.set(name, next);
      i++;
    }
  }
  return { positional, flags };
}
