export { userRoutes } from './users.routes.js';
export { forgetUsers, usersRepository, type UserRecord } from './users.repository.js';
export { hashPassword, verifyPassword, dummyPasswordHash, generatePassword, MIN_PASSWORD_LENGTH } from './password.js';
export { createUser } from './users.service.js';
export { principalOf } from './principal.js';
export { userResponse } from './users.schemas.js';
