export type { CreateUserStoreOptions, UserStoreLogger } from './create-user-store.js';
export { createUserStore } from './create-user-store.js';
export { KyselyUserStore } from './kysely-user-store.js';
export type { NewUser, UserRecord, UserStore } from './user-store.js';
