import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { apiGet } from '../../api/client';
import { useMe, useSession } from '../../api/session';
import type { Member } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgPicker } from '../../components/OrgPicker';
import { PageTitle } from '../../components/PageTitle';
import { useUrlParams } from '../../components/useUrlParams';
import { MemberDetailDrawer } from './MemberDetailDrawer';
import { MemberFormDrawer } from './MemberFormDrawer';
import { MemberTable } from './MemberTable';

const PAGE_SIZE = 20;

/** Roles that may create and edit members (the route table's `editors` in src/members/members.routes.ts). */
const MEMBER_EDITORS = ['grassroots_officer', 'verifier', 'approver', 'admin'] as const;

type Open = { kind: 'detail'; member: Member } | { kind: 'form'; memberId?: string } | null;

/** Đoàn viên: search without diacritics, server paging, CCCD masked as the list API returns it. */
export default function MembersPage() {
  const me = useMe();
  const { hasRole } = useSession();
  const canEdit = hasRole(...MEMBER_EDITORS);
  const aboveGrassroots = me.org.level !== 'grassroots';
  const [params, updateParams] = useUrlParams();
  const [open, setOpen] = useState<Open>(null);
  const q = params.get('q') ?? '';
  const orgId = params.get('orgId') ?? undefined;
  const page = Number(params.get('page')) || 1;

  const query = { q, orgId, page, limit: PAGE_SIZE };
  const members = useQuery({
    queryKey: ['members', query],
    queryFn: () => apiGet('/members', query),
    placeholderData: keepPreviousData,
  });

  /** A new search or filter starts again from the first page. */
  const setFilter = (changes: Record<string, string | undefined>) => updateParams({ page: undefined, ...changes });

  return (
    <>
      <PageTitle
        extra={
          canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen({ kind: 'form' })}>
              Thêm đoàn viên
            </Button>
          )
        }
      >
        Đoàn viên
      </PageTitle>
      <Card>
        <Form layout="vertical" style={{ display: 'flex', flexWrap: 'wrap', columnGap: 16 }}>
          <Form.Item
            label="Tìm theo họ tên hoặc số CCCD"
            htmlFor="member-search"
            style={{ flex: '2 1 280px', minWidth: 0 }}
          >
            <Input.Search
              id="member-search"
              key={q}
              defaultValue={q}
              allowClear
              enterButton="Tìm"
              placeholder="Ví dụ: nguyen van an"
              onSearch={(text) => setFilter({ q: text.trim() || undefined })}
            />
          </Form.Item>
          {aboveGrassroots && (
            <Form.Item label="Công đoàn cơ sở" htmlFor="member-org" style={{ flex: '1 1 240px', minWidth: 0 }}>
              <OrgPicker
                id="member-org"
                level="grassroots"
                allowClear
                placeholder="Tất cả"
                value={orgId}
                onChange={(id) => setFilter({ orgId: id })}
              />
            </Form.Item>
          )}
        </Form>
        <ErrorAlert error={members.error} />
        <MemberTable
          data={members.data}
          loading={members.isFetching}
          searching={Boolean(q || orgId)}
          showOrg={aboveGrassroots}
          pageSize={PAGE_SIZE}
          onPage={(next) => setFilter({ page: next > 1 ? String(next) : undefined })}
          onOpen={(member) => setOpen({ kind: 'detail', member })}
          onEdit={canEdit ? (member) => setOpen({ kind: 'form', memberId: member.id }) : undefined}
        />
      </Card>
      {open?.kind === 'detail' && (
        <MemberDetailDrawer
          member={open.member}
          onClose={() => setOpen(null)}
          onEdit={canEdit ? () => setOpen({ kind: 'form', memberId: open.member.id }) : undefined}
        />
      )}
      {open?.kind === 'form' && <MemberFormDrawer memberId={open.memberId} onClose={() => setOpen(null)} />}
    </>
  );
}
