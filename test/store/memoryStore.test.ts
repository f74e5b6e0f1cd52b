import { createMemoryStore } from '../../src/store/memoryStore.js';
import { describeEventStoreContract } from './contract.js';

describeEventStoreContract('memory store', async () => createMemoryStore());
