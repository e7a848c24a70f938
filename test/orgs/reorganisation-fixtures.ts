import { expect } from 'chai';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { checkOrgPaths } from '../../src/reorganisation/index.js';
import { OrgOperation, OrgOperationClaim } from '../../src/reorganisation/reorganisation.model.js';
import { arrange, loginAdmin, type Session } from '../support/api.js';
import { createOrg, createProvinceTree, memberBody, type Org, type ProvinceTree } from '../support/factory.js';

export const EFFECTIVE = '2025-07-01';
export const REASON = 'Thực hiện chính quyền địa phương hai cấp từ 01/7/2025';

export interface OperationView {
  id: string;
  kind: string;
  status: string;
  progress: { done: number; total: number };
  steps: { kind: string; collection: string | null; done: boolean; modified: number }[];
}

export async function moveOk(admin: Session, orgId: string, parentId: string): Promise<OperationView> {
  const op = await arrange<OperationView>(
    admin.post(`/api/v1/orgs/${orgId}/move`, { parentId, effectiveDate: EFFECTIVE, reason: REASON }),
    200,
  );
  expect(op.status).to.equal('succeeded');
  expect(op.progress.done).to.equal(op.progress.total);
  return op;
}

/** GET as each session; answers the statuses in order. */
export async function statuses(sessions: Session[], path: string): Promise<number[]> {
  return Promise.all(sessions.map(async (s) => (await s.get(path)).status));
}

export async function storedOrgPath(id: string): Promise<string[]> {
  const org = await OrgModel.findById(id).lean();
  return (org?.orgPath ?? []).map(String);
}

/** The chain check of `npm run reconcile`, limited to what lies under one province (other tests share the database). */
export async function expectOrgPathsClean(provinceId: string): Promise<void> {
  const differences = (await checkOrgPaths()).filter(
    (d) => d.recorded.includes(provinceId) || d.expected?.includes(provinceId),
  );
  expect(differences, JSON.stringify(differences)).to.deep.equal([]);
}

export async function expectNoClaims(operationId: string): Promise<void> {
  expect(await OrgOperationClaim.countDocuments({ operationId })).to.equal(0);
  expect((await OrgOperation.findById(operationId).lean())?.status).to.equal('succeeded');
}

export interface MoveWorld {
  tree: ProvinceTree;
  /** A second upper union of the province: where the grassroots union is moved. */
  upper2: Org;
  /** Three members of the grassroots union, which move with it. */
  memberIds: string[];
}

/** A province with a grassroots union of three members under one upper union, and a second upper union. */
export async function moveWorld(): Promise<MoveWorld> {
  const tree = await createProvinceTree();
  const upper2 = await createOrg(await loginAdmin(), tree.province.id, 'upper', 'Công đoàn Khu kinh tế Vũng Áng');
  const memberIds: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const body = memberBody(tree.grassroots.id);
    memberIds.push((await arrange<{ id: string }>(tree.sessions.officer.post('/api/v1/members', body))).id);
  }
  return { tree, upper2, memberIds };
}
