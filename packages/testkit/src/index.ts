export { type NodeCluster, startNodeCluster } from './node-cluster.js';
export { type NodeProcess, startNodeProcess } from './node-process.js';
export { freePort } from './ports.js';
export { dropSchema, requirePostgres, testDatabaseUrl, uniqueSchemaName } from './postgres.js';
export { deleteKeys, rawRedis, requireRedis, testRedisUrl, uniquePrefix } from './redis.js';
export {
  type RedisCluster,
  type RedisClusterNode,
  type RedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.js';
export { type OwnRedis, type OwnRedisOptions, startOwnRedis } from './redis-server.js';
export { serverMainPath } from './server-main.js';
export {
  type ApiInit,
  type ApiResponse,
  startTestServer,
  type TestServer,
} from './start-server.js';
export {
  goodPassword,
  newUsername,
  registerAt,
  registerUser,
  type TestUser,
} from './users.js';
export { waitForRedis } from './wait-for-redis.js';
export { isMessage, TestSocket } from './ws-client.js';
