import mongoose from 'mongoose';
import type { Config } from '../core/config.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { Logger } from '../core/logger.js';
import { searchKey } from '../core/search-text.js';
import { orgsRepository } from '../orgs/index.js';
import { ensureBuiltinPrograms } from '../programs/index.js';
import { generatePassword, hashPassword, usersRepository } from '../users/index.js';
import { migrations, runMigrations } from './migrations/index.js';

export const ROOT_ORG = {
  code: 'VN',
  name: 'Tổng Liên đoàn Lao động Việt Nam',
  shortName: 'TLĐLĐVN',
  place: 'Hà Nội',
};

async function ignoreDuplicate<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
}

/** First start (SPEC §11): the built-in programs, the root organisation VN and the `admin` user. Safe to repeat. */
export async function bootstrap(config: Config, logger: Logger): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('bootstrap needs an open database connection');
  // A database written by an earlier version is brought up to date before anything reads it.
  await runMigrations(db, migrations, { logger });
  await ensureBuiltinPrograms();
  let root = await orgsRepository.findByCode(ROOT_ORG.code);
  if (!root) {
    const id = orgsRepository.newId();
    await ignoreDuplicate(() =>
      orgsRepository.insert({
        _id: id,
        ...ROOT_ORG,
        level: 'national',
        parentId: null,
        orgPath: [id],
        address: '',
        parentName: '',
        active: true,
        searchKey: searchKey(`${ROOT_ORG.code} ${ROOT_ORG.name} ${ROOT_ORG.shortName}`),
      }),
    );
    root = await orgsRepository.findByCode(ROOT_ORG.code);
  }
  if (!root) throw new Error('root organisation missing after bootstrap');
  if (await usersRepository.findByUsername('admin')) return;
  const password = config.bootstrapAdminPassword || generatePassword();
  const created = await ignoreDuplicate(async () =>
    usersRepository.insert({
      username: 'admin',
      passwordHash: await hashPassword(password),
      fullName: 'Quản trị hệ thống',
      title: 'Quản trị viên',
      orgId: root._id,
      orgPath: root.orgPath,
      roles: ['admin'],
      active: true,
      sessionVersion: 0,
      lastLoginAt: null,
      searchKey: 'admin quan tri he thong',
    }),
  );
  if (created && !config.bootstrapAdminPassword) {
    // Printed once, on the start that created the account; it is not stored anywhere in clear.
    logger.warn(
      { username: 'admin', initialPassword: password },
      'created the administrator account: change this password',
    );
  }
}
