/**
 * What the auth tests share: one province tree for the whole folder (built on first use), fresh users in it,
 * and short ways to call the auth endpoints and read the stored refresh tokens.
 */
import { createHash } from 'node:crypto';
import type request from 'supertest';
import { RefreshToken } from '../../src/auth/auth.models.js';
import { api } from '../support/api.js';
import { createProvinceTree, createUser, PASSWORD, type ProvinceTree } from '../support/factory.js';

let tree: Promise<ProvinceTree> | undefined;

export function authTree(): Promise<ProvinceTree> {
  tree ??= createProvinceTree();
  return tree;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
}

/** A new grassroots officer created by the province admin, so that every test owns its counters and sessions. */
export async function newOfficer(): Promise<TestUser> {
  const { sessions, grassroots } = await authTree();
  const user = await createUser(sessions.admin, grassroots.id, ['grassroots_officer']);
  return { ...user, password: PASSWORD };
}

export function signIn(username: unknown, password: unknown): request.Test {
  return api().post('/api/v1/auth/login').send({ username, password });
}

export function me(accessToken: string): request.Test {
  return api().get('/api/v1/auth/me').set('Authorization', `Bearer ${accessToken}`);
}

export function refreshWith(refreshToken: string): request.Test {
  return api().post('/api/v1/auth/refresh').send({ refreshToken });
}

export function logoutWith(refreshToken: string): request.Test {
  return api().post('/api/v1/auth/logout').send({ refreshToken });
}

/** Refresh tokens are stored only as their SHA-256 hex digest. */
export function storedRefreshToken(refreshToken: string) {
  const tokenHash = createHash('sha256').update(refreshToken).digest('hex');
  return RefreshToken.findOne({ tokenHash }).lean();
}
