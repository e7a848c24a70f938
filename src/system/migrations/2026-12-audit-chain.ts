import { chainUnchainedEntries } from '../../audit/index.js';
import type { Migration } from './migration.js';

export const auditChain: Migration = {
  id: '2026-12-audit-chain',
  description: 'audit chain: give the entries written before it a position and a hash (SPEC §15)',
  up: async (db) => {
    await chainUnchainedEntries(db);
  },
};
