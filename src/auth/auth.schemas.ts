import Joi from 'joi';
import { userResponse } from '../users/index.js';

export const loginBody = Joi.object({
  username: Joi.string().trim().min(1).max(50).required(),
  password: Joi.string().min(1).max(200).required(),
});

/** Required unless the web client sends `X-Auth-Transport: cookie` and the token travels in its cookie. */
export const refreshBody = Joi.object({
  refreshToken: Joi.string().min(20).max(200),
});

export const tokenResponse = Joi.object({
  accessToken: Joi.string(),
  refreshToken: Joi.string(),
  expiresIn: Joi.number().integer().description('Thời hạn mã truy cập, giây'),
  tokenType: Joi.string().valid('Bearer'),
  user: userResponse,
});

export const meResponse = userResponse.keys({
  org: Joi.object({ id: Joi.string(), code: Joi.string(), name: Joi.string(), level: Joi.string() }),
});
