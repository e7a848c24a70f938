export { userRoutes } from './users.routes.js';
export { usersRepository, type UserRecord } from './users.repository.js';
export { hashPassword, verifyPassword, dummyPasswordHash, generatePassword, MIN_PASSWORD_LENGTH } from './password.js';
