/**
 * The demo province (`npm run seed:demo`, demo.ts): Hà Tĩnh as organised since 1 July 2025 and a central sector
 * union (demo-data.ts), users of every role, members, cases in every status, and a Tết list. Uses the same services and rules as the API, on a database already open.
 * Safe to run again: what exists is left alone.
 */
import type { Config } from '../core/config.js';
import type { Principal } from '../core/scope.js';
import { createMember, membersRepository } from '../members/index.js';
import { createOrg, orgsRepository } from '../orgs/index.js';
import { ROOT_ORG } from '../system/index.js';
import { createUser, usersRepository } from '../users/index.js';
import { registerEffects } from '../effects.js';
import { seedDemoCases } from './demo-cases.js';
import { startDissolve } from '../reorganisation/index.js';
import {
  DEMO_ORGS,
  DEMO_REORGANISATION,
  DEMO_PASSWORD,
  DEMO_USERS,
  demoMembers,
  demoNewStructureMembers,
} from './demo-data.js';

export async function seedDemo(config: Config, print: (line: string) => void): Promise<void> {
  // The seed moves cases through the workflow without building the app: report totals and decisions follow.
  registerEffects();
  const admin = await usersRepository.findByUsername('admin');
  const root = await orgsRepository.findByCode(ROOT_ORG.code);
  if (!admin || !root) throw new Error('bootstrap data missing');
  const principal: Principal = {
    userId: String(admin._id),
    username: admin.username,
    fullName: admin.fullName,
    orgId: String(root._id),
    orgPath: root.orgPath.map(String),
    roles: ['admin'],
  };
  const actor = { userId: principal.userId, name: principal.fullName, requestId: 'seed-demo' };

  const orgIds = new Map<string, string>();
  for (const org of DEMO_ORGS) {
    const existing = await orgsRepository.findByCode(org.code);
    const parentId = org.parent ? orgIds.get(org.parent)! : String(root._id);
    const saved = existing ?? (await createOrg(principal, { ...org, parentId, place: org.place ?? 'Hà Tĩnh' }));
    orgIds.set(org.key, String(saved._id));
  }
  // 1 July 2025: the district federation is dissolved and its unions go directly under the province, through
  // the same reorganisation an administrator runs (SPEC §13), so they carry that move in their history.
  const former = await orgsRepository.findById(orgIds.get(DEMO_REORGANISATION.dissolved)!);
  if (former && former.status !== 'dissolved') {
    const { effectiveDate, reason, successor } = DEMO_REORGANISATION;
    await startDissolve(
      principal,
      actor,
      String(former._id),
      { effectiveDate, reason, successorId: orgIds.get(successor)! },
      { run: 'wait' },
    );
  }
  print('Tài khoản demo (mật khẩu chung: ' + DEMO_PASSWORD + '):');
  for (const user of DEMO_USERS) {
    if (!(await usersRepository.findByUsername(user.username))) {
      await createUser(principal, { ...user, orgId: orgIds.get(user.org)!, password: DEMO_PASSWORD });
    }
    print(`  ${user.username.padEnd(20)} ${user.roles.join(', ').padEnd(20)} ${user.fullName}`);
  }
  let created = 0;
  const members = [...demoMembers(), ...demoNewStructureMembers()];
  for (const member of members) {
    if (await membersRepository.findByCitizenId(member.citizenId)) continue;
    const province = DEMO_ORGS.find((o) => o.key === member.org)?.place ?? 'Hà Tĩnh';
    await createMember(principal, actor, { ...member, orgId: orgIds.get(member.org)!, address: { province } });
    created += 1;
  }
  const demoCases = await seedDemoCases(
    config,
    orgIds.get('province')!,
    members.map((m) => m.citizenId),
  );
  print(`Đoàn viên mới: ${created}. Hồ sơ mới: ${demoCases}. Xong.`);
}
