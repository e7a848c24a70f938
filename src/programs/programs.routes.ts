import Joi from 'joi';
import type { RouteDef } from '../core/http/route.js';
import { getProgram, listPrograms } from './programs.service.js';

const tag = 'Chương trình';

const programResponse = Joi.object({
  id: Joi.string(),
  code: Joi.string(),
  name: Joi.string(),
  codePrefix: Joi.string(),
  active: Joi.boolean(),
  rules: Joi.object().unknown(true).description('Quy định mặc định: maxAmount, minMembershipMonths, frequency, requiredDocuments, requiresVerification, tranches'),
  createdAt: Joi.string(),
  updatedAt: Joi.string(),
});

export const programRoutes: RouteDef[] = [
  {
    method: 'get', path: '/programs', tag,
    summary: 'Các chương trình hỗ trợ và quy định mặc định',
    responses: { 200: { description: 'Danh sách', schema: Joi.object({ items: Joi.array().items(programResponse) }) } },
    handler: async (_req, res) => {
      res.json({ items: await listPrograms() });
    },
  },
  {
    method: 'get', path: '/programs/:code', tag,
    summary: 'Một chương trình',
    schemas: { params: Joi.object({ code: Joi.string().pattern(/^[a-z][a-z0-9_]{1,40}$/).required() }) },
    responses: { 200: { description: 'Chương trình', schema: programResponse } },
    handler: async (req, res) => {
      res.json(await getProgram(String(req.params.code)));
    },
  },
];
