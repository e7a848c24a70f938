import Joi from 'joi';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import {
  createProgramBody,
  effectiveRulesQuery,
  overrideBody,
  programCodeParams,
  programResponse,
  rulesSchema,
  updateProgramBody,
  overrideRulesSchema,
} from './programs.schemas.js';
import {
  createProgram,
  findProgram,
  programJSON as toJSON,
  listPrograms,
  removeProvinceOverride,
  rulesForOrg,
  setProvinceOverride,
  updateProgram,
} from './programs.service.js';

const tag = 'Chương trình';
const params = programCodeParams;
const effectiveRulesResponse = Joi.object({
  programCode: Joi.string(),
  provinceId: Joi.string().allow(null),
  rules: rulesSchema,
});

export const programRoutes: RouteDef[] = [
  {
    method: 'get',
    path: '/programs',
    tag,
    summary: 'Các chương trình hỗ trợ và quy định mặc định',
    responses: { 200: { description: 'Danh sách', schema: Joi.object({ items: Joi.array().items(programResponse) }) } },
    handler: async (_req, res) => {
      res.json({ items: (await listPrograms()).map(toJSON) });
    },
  },
  {
    method: 'post',
    path: '/programs',
    tag,
    roles: ['admin'],
    summary: 'Thêm chương trình (quản trị viên cấp Tổng Liên đoàn)',
    description:
      'Chương trình là dữ liệu: quy trình, quyết định, chi trả và báo cáo dùng được ngay, không cần sửa mã nguồn.',
    schemas: { body: createProgramBody },
    responses: { 201: { description: 'Đã tạo', schema: programResponse } },
    handler: async (req, res) => {
      res.status(201).json(toJSON(await createProgram(principalOf(req), actorOf(req), req.body)));
    },
  },
  {
    method: 'get',
    path: '/programs/:code',
    tag,
    summary: 'Một chương trình với quy định mặc định',
    schemas: { params },
    responses: { 200: { description: 'Chương trình', schema: programResponse } },
    handler: async (req, res) => {
      res.json(toJSON(await findProgram(String(req.params.code))));
    },
  },
  {
    method: 'patch',
    path: '/programs/:code',
    tag,
    roles: ['admin'],
    summary: 'Sửa chương trình hoặc quy định mặc định (quản trị viên cấp Tổng Liên đoàn)',
    schemas: { params, body: updateProgramBody },
    responses: { 200: { description: 'Đã sửa', schema: programResponse } },
    handler: async (req, res) => {
      res.json(toJSON(await updateProgram(principalOf(req), actorOf(req), String(req.params.code), req.body)));
    },
  },
  {
    method: 'get',
    path: '/programs/:code/rules',
    tag,
    summary: 'Quy định đang áp dụng cho một tỉnh (mặc định và quy định riêng của tỉnh)',
    schemas: { params, query: effectiveRulesQuery },
    responses: { 200: { description: 'Quy định áp dụng', schema: effectiveRulesResponse } },
    handler: async (req, res) => {
      const { orgId } = validQuery<{ orgId?: string }>(res);
      res.json(await rulesForOrg(principalOf(req), String(req.params.code), orgId));
    },
  },
  {
    method: 'put',
    path: '/programs/:code/rules',
    tag,
    roles: ['approver'],
    summary:
      'Đặt quy định riêng của tỉnh cho chương trình (mức tối đa, thời gian tham gia, giấy tờ, thẩm định, đợt chi)',
    description: 'Quy định mặc định không thay đổi; quy định riêng thay thế toàn bộ quy định riêng trước đó của tỉnh.',
    schemas: { params, body: overrideBody },
    responses: {
      200: {
        description: 'Quy định áp dụng sau khi đặt',
        schema: effectiveRulesResponse.keys({ override: overrideRulesSchema }),
      },
    },
    handler: async (req, res) => {
      res.json(
        await setProvinceOverride(
          principalOf(req),
          actorOf(req),
          String(req.params.code),
          req.body.orgId,
          req.body.rules,
        ),
      );
    },
  },
  {
    method: 'delete',
    path: '/programs/:code/rules',
    tag,
    roles: ['approver'],
    summary: 'Bỏ quy định riêng của tỉnh, trở về quy định mặc định',
    schemas: { params, query: effectiveRulesQuery },
    responses: { 204: { description: 'Đã bỏ' } },
    handler: async (req, res) => {
      await removeProvinceOverride(
        principalOf(req),
        actorOf(req),
        String(req.params.code),
        validQuery<{ orgId?: string }>(res).orgId,
      );
      res.status(204).end();
    },
  },
];
