import { Grid, Input, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { money } from '../../lib/format';
import { StatusTag } from '../../components/CaseTable';
import { ListTable } from '../../components/ListTable';
import type { BatchCase } from './batch-types';
import { BATCH_PAGE_SIZE, useBatchCases } from './useBatch';

export const MIN_REASON = 5;

export const batchCaseColumns: NonNullable<TableProps<BatchCase>['columns']> = [
  {
    title: 'Mã hồ sơ',
    dataIndex: 'code',
    // A code is read whole: the names give way instead.
    className: 'list-whole',
    render: (code: string, record) => <Link to={`/cases/${record.id}`}>{code}</Link>,
  },
  { title: 'Đoàn viên', dataIndex: 'memberName' },
  { title: 'Số CCCD', dataIndex: 'citizenIdMasked', responsive: ['md'] },
  { title: 'Trạng thái', dataIndex: 'status', render: (status: string) => <StatusTag status={status} /> },
  { title: 'Số tiền đề nghị', dataIndex: 'requestedAmount', align: 'right', render: (amount: number) => money(amount) },
];

const amountColumns: NonNullable<TableProps<BatchCase>['columns']> = [
  {
    title: 'Thẩm định đề xuất',
    dataIndex: 'recommendedAmount',
    align: 'right',
    render: (amount: number | null) => money(amount),
    responsive: ['lg'],
  },
  {
    title: 'Phê duyệt',
    dataIndex: 'approvedAmount',
    align: 'right',
    render: (amount: number | null) => money(amount),
    responsive: ['lg'],
  },
];

/** The cases left out of the action being prepared, each with the reason typed for it. */
export interface Exclusions {
  /** Statuses the action applies to: only those cases can be left out of it. */
  eligible: ReadonlySet<string>;
  reasons: Record<string, string>;
  /** The cases left out now, with the cases of the page they were ticked on (for their amounts). */
  onChange: (reasons: Record<string, string>, shown: readonly BatchCase[]) => void;
  /** After a send was tried: a missing or too short reason is marked. */
  showErrors: boolean;
}

export function missingReasons(reasons: Record<string, string>): number {
  return Object.values(reasons).filter((reason) => reason.trim().length < MIN_REASON).length;
}

function reasonColumn(
  exclusions: Exclusions,
  codeOf: Map<string, string>,
  phone: boolean,
): NonNullable<TableProps<BatchCase>['columns']>[number] {
  return {
    title: 'Lý do loại ra',
    key: 'reason',
    render: (_: unknown, record) => {
      const reason = exclusions.reasons[record.id];
      if (reason === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
      const invalid = exclusions.showErrors && reason.trim().length < MIN_REASON;
      return (
        <Input
          aria-label={`Lý do loại hồ sơ ${codeOf.get(record.id)}`}
          value={reason}
          status={invalid ? 'error' : undefined}
          placeholder={`Ít nhất ${MIN_REASON} ký tự`}
          maxLength={2000}
          style={phone ? { width: '100%' } : { minWidth: 220 }}
          onChange={(event) => exclusions.onChange({ ...exclusions.reasons, [record.id]: event.target.value }, [])}
        />
      );
    },
  };
}

/**
 * The batch's cases with their statuses and amounts, a page at a time from the server (GET /batches/:id/cases,
 * in the order of the file): a list of 20,000 cases is never read whole into the page. While an action is
 * prepared, the cases it applies to can be ticked to leave them out, on any page, and each ticked case asks for
 * its reason. On a phone each case is a card (code, member, status, requested amount, and the tick box and reason
 * while cases are left out), so nothing scrolls sideways; a laptop keeps the table.
 */
export function BatchCasesTable({
  batchId,
  total,
  exclusions,
}: {
  batchId: string;
  total: number;
  exclusions?: Exclusions;
}) {
  const phone = Grid.useBreakpoint().md === false;
  const [page, setPage] = useState(1);
  const shown = useBatchCases(batchId, page);
  const cases = shown.data?.items ?? [];
  const codeOf = new Map(cases.map((c) => [c.id, c.code]));
  // While cases are being left out, the reason sits next to the name, in reach on a phone too.
  const [code, member, ...rest] = batchCaseColumns;
  const columns = exclusions
    ? [code!, member!, reasonColumn(exclusions, codeOf, phone), ...rest, ...amountColumns]
    : [...batchCaseColumns, ...amountColumns];
  const rowSelection: TableProps<BatchCase>['rowSelection'] = exclusions && {
    columnTitle: 'Loại ra',
    selectedRowKeys: Object.keys(exclusions.reasons),
    // Cases ticked on other pages stay ticked while this page is shown.
    preserveSelectedRowKeys: true,
    onChange: (keys) =>
      exclusions.onChange(
        Object.fromEntries(keys.map((key) => [String(key), exclusions.reasons[String(key)] ?? ''])),
        cases,
      ),
    getCheckboxProps: (record) => ({
      disabled: !exclusions.eligible.has(record.status),
      'aria-label': `Loại hồ sơ ${record.code} khỏi lần này`,
    }),
  };
  const props: TableProps<BatchCase> = {
    rowKey: 'id',
    columns,
    dataSource: cases,
    rowSelection,
    loading: shown.isFetching,
    pagination:
      total > BATCH_PAGE_SIZE
        ? { current: page, pageSize: BATCH_PAGE_SIZE, total, showSizeChanger: false, onChange: setPage }
        : false,
    locale: { emptyText: shown.isLoading ? 'Đang tải…' : 'Danh sách không có hồ sơ nào.' },
  };
  return (
    <>
      <ErrorAlert error={shown.error} />
      {/* Text columns wrap on a laptop too, so the last amount stays in view with the reason column open. */}
      <ListTable<BatchCase> size="small" {...props} />
    </>
  );
}
