import { type NodeProcess, startNodeProcess } from './node-process.js';
import { dropSchema, requirePostgres, testDatabaseUrl, uniqueSchemaName } from './postgres.js';
import { deleteKeys, requireRedis, testRedisUrl, uniquePrefix } from './redis.js';

/** Nodes that share one Redis key prefix, one PostgreSQL schema and one pepper, as in production. */
export interface NodeCluster {
  /** What every node of the cluster is started with. */
  readonly env: Readonly<Record<string, string>>;
  /** Starts one more node (built server process) of the cluster. */
  start(nodeId: string, env?: Record<string, string>): Promise<NodeProcess>;
  /** Kills every node it started, then removes its keys and schema. */
  dispose(): Promise<void>;
}

/**
 * Several server processes behind no balancer, for multi-node tests. Start nodes one after the
 * other: the first runs the migrations.
 */
export async function startNodeCluster(env: Record<string, string> = {}): Promise<NodeCluster> {
  await Promise.all([requireRedis(), requirePostgres()]);
  const prefix = uniquePrefix();
  const schema = uniqueSchemaName();
  const shared = {
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: prefix,
    DATABASE_URL: testDatabaseUrl,
    DATABASE_SCHEMA: schema,
    PASSWORD_PEPPER: 'a shared pepper of at least thirty-two characters',
    BCRYPT_COST: '4',
    ...env,
  };
  const nodes: NodeProcess[] = [];
  return {
    env: shared,
    async start(nodeId, extra = {}) {
      const node = await startNodeProcess({ ...shared, ...extra, NODE_ID: nodeId });
      nodes.push(node);
      return node;
    },
    async dispose() {
      await Promise.all(nodes.map((n) => n.kill()));
      await deleteKeys(prefix);
      await dropSchema(schema);
    },
  };
}
