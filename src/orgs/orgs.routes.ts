import { idParams } from '../core/http/common-schemas.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { orgsRepository } from './orgs.repository.js';
import { createOrgBody, listOrgsQuery, orgPage, orgResponse, updateOrgBody } from './orgs.schemas.js';
import { createOrg, getOrgInScope, listOrgs, updateOrg, type OrgListQuery } from './orgs.service.js';

const tag = 'Tổ chức';

export const orgRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/orgs',
    tag,
    roles: ['admin'],
    summary: 'Tạo tổ chức công đoàn trực thuộc một tổ chức trong phạm vi',
    schemas: { body: createOrgBody },
    responses: { 201: { description: 'Đã tạo', schema: orgResponse } },
    handler: async (req, res) => {
      const org = await createOrg(principalOf(req), req.body);
      res.status(201).json(orgsRepository.toJSON(org));
    },
  },
  {
    method: 'get',
    path: '/orgs',
    tag,
    summary: 'Danh sách tổ chức trong phạm vi (cây con của tổ chức người dùng)',
    schemas: { query: listOrgsQuery },
    responses: { 200: { description: 'Một trang', schema: orgPage } },
    handler: async (req, res) => {
      res.json(await listOrgs(principalOf(req), validQuery<OrgListQuery>(res)));
    },
  },
  {
    method: 'get',
    path: '/orgs/:id',
    tag,
    summary: 'Xem một tổ chức',
    schemas: { params: idParams },
    responses: { 200: { description: 'Tổ chức', schema: orgResponse } },
    handler: async (req, res) => {
      res.json(orgsRepository.toJSON(await getOrgInScope(principalOf(req), String(req.params.id))));
    },
  },
  {
    method: 'patch',
    path: '/orgs/:id',
    tag,
    roles: ['admin'],
    summary: 'Sửa thông tin tổ chức',
    schemas: { params: idParams, body: updateOrgBody },
    responses: { 200: { description: 'Đã sửa', schema: orgResponse } },
    handler: async (req, res) => {
      res.json(orgsRepository.toJSON(await updateOrg(principalOf(req), String(req.params.id), req.body)));
    },
  },
];
