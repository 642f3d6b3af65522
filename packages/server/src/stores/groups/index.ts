export type { GroupDatabase } from './db-schema.js';
export type {
  GroupLimits,
  GroupRefusal,
  GroupResult,
  GroupStore,
  NewGroup,
} from './group-store.js';
export { isRefusal } from './group-store.js';
export { KyselyGroupStore } from './kysely-group-store.js';
