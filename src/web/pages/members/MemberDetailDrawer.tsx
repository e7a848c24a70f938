import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Flex, Grid, Typography } from 'antd';
import { apiGet } from '../../api/client';
import type { Member } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgName } from '../../components/EntityNames';
import { date } from '../../lib/format';
import { GENDER_NAMES, label } from '../../lib/labels';
import { bankLabel } from '../../../core/shared/banks';

interface Props {
  /** The member as the list shows it: CCCD and account number masked. */
  member: Member;
  onClose: () => void;
  onEdit?: () => void;
}

function addressText(address: Member['address']): string {
  return [address?.detail, address?.commune, address?.province].filter(Boolean).join(', ') || '—';
}

/**
 * A member as the list holds it. The full CCCD and account number come only from an explicit request
 * (each one written to the audit log) and live only in this drawer while it is open.
 */
export function MemberDetailDrawer({ member, onClose, onEdit }: Props) {
  const screens = Grid.useBreakpoint();
  const reveal = useMutation({ mutationFn: () => apiGet(`/members/${member.id}`) });
  const shown = reveal.data ?? member;
  const bank = shown.bankAccount;

  return (
    <Drawer open title={member.fullName} size={screens.md ? 560 : '100%'} onClose={onClose} destroyOnHidden>
      <ErrorAlert error={reveal.error} />
      <Descriptions
        column={1}
        bordered
        size="small"
        items={[
          { key: 'dob', label: 'Ngày sinh', children: date(member.dateOfBirth) },
          { key: 'gender', label: 'Giới tính', children: label(GENDER_NAMES, member.gender) },
          { key: 'cccd', label: 'Số CCCD', children: <span className="member-citizen-id">{shown.citizenId}</span> },
          { key: 'card', label: 'Số thẻ đoàn viên', children: member.unionCardNo || '—' },
          { key: 'org', label: 'Công đoàn cơ sở', children: <OrgName id={member.orgId} /> },
          { key: 'joined', label: 'Ngày vào công đoàn', children: date(member.joinedUnionAt) },
          { key: 'phone', label: 'Số điện thoại', children: member.phone || '—' },
          { key: 'address', label: 'Địa chỉ', children: addressText(member.address) },
          {
            key: 'bank',
            label: 'Tài khoản ngân hàng',
            children: bank ? `${bank.accountNo} · ${bankLabel(bank.bankBin)} · ${bank.accountName}` : '—',
          },
        ]}
      />
      <Flex gap={8} wrap style={{ marginTop: 16 }}>
        {!reveal.data && (
          <Button icon={<EyeOutlined />} loading={reveal.isPending} onClick={() => reveal.mutate()}>
            Xem số CCCD đầy đủ
          </Button>
        )}
        {onEdit && (
          <Button type="primary" onClick={onEdit}>
            Sửa thông tin
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {reveal.data
          ? 'Đã hiện số CCCD và số tài khoản đầy đủ; lần xem này đã được ghi vào nhật ký.'
          : 'Số CCCD và số tài khoản được che. Mỗi lần xem số đầy đủ được ghi vào nhật ký.'}
      </Typography.Paragraph>
    </Drawer>
  );
}
