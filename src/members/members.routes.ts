import { idParams } from '../core/http/common-schemas.js';
import { actorOf, principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import type { Role } from '../core/shared/roles.js';
import { membersRepository } from './members.repository.js';
import { createMemberBody, listMembersQuery, memberPage, memberResponse, updateMemberBody } from './members.schemas.js';
import { createMember, listMembers, readMember, updateMember, type MemberListQuery } from './members.service.js';

const tag = 'Đoàn viên';
const editors: Role[] = ['grassroots_officer', 'verifier', 'approver', 'admin'];

export const memberRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/members',
    tag,
    roles: editors,
    summary: 'Thêm đoàn viên vào một công đoàn cơ sở trong phạm vi',
    description: 'Số CCCD là duy nhất trong toàn hệ thống (409 CONFLICT nếu đã có).',
    schemas: { body: createMemberBody },
    responses: { 201: { description: 'Đã tạo (đầy đủ CCCD)', schema: memberResponse } },
    handler: async (req, res) => {
      res.status(201).json(membersRepository.toJSON(await createMember(principalOf(req), actorOf(req), req.body)));
    },
  },
  {
    method: 'get',
    path: '/members',
    tag,
    summary: 'Danh sách đoàn viên trong phạm vi (CCCD và số tài khoản được che)',
    schemas: { query: listMembersQuery },
    responses: { 200: { description: 'Một trang', schema: memberPage } },
    handler: async (req, res) => {
      res.json(await listMembers(principalOf(req), validQuery<MemberListQuery>(res)));
    },
  },
  {
    method: 'get',
    path: '/members/:id',
    tag,
    summary: 'Xem một đoàn viên với đầy đủ CCCD và số tài khoản (mỗi lần xem được ghi nhật ký)',
    schemas: { params: idParams },
    responses: { 200: { description: 'Đoàn viên', schema: memberResponse } },
    handler: async (req, res) => {
      res.json(membersRepository.toJSON(await readMember(principalOf(req), actorOf(req), String(req.params.id))));
    },
  },
  {
    method: 'patch',
    path: '/members/:id',
    tag,
    roles: editors,
    summary: 'Sửa thông tin đoàn viên',
    description: '`bankAccount: null` xóa tài khoản ngân hàng; `unionCardNo: ""` xóa số thẻ.',
    schemas: { params: idParams, body: updateMemberBody },
    responses: { 200: { description: 'Đã sửa', schema: memberResponse } },
    handler: async (req, res) => {
      res.json(
        membersRepository.toJSON(await updateMember(principalOf(req), actorOf(req), String(req.params.id), req.body)),
      );
    },
  },
];
