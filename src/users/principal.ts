import type { Principal } from '../core/scope.js';
import type { Role } from '../core/shared/roles.js';
import type { UserRecord } from './users.repository.js';

/** Who a stored user acts as: a signed-in request, a job run as its starter, the demo data's authors. */
export function principalOf(user: UserRecord): Principal {
  return {
    userId: String(user._id),
    username: user.username,
    fullName: user.fullName,
    orgId: String(user.orgId),
    orgPath: user.orgPath.map(String),
    roles: user.roles as Role[],
  };
}
