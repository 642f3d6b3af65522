import {
  registerUser,
  startTestServer,
  type TestServer,
  TestSocket,
  type TestUser,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll } from 'vitest';

/** The three set-ups the socket-level suites run on: both engines, and Redis with PostgreSQL. */
export const serverSetups = [
  { name: 'MemoryEngine', redis: false, postgres: false },
  { name: 'RedisEngine', redis: true, postgres: false },
  { name: 'RedisEngine and PostgreSQL', redis: true, postgres: true },
] as const;
export type ServerSetup = (typeof serverSetups)[number];

/** A registered user and an authenticated socket of theirs. */
export interface Person {
  user: TestUser;
  s: TestSocket;
}

export interface PeopleServer {
  readonly server: TestServer;
  /** `n` fresh users (names start with `prefix`), each with a socket closed after the suite. */
  people(n: number): Promise<Person[]>;
  /** A socket the suite closes afterwards (for one not made by people()). */
  keep(s: TestSocket): TestSocket;
}

/** A server of `setup` for one describe block, with `env`, and a factory of signed-in people. */
export function usePeopleServer(
  setup: Pick<ServerSetup, 'redis' | 'postgres'>,
  env: Record<string, string>,
  prefix: string,
): PeopleServer {
  let server: TestServer | undefined;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    server = await startTestServer({ redis: setup.redis, postgres: setup.postgres, env });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server?.close();
  });
  const started = (): TestServer => {
    if (!server) throw new Error('the server starts in beforeAll');
    return server;
  };
  const keep = (s: TestSocket) => {
    sockets.push(s);
    return s;
  };
  return {
    get server() {
      return started();
    },
    keep,
    async people(n) {
      const srv = started();
      const users = await Promise.all(Array.from({ length: n }, () => registerUser(srv, prefix)));
      return Promise.all(
        users.map(async (user) => ({
          user,
          s: keep(await TestSocket.authed(srv.url, user.token)),
        })),
      );
    },
  };
}
