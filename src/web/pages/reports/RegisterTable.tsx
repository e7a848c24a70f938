import { READABLE_TAG } from '../../lib/tag-colors';
import { Grid, Table, Typography, Tag, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { date, groupDigits, money } from '../../lib/format';
import { REGISTER_PAGE_SIZE } from './reportQueries';
import type { RegisterLine, RegisterReport } from './reportTypes';

const columns: TableColumnsType<RegisterLine> = [
  { title: 'STT', dataIndex: 'no', align: 'right', width: 56, responsive: ['sm'] },
  { title: 'Ngày', dataIndex: 'paidAt', className: 'list-whole', render: (day: string) => date(day) },
  { title: 'Số chứng từ', dataIndex: 'voucherNo', responsive: ['md'] },
  {
    title: 'Mã hồ sơ',
    dataIndex: 'caseCode',
    // On a phone the date, the beneficiary and the amount fill the width; the case code comes back from `sm`.
    responsive: ['sm'],
    // Ant Design's default link blue is 4.1:1 on white, below WCAG AA; this one is 5.9:1.
    render: (code: string) => (
      <Link to={`/cases?q=${encodeURIComponent(code)}`} style={{ color: '#0958d9' }}>
        {code}
      </Link>
    ),
  },
  { title: 'Người thụ hưởng', dataIndex: 'beneficiary' },
  { title: 'Công đoàn cơ sở', dataIndex: 'union', responsive: ['lg'] },
  { title: 'Nguồn', dataIndex: 'fund', responsive: ['md'] },
  {
    title: 'Số tiền',
    dataIndex: 'amount',
    align: 'right',
    className: 'list-whole',
    render: (amount: number, line) =>
      line.kind === 'reversal' ? (
        <span>
          <Tag color={READABLE_TAG.volcano}>Hủy chi</Tag>
          {money(amount)}
        </span>
      ) : (
        money(amount)
      ),
  },
  {
    title: 'Lũy kế',
    dataIndex: 'runningTotal',
    align: 'right',
    className: 'list-whole',
    render: (amount: number) => money(amount),
    responsive: ['sm'],
  },
];

/**
 * The register (sổ chi trả) of the period in the order of entry, fifty lines at a time, each page asked of the
 * server (`page`, `limit`), with the whole register's total at the foot of every page.
 */
export function RegisterTable({
  report,
  loading,
  page,
  onPage,
}: {
  report?: RegisterReport;
  loading: boolean;
  page: number;
  onPage: (page: number) => void;
}) {
  const lines = report?.lines ?? [];
  // The total row spans the columns the screen shows: narrow screens hide some (`responsive`).
  const screens = Grid.useBreakpoint();
  const shown = columns.filter((column) => !column.responsive || column.responsive.some((size) => screens[size]));
  const amountAt = shown.findIndex((column) => 'dataIndex' in column && column.dataIndex === 'amount');
  return (
    <Table<RegisterLine>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={lines}
      loading={loading}
      // As wide as its card at every width: text columns wrap, the date and the amounts stay whole (a phone shows
      // fewer columns, `responsive`), so the amounts are always in view without scrolling.
      className="list-table"
      // Table's own empty text is drawn in the disabled grey, too pale to read (WCAG contrast).
      locale={{ emptyText: <Typography.Text type="secondary">Không có khoản chi nào trong kỳ này</Typography.Text> }}
      pagination={{
        current: page,
        pageSize: REGISTER_PAGE_SIZE,
        total: report?.total.count ?? 0,
        onChange: onPage,
        hideOnSinglePage: true,
        showSizeChanger: false,
        showTotal: (count, [first, last]) => `${first}–${last} / ${groupDigits(count)} bút toán`,
      }}
      summary={() =>
        report &&
        lines.length > 0 && (
          <Table.Summary.Row className="report-total">
            <Table.Summary.Cell index={0} colSpan={amountAt}>
              <strong>Tổng cộng: {groupDigits(report.total.count)} bút toán</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={amountAt} align="right">
              <strong>{money(report.total.amount)}</strong>
            </Table.Summary.Cell>
            {amountAt < shown.length - 1 && (
              <Table.Summary.Cell index={amountAt + 1} colSpan={shown.length - amountAt - 1} />
            )}
          </Table.Summary.Row>
        )
      }
    />
  );
}
