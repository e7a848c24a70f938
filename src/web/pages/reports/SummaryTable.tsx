import { Grid, Spin, Table, Typography, type TableColumnsType } from 'antd';
import { groupDigits, money } from '../../lib/format';
import { label, STATUS_NAMES, SUBTYPE_NAMES } from '../../lib/labels';
import { GROUP_NAMES, OPEN_STATUSES, type Figures, type GroupDim, type SummaryRow } from './reportTypes';

interface FigureColumn {
  title: string;
  value: (f: Figures) => number;
  amount?: boolean;
}

/** The figures of SPEC §8 in the order the downloaded files print them; a group of one is a column of its own. */
const FIGURES: { title: string; columns: FigureColumn[] }[] = [
  { title: 'Tiếp nhận (hồ sơ)', columns: [{ title: 'Tiếp nhận (hồ sơ)', value: (f) => f.received.count }] },
  {
    title: 'Phê duyệt',
    columns: [
      { title: 'Hồ sơ', value: (f) => f.approved.count },
      { title: 'Số tiền', value: (f) => f.approved.amount, amount: true },
    ],
  },
  {
    title: 'Chi trả',
    columns: [
      { title: 'Lượt', value: (f) => f.disbursed.count },
      { title: 'Số tiền', value: (f) => f.disbursed.amount, amount: true },
    ],
  },
  { title: 'Người được chi', columns: [{ title: 'Người được chi', value: (f) => f.beneficiariesPaid }] },
  {
    title: 'Đang mở cuối kỳ',
    columns: OPEN_STATUSES.map((s) => ({ title: label(STATUS_NAMES, s), value: (f: Figures) => f.openAtEnd[s] ?? 0 })),
  },
];

const LEAVES = FIGURES.flatMap((group) => group.columns);
// Amounts stay on one line (`100.000.000 đ`); the box around the table scrolls instead.
const NO_WRAP = () => ({ style: { whiteSpace: 'nowrap' as const } });
const cell = (column: FigureColumn, f: Figures) =>
  column.amount ? money(column.value(f)) : groupDigits(column.value(f));

/** A group's name as people say it: the API names programs, unions and funds; subtypes are codes. */
function groupLabel(row: SummaryRow, dim: GroupDim): string {
  if (dim === 'subtype' && row.key.subtype) return label(SUBTYPE_NAMES, row.key.subtype);
  return row.labels[dim] ?? '—';
}

function columnsFor(groupBy: readonly GroupDim[]): TableColumnsType<SummaryRow> {
  // Without groups the table is its total row alone, which still needs a column for its name.
  const named = groupBy.length
    ? groupBy.map((dim) => ({
        title: GROUP_NAMES[dim],
        key: dim,
        onCell: () => ({ style: { minWidth: 140 } }),
        render: (_: unknown, row: SummaryRow) => groupLabel(row, dim),
      }))
    : [{ title: 'Phạm vi', key: 'scope' }];
  return [
    ...named,
    ...FIGURES.map((group, g) => {
      const leaves = group.columns.map((column, c) => ({
        title: column.title,
        key: `g${g}c${c}`,
        align: 'right' as const,
        onCell: NO_WRAP,
        render: (_: unknown, row: SummaryRow) => cell(column, row),
      }));
      return leaves.length === 1 ? leaves[0]! : { title: group.title, key: `g${g}`, children: leaves };
    }),
  ];
}

/**
 * The figures on a phone, one line per group of figures: the group's name as the label and its figures together,
 * counts with their unit (`2 hồ sơ · 1.000.000 đ`); the cases open at the period's end name each status that has any.
 */
const PHONE_FIGURES: { title: string; value: (f: Figures) => string }[] = [
  { title: 'Tiếp nhận', value: (f) => `${groupDigits(f.received.count)} hồ sơ` },
  { title: 'Phê duyệt', value: (f) => `${groupDigits(f.approved.count)} hồ sơ · ${money(f.approved.amount)}` },
  { title: 'Chi trả', value: (f) => `${groupDigits(f.disbursed.count)} lượt · ${money(f.disbursed.amount)}` },
  { title: 'Người được chi', value: (f) => groupDigits(f.beneficiariesPaid) },
  {
    title: 'Đang mở cuối kỳ',
    value: (f) =>
      OPEN_STATUSES.filter((s) => (f.openAtEnd[s] ?? 0) > 0)
        .map((s) => `${label(STATUS_NAMES, s)}: ${groupDigits(f.openAtEnd[s] ?? 0)}`)
        .join(' · ') || 'không có',
  },
];

function SummaryCard({ heading, figures, total }: { heading: string[]; figures: Figures; total?: boolean }) {
  return (
    <li className={total ? 'list-card report-total' : 'list-card'}>
      <div className="list-card-heading">{heading[0]}</div>
      {heading.slice(1).map((line, i) => (
        <div key={i} className="list-card-subheading">
          {line}
        </div>
      ))}
      <dl>
        {PHONE_FIGURES.map((figure) => (
          <div key={figure.title} className="list-card-field">
            <dt>{figure.title}</dt>
            <dd>{figure.value(figures)}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

/** On a phone: one card per row, its groups as the heading, and the total last, so nothing scrolls sideways. */
function SummaryCards({
  groupBy,
  rows,
  total,
  labelledBy,
}: {
  groupBy: readonly GroupDim[];
  rows: SummaryRow[];
  total?: Figures;
  labelledBy: string;
}) {
  if (!groupBy.length && !total) return null;
  return (
    <ul className="list-cards" aria-labelledby={labelledBy}>
      {groupBy.length > 0 &&
        rows.map((row) => (
          <SummaryCard
            key={JSON.stringify(row.key)}
            heading={groupBy.map((dim) => groupLabel(row, dim))}
            figures={row}
          />
        ))}
      {total && <SummaryCard heading={['Tổng cộng']} figures={total} total />}
    </ul>
  );
}

/** The summary by the chosen groups with its total row (a grand total, not a sum of rows: payees are counted once). */
export function SummaryTable({
  groupBy,
  rows,
  total,
  loading,
  labelledBy,
}: {
  groupBy: readonly GroupDim[];
  rows: SummaryRow[];
  total?: Figures;
  loading: boolean;
  labelledBy: string;
}) {
  const phone = Grid.useBreakpoint().md === false;
  if (phone)
    return (
      <Spin spinning={loading}>
        {groupBy.length > 0 && rows.length === 0 && !loading && (
          <Typography.Paragraph type="secondary">Không có số liệu trong kỳ này</Typography.Paragraph>
        )}
        <SummaryCards groupBy={groupBy} rows={rows} total={total} labelledBy={labelledBy} />
      </Spin>
    );
  // Wider than a narrow window: the scrolling box takes the keyboard focus, as it holds no links.
  return (
    <div className="report-scroll" tabIndex={0} role="group" aria-labelledby={labelledBy} style={{ overflowX: 'auto' }}>
      <Table<SummaryRow>
        rowKey={(row) => JSON.stringify(row.key)}
        size="small"
        bordered
        columns={columnsFor(groupBy)}
        dataSource={groupBy.length ? rows : []}
        loading={loading}
        pagination={false}
        locale={{ emptyText: groupBy.length ? 'Không có số liệu trong kỳ này' : 'Chọn “Nhóm theo” để xem từng dòng' }}
        summary={() =>
          total && (
            <Table.Summary>
              <Table.Summary.Row className="report-total">
                <Table.Summary.Cell index={0} colSpan={Math.max(groupBy.length, 1)}>
                  <strong>Tổng cộng</strong>
                </Table.Summary.Cell>
                {LEAVES.map((column, i) => (
                  <Table.Summary.Cell key={i} index={Math.max(groupBy.length, 1) + i} align="right">
                    <strong style={{ whiteSpace: 'nowrap' }}>{cell(column, total)}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          )
        }
      />
    </div>
  );
}
