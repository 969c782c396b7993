import { RedisDocumentStore } from '../../../core/adapters/redis/redis-document-store.js';
import { documentStoreContract } from '../document-store-contract.js';
import { useTestRedis } from './redis-fixture.js';

const { redis, keys } = useTestRedis();
let n = 0;

documentStoreContract('redis', () => new RedisDocumentStore(redis(), keys.documents(`collection-${n++}`)));
