import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import type { Role } from '../core/shared/roles.js';
import { fundJSON } from './funds.repository.js';
import {
  adjustFundBody,
  createFundBody,
  fundPage,
  fundResponse,
  listFundsQuery,
  statementQuery,
  statementResponse,
} from './funds.schemas.js';
import {
  adjustFund,
  createFund,
  fundStatement,
  getFundInScope,
  listFunds,
  type FundListQuery,
} from './funds.service.js';

const tag = 'Nguồn kinh phí';
/** Accountants and approvers of the province manage funds; administrators read everything in their subtree (SPEC §2). */
const MANAGERS: readonly Role[] = ['accountant', 'approver'];
const READERS: readonly Role[] = ['accountant', 'approver', 'admin'];

export const fundRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/funds',
    tag,
    roles: MANAGERS,
    summary: 'Tạo nguồn kinh phí của tỉnh',
    description: 'Mã nguồn là duy nhất trong một tỉnh. Số phân bổ ban đầu được ghi vào sổ chi tiết của nguồn.',
    schemas: { body: createFundBody },
    responses: { 201: { description: 'Đã tạo', schema: fundResponse } },
    handler: async (req, res) => {
      res.status(201).json(fundJSON(await createFund(principalOf(req), actorOf(req), req.body)));
    },
  },
  {
    method: 'get',
    path: '/funds',
    tag,
    roles: READERS,
    summary: 'Danh sách nguồn kinh phí trong phạm vi, với số phân bổ, đã cam kết, đã chi và còn lại',
    schemas: { query: listFundsQuery },
    responses: { 200: { description: 'Một trang', schema: fundPage } },
    handler: async (req, res) => {
      res.json(await listFunds(principalOf(req), validQuery<FundListQuery>(res)));
    },
  },
  {
    method: 'get',
    path: '/funds/:id',
    tag,
    roles: READERS,
    summary: 'Một nguồn kinh phí',
    schemas: { params: idParams },
    responses: { 200: { description: 'Nguồn', schema: fundResponse } },
    handler: async (req, res) => {
      res.json(fundJSON(await getFundInScope(principalOf(req), String(req.params.id))));
    },
  },
  {
    method: 'post',
    path: '/funds/:id/adjustments',
    tag,
    roles: MANAGERS,
    summary: 'Điều chỉnh số phân bổ của nguồn (tăng hoặc giảm, có lý do)',
    description:
      'Không giảm được xuống dưới số đã cam kết cho hồ sơ: 409 `INSUFFICIENT_FUNDS`. Mỗi lần điều chỉnh được ghi vào sổ và nhật ký.',
    schemas: { params: idParams, body: adjustFundBody },
    responses: { 200: { description: 'Nguồn sau điều chỉnh', schema: fundResponse } },
    handler: async (req, res) => {
      res.json(fundJSON(await adjustFund(principalOf(req), actorOf(req), String(req.params.id), req.body)));
    },
  },
  {
    method: 'get',
    path: '/funds/:id/statement',
    tag,
    roles: READERS,
    summary: 'Sổ chi tiết nguồn: mọi phát sinh (phân bổ, cam kết, giải phóng, chi, hủy chi) với số dư lũy kế',
    description:
      '`running` sau mỗi dòng: allocated, committed, disbursed, available (= allocated − committed), balance (= allocated − disbursed).',
    schemas: { params: idParams, query: statementQuery },
    responses: { 200: { description: 'Sổ chi tiết', schema: statementResponse } },
    handler: async (req, res) => {
      res.json(
        await fundStatement(principalOf(req), String(req.params.id), validQuery<{ from?: string; to?: string }>(res)),
      );
    },
  },
];
