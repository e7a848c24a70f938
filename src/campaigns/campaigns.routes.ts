import { idParams } from '../core/http/common-schemas.js';
import { principalOf } from '../core/http/request-context.js';
import type { RouteDef } from '../core/http/route.js';
import { validQuery } from '../core/http/validate.js';
import { campaignJSON } from './campaigns.repository.js';
import {
  campaignPage,
  campaignResponse,
  createCampaignBody,
  listCampaignsQuery,
  updateCampaignBody,
} from './campaigns.schemas.js';
import {
  createCampaign,
  getVisibleCampaign,
  listCampaigns,
  updateCampaign,
  type CampaignListQuery,
} from './campaigns.service.js';

const tag = 'Đợt hỗ trợ';

export const campaignRoutes: RouteDef[] = [
  {
    method: 'post',
    path: '/campaigns',
    tag,
    roles: ['approver'],
    summary: 'Tạo đợt hỗ trợ của tỉnh (ví dụ "Tết Bính Ngọ 2026")',
    schemas: { body: createCampaignBody },
    responses: { 201: { description: 'Đã tạo', schema: campaignResponse } },
    handler: async (req, res) => {
      res.status(201).json(campaignJSON(await createCampaign(principalOf(req), req.body)));
    },
  },
  {
    method: 'get',
    path: '/campaigns',
    tag,
    summary: 'Các đợt của tỉnh mình (và của cây con), với dự toán so với số đã phê duyệt',
    schemas: { query: listCampaignsQuery },
    responses: { 200: { description: 'Một trang', schema: campaignPage } },
    handler: async (req, res) => {
      res.json(await listCampaigns(principalOf(req), validQuery<CampaignListQuery>(res)));
    },
  },
  {
    method: 'get',
    path: '/campaigns/:id',
    tag,
    summary: 'Một đợt hỗ trợ',
    schemas: { params: idParams },
    responses: { 200: { description: 'Đợt', schema: campaignResponse } },
    handler: async (req, res) => {
      res.json(campaignJSON(await getVisibleCampaign(principalOf(req), String(req.params.id))));
    },
  },
  {
    method: 'patch',
    path: '/campaigns/:id',
    tag,
    roles: ['approver'],
    summary: 'Sửa tên, thời gian hoặc dự toán của đợt',
    schemas: { params: idParams, body: updateCampaignBody },
    responses: { 200: { description: 'Đã sửa', schema: campaignResponse } },
    handler: async (req, res) => {
      res.json(campaignJSON(await updateCampaign(principalOf(req), String(req.params.id), req.body)));
    },
  },
];
