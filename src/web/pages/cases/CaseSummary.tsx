import { Card, Descriptions, Typography } from 'antd';
import { CampaignName, OrgName, ProgramName } from '../../components/EntityNames';
import { date, dateTime } from '../../lib/format';
import { GENDER_NAMES, label, SUBTYPE_NAMES } from '../../lib/labels';
import { bankLabel } from '../../../core/shared/banks';
import { mask } from '../../../core/shared/masking';
import type { CaseView } from './caseQueries';
import { detailRows } from './caseDetails';
import { SectionTitle } from './SectionTitle';

/** The member as the case recorded them when it was submitted. */
type Snapshot = NonNullable<CaseView['memberSnapshot']>;

const COLUMNS = { xs: 1, md: 2 };

function addressOf(snapshot: Snapshot): string {
  const { detail, commune, province } = snapshot.address ?? {};
  return [detail, commune, province].filter(Boolean).join(', ') || '—';
}

/** The member as they were at submission (SPEC §5); CCCD and account number masked on screen. */
function MemberCard({ record }: { record: CaseView }) {
  const snapshot = record.memberSnapshot;
  if (!snapshot) {
    return (
      <Card title={<SectionTitle>Đoàn viên</SectionTitle>}>
        <Typography.Paragraph strong>{record.memberName}</Typography.Paragraph>
        <Typography.Text type="secondary">Thông tin đoàn viên được chụp lại khi gửi hồ sơ.</Typography.Text>
      </Card>
    );
  }
  const bank = snapshot.bankAccount;
  return (
    <Card
      title={<SectionTitle>Đoàn viên</SectionTitle>}
      extra={<Typography.Text type="secondary">Tại thời điểm gửi {dateTime(snapshot.takenAt)}</Typography.Text>}
    >
      <Descriptions
        size="small"
        column={COLUMNS}
        items={[
          { key: 'name', label: 'Họ và tên', children: snapshot.fullName },
          { key: 'cccd', label: 'Số CCCD', children: mask(snapshot.citizenId) ?? '—' },
          { key: 'dob', label: 'Ngày sinh', children: date(snapshot.dateOfBirth) },
          { key: 'gender', label: 'Giới tính', children: label(GENDER_NAMES, snapshot.gender) },
          { key: 'joined', label: 'Ngày vào công đoàn', children: date(snapshot.joinedUnionAt) },
          { key: 'card', label: 'Số thẻ đoàn viên', children: snapshot.unionCardNo || '—' },
          { key: 'phone', label: 'Điện thoại', children: snapshot.phone || '—' },
          { key: 'address', label: 'Địa chỉ', children: addressOf(snapshot) },
          {
            key: 'bank',
            label: 'Tài khoản',
            children: bank ? `${mask(bank.accountNo)} · ${bank.accountName ?? ''} (${bankLabel(bank.bankBin)})` : '—',
          },
        ]}
      />
    </Card>
  );
}

/** What the case asks for and for whom: program, kind, campaign, union, situation and the program's details. */
export function CaseSummary({ record }: { record: CaseView }) {
  return (
    <>
      <Card title={<SectionTitle>Thông tin hồ sơ</SectionTitle>}>
        <Descriptions
          size="small"
          column={COLUMNS}
          items={[
            { key: 'program', label: 'Chương trình', children: <ProgramName code={record.programCode} /> },
            { key: 'subtype', label: 'Loại hỗ trợ', children: label(SUBTYPE_NAMES, record.subtype) },
            {
              key: 'campaign',
              label: 'Đợt hỗ trợ',
              children: record.campaignId ? <CampaignName id={record.campaignId} /> : 'Không thuộc đợt',
            },
            { key: 'union', label: 'Công đoàn cơ sở', children: <OrgName id={record.orgId} /> },
            {
              key: 'created',
              label: 'Người tạo',
              children: `${record.createdBy?.name ?? '—'}, ${date(record.createdAt)}`,
            },
            { key: 'submitted', label: 'Ngày gửi', children: date(record.submittedAt) },
            {
              key: 'situation',
              label: 'Hoàn cảnh',
              span: 'filled',
              children: <span style={{ whiteSpace: 'pre-wrap' }}>{record.situation || '—'}</span>,
            },
            ...detailRows(record.details),
          ]}
        />
      </Card>
      <MemberCard record={record} />
    </>
  );
}
