import { creationAuditDueMigration, memberBenefitsMigration } from '../../cases/index.js';
import { verifyTokensMigration } from '../../decisions/index.js';
import { orgStatusMigration } from '../../orgs/index.js';
import { auditChain } from './2026-12-audit-chain.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';
export { runMigrations, MIGRATIONS_COLLECTION, MIGRATION_LOCK_COLLECTION, type RunOptions } from './runner.js';

/** Every migration, oldest first. Append only: never reorder, rename or remove a released one. */
export const migrations: readonly Migration[] = [
  auditChain,
  verifyTokensMigration,
  orgStatusMigration,
  memberBenefitsMigration,
  creationAuditDueMigration,
];
