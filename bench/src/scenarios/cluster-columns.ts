import type { ScenarioContext } from './context.js';
import type { Column } from './rows.js';

/**
 * `ours-cluster` (ours on a private three-master Redis Cluster) is opt-in: it runs only when
 * `--systems` names it, right after ours (Redis), so the two are measured close in time.
 */
export function withCluster<K extends string>(ctx: ScenarioContext, kinds: K[]): K[] {
  if (!ctx.options.systems?.includes('ours-cluster')) return kinds;
  const at = kinds.indexOf('ours-redis' as K) + 1;
  return [...kinds.slice(0, at), 'ours-cluster' as K, ...kinds.slice(at)];
}

/** The cluster's column and Cluster ÷ Redis, appended to a table when the cluster ran. */
export function clusterColumns<K extends string>(
  m: Partial<Record<K, unknown>>,
  columns: Column<K>[],
  headers: string[],
): { columns: Column<K>[]; headers: string[]; notes: string[] } {
  if (!m['ours-cluster' as K]) return { columns, headers, notes: [] };
  return {
    columns: [...columns, 'ours-cluster' as K, { ratio: ['ours-cluster' as K, 'ours-redis' as K] }],
    headers: [...headers, 'ours (Redis Cluster)', 'Cluster ÷ Redis'],
    notes: [
      'ours (Redis Cluster): the same server with REDIS_CLUSTER on three masters (no replicas, hz 100) on this machine; Cluster ÷ Redis above 1× on a latency row means the cluster is slower.',
    ],
  };
}
