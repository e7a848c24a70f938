import { Button, type TableColumnsType } from 'antd';
import type { Member, Page } from '../../api/types';
import { OrgName } from '../../components/EntityNames';
import { PagedTable } from '../../components/PagedTable';
import { date } from '../../lib/format';
import { GENDER_NAMES, label } from '../../lib/labels';

interface Props {
  data: Page<Member> | undefined;
  loading: boolean;
  /** A search or filter is on: the empty text says nothing matched rather than nothing exists. */
  searching: boolean;
  showOrg: boolean;
  pageSize: number;
  onPage: (page: number) => void;
  onOpen: (member: Member) => void;
  onEdit?: (member: Member) => void;
}

/** Members as the list API gives them: the CCCD stays masked here, always. */
export function MemberTable({ data, loading, searching, showOrg, pageSize, onPage, onOpen, onEdit }: Props) {
  const columns: TableColumnsType<Member> = [
    {
      title: 'Họ và tên',
      dataIndex: 'fullName',
      render: (name: string, member) => (
        <Button color="primary" variant="link" style={{ padding: 0 }} onClick={() => onOpen(member)}>
          {name}
        </Button>
      ),
    },
    { title: 'Ngày sinh', dataIndex: 'dateOfBirth', render: (day: string) => date(day), responsive: ['sm'] },
    {
      title: 'Giới tính',
      dataIndex: 'gender',
      render: (gender: string) => label(GENDER_NAMES, gender),
      responsive: ['md'],
    },
    { title: 'Số CCCD', dataIndex: 'citizenId' },
    ...(showOrg
      ? [
          {
            title: 'Công đoàn cơ sở',
            dataIndex: 'orgId',
            render: (id: string) => <OrgName id={id} />,
            responsive: ['lg' as const],
          },
        ]
      : []),
    { title: 'Điện thoại', dataIndex: 'phone', render: (phone?: string) => phone || '—', responsive: ['md'] },
    ...(onEdit
      ? [
          {
            title: 'Thao tác',
            key: 'actions',
            render: (_: unknown, member: Member) => (
              <Button size="small" onClick={() => onEdit(member)} aria-label={`Sửa ${member.fullName}`}>
                Sửa
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <PagedTable<Member>
      data={data}
      loading={loading}
      columns={columns}
      pageSize={pageSize}
      unit="đoàn viên"
      emptyText={searching ? 'Không tìm thấy đoàn viên phù hợp.' : 'Chưa có đoàn viên nào.'}
      onPage={onPage}
    />
  );
}
