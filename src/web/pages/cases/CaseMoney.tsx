import { Card, Descriptions, Table, Typography } from 'antd';
import type { FundAllocation, Tranche } from '../../api/types';
import { money } from '../../lib/format';
import type { CaseView } from './caseQueries';
import type { ProgramRules } from '../../api/types';
import { SectionTitle } from './SectionTitle';

/** Tranches before the first payment fixes them: the program's split of the approved amount, the last taking the rest. */
function plannedTranches(record: CaseView, rules: ProgramRules | undefined): Tranche[] {
  if (record.tranches?.length) return record.tranches;
  const approved = record.approvedAmount ?? 0;
  if (!approved || !rules) return [];
  let left = approved;
  return rules.tranches.map((t, i) => {
    const amount = i === rules.tranches.length - 1 ? left : Math.floor((approved * t.percent) / 100);
    left -= amount;
    return {
      no: i + 1,
      label: t.label,
      percent: t.percent,
      amount,
      paid: 0,
      requiresDocuments: t.requiresDocuments ?? [],
    };
  });
}

const allocationColumns = [
  { title: 'Nguồn kinh phí', key: 'fund', render: (_: unknown, a: FundAllocation) => `${a.fundCode} — ${a.fundName}` },
  { title: 'Số cam kết', dataIndex: 'amount', align: 'right' as const, render: (n: number) => money(n) },
  { title: 'Đã chi', dataIndex: 'paid', align: 'right' as const, render: (n: number) => money(n) },
];

const trancheColumns = [
  { title: 'Đợt chi', key: 'label', render: (_: unknown, t: Tranche) => `${t.no}. ${t.label} (${t.percent}%)` },
  { title: 'Số tiền', dataIndex: 'amount', align: 'right' as const, render: (n: number) => money(n) },
  { title: 'Đã chi', dataIndex: 'paid', align: 'right' as const, render: (n: number) => money(n) },
];

/** Amounts asked, recommended, approved and paid; once approved, the funds committed and the tranches. */
export function CaseMoney({ record, rules }: { record: CaseView; rules: ProgramRules | undefined }) {
  const allocations = record.fundAllocations ?? [];
  const tranches = plannedTranches(record, rules);
  return (
    <Card title={<SectionTitle>Số tiền</SectionTitle>}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'requested', label: 'Đề nghị', children: money(record.requestedAmount) },
          { key: 'recommended', label: 'Thẩm định đề xuất', children: money(record.recommendedAmount) },
          {
            key: 'approved',
            label: 'Phê duyệt',
            children: <Typography.Text strong>{money(record.approvedAmount)}</Typography.Text>,
          },
          { key: 'disbursed', label: 'Đã chi', children: money(record.disbursedAmount) },
        ]}
      />
      {allocations.length > 0 && (
        <Table<FundAllocation>
          rowKey="fundId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={allocationColumns}
          dataSource={allocations}
          title={() => <Typography.Text strong>Phân bổ nguồn kinh phí</Typography.Text>}
          style={{ marginTop: 12 }}
        />
      )}
      {tranches.length > 0 && (
        <Table<Tranche>
          rowKey="no"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={trancheColumns}
          dataSource={tranches}
          title={() => <Typography.Text strong>Các đợt chi</Typography.Text>}
          style={{ marginTop: 12 }}
        />
      )}
    </Card>
  );
}
