import {
  type NodeCluster,
  type NodeProcess,
  startNodeCluster,
  TestSocket,
} from '@ephemeral-chat/testkit';
import { afterAll, beforeAll } from 'vitest';

/** Two nodes of the built server sharing one Redis and one PostgreSQL, for this test file. */
export interface TwoNodes {
  readonly a: NodeProcess;
  readonly b: NodeProcess;
  /** An authenticated socket on `node`, closed after the file's tests. */
  authed(node: NodeProcess, token: string): Promise<TestSocket>;
}

/** Starts node-a and node-b before the file's tests and stops them (and its sockets) after. */
/** Two nodes; `env` is passed to both (e.g. to lift a limit a test would otherwise reach). */
export function useTwoNodes(env: Record<string, string> = {}): TwoNodes {
  let cluster: NodeCluster | undefined;
  let a: NodeProcess | undefined;
  let b: NodeProcess | undefined;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    cluster = await startNodeCluster(env);
    a = await cluster.start('node-a');
    b = await cluster.start('node-b');
  }, 30_000);
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await cluster?.dispose();
  });
  const started = (node: NodeProcess | undefined) => {
    if (!node) throw new Error('the two nodes start in beforeAll');
    return node;
  };
  return {
    get a() {
      return started(a);
    },
    get b() {
      return started(b);
    },
    async authed(node, token) {
      const s = await TestSocket.authed(node.url, token);
      sockets.push(s);
      return s;
    },
  };
}
