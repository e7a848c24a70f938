export { memberRoutes } from './members.routes.js';
export { createMember, createMembers, getMemberInScope, type MemberInput } from './members.service.js';
export { membersRepository, type MemberRecord } from './members.repository.js';
export { mask, maskMember } from '../core/shared/masking.js';
