export type { BlockRefusal, BlockStore } from './block-store.js';
export type { BlockDatabase, BlockTables } from './db-schema.js';
export { KyselyBlockStore } from './kysely-block-store.js';
