import { Checkbox, Empty, Grid, Pagination, Spin, Table, type TableColumnType, type TableProps } from 'antd';
import { useState, type Key, type ReactNode } from 'react';

type Column<T> = TableColumnType<T>;

/** A column a phone shows: no `responsive` list, or one naming the phone size. */
function onPhone<T>(column: Column<T>): boolean {
  return !column.responsive || column.responsive.includes('xs');
}

function cellOf<T extends object>(column: Column<T>, record: T, index: number): ReactNode {
  const path = column.dataIndex;
  const value =
    typeof path === 'string' || typeof path === 'number'
      ? (record as Record<string | number, unknown>)[path]
      : undefined;
  return column.render ? (column.render(value, record, index) as ReactNode) : (value as ReactNode);
}

function keyOf<T extends object>(rowKey: TableProps<T>['rowKey'], record: T, index: number): Key {
  if (typeof rowKey === 'function') return rowKey(record, index);
  return (record as Record<string, Key>)[String(rowKey ?? 'key')] ?? index;
}

/** A card's tick box, for tables whose rows can be chosen (`rowSelection`, check boxes only). */
function CardSelection<T extends object>({
  selection,
  record,
  index,
  rowKey,
  rows,
}: {
  selection: NonNullable<TableProps<T>['rowSelection']>;
  record: T;
  index: number;
  rowKey: TableProps<T>['rowKey'];
  rows: readonly T[];
}) {
  const own = keyOf(rowKey, record, index);
  const selected = selection.selectedRowKeys ?? [];
  const checked = selected.includes(own);
  const keys = checked ? selected.filter((key) => key !== own) : [...selected, own];
  const title = typeof selection.columnTitle === 'function' ? null : selection.columnTitle;
  return (
    <Checkbox
      {...selection.getCheckboxProps?.(record)}
      checked={checked}
      onChange={() =>
        selection.onChange?.(
          keys,
          rows.filter((row, i) => keys.includes(keyOf(rowKey, row, i))),
          { type: 'multiple' },
        )
      }
    >
      {title}
    </Checkbox>
  );
}

/**
 * At phone width each row is a card: its first column as the heading (the code or name with its link), the
 * columns a phone shows as label and value, and the row's action (the column keyed `actions`) at the bottom.
 * A list handed whole (no `total` in its pagination) is paged here, as the table would page it.
 */
function ListCards<T extends object>({
  columns,
  dataSource,
  rowKey,
  rowSelection,
  loading,
  pagination,
  locale,
  onChange,
}: TableProps<T>) {
  const [localPage, setLocalPage] = useState(1);
  const shown = ((columns ?? []) as Column<T>[]).filter(onPhone);
  const [heading, ...rest] = shown.filter((column) => column.key !== 'actions');
  const actions = shown.find((column) => column.key === 'actions');
  const all = dataSource ?? [];
  const paging = pagination || undefined;
  const local = paging !== undefined && paging.total === undefined;
  const pageSize = paging?.pageSize ?? 10;
  // A list paged here that became shorter (a filter, a reload) shows its last page rather than an empty one.
  const current = paging?.current ?? Math.min(localPage, Math.max(1, Math.ceil(all.length / pageSize)));
  const rows = local ? all.slice((current - 1) * pageSize, current * pageSize) : all;
  const busy = typeof loading === 'object' ? Boolean(loading.spinning) : Boolean(loading);
  return (
    <Spin spinning={busy}>
      {rows.length === 0 ? (
        <div className="list-cards-empty">
          {(locale?.emptyText as ReactNode) ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        </div>
      ) : (
        <ul className="list-cards">
          {rows.map((record, index) => (
            <li key={keyOf(rowKey, record, index)} className="list-card">
              {heading && <div className="list-card-heading">{cellOf(heading, record, index)}</div>}
              {rowSelection && (
                <CardSelection<T> selection={rowSelection} record={record} index={index} rowKey={rowKey} rows={all} />
              )}
              <dl>
                {rest.map((column, i) => (
                  <div key={String(column.key ?? column.dataIndex ?? i)} className="list-card-field">
                    <dt>{column.title as ReactNode}</dt>
                    <dd>{cellOf(column, record, index)}</dd>
                  </div>
                ))}
              </dl>
              {actions && <div className="list-card-actions">{cellOf(actions, record, index)}</div>}
            </li>
          ))}
        </ul>
      )}
      {pagination && rows.length > 0 && (
        <Pagination
          className="list-cards-pages"
          size="small"
          current={current}
          pageSize={pageSize}
          total={pagination.total ?? all.length}
          hideOnSinglePage={local}
          showSizeChanger={false}
          showTotal={pagination.showTotal}
          onChange={(page, pageSize) => {
            setLocalPage(page);
            pagination.onChange?.(page, pageSize);
            onChange?.({ current: page, pageSize }, {}, [], { action: 'paginate', currentDataSource: [...rows] });
          }}
        />
      )}
    </Spin>
  );
}

/** Amounts (right-aligned) and buttons are read whole: they never wrap, the text columns give way instead. */
function keptWhole<T>(column: Column<T>): Column<T> {
  if (column.align !== 'right' && column.key !== 'actions') return column;
  return { ...column, className: ['list-whole', column.className].filter(Boolean).join(' ') };
}

/**
 * Every list of the pages: on a laptop a table as wide as the page, whose text columns wrap (amounts, dates and
 * buttons never do), so that the amount and action columns stay in view without sideways scrolling; on a phone
 * the rows become cards.
 */
export function ListTable<T extends object>(props: TableProps<T>) {
  const screens = Grid.useBreakpoint();
  if (screens.md === false) return <ListCards<T> {...props} />;
  const { className, columns, ...rest } = props;
  return (
    <Table<T>
      size="middle"
      {...rest}
      columns={(columns as Column<T>[] | undefined)?.map(keptWhole)}
      className={['list-table', className].filter(Boolean).join(' ')}
    />
  );
}
