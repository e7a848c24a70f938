import { Empty, Grid, Pagination, Spin, Table, type TableColumnType, type TableProps } from 'antd';
import type { Key, ReactNode } from 'react';

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

/**
 * At phone width each row is a card: its first column as the heading (the code or name with its link), the
 * columns a phone shows as label and value, and the row's action (the column keyed `actions`) at the bottom.
 */
function ListCards<T extends object>({
  columns,
  dataSource,
  rowKey,
  loading,
  pagination,
  locale,
  onChange,
}: TableProps<T>) {
  const shown = ((columns ?? []) as Column<T>[]).filter(onPhone);
  const [heading, ...rest] = shown.filter((column) => column.key !== 'actions');
  const actions = shown.find((column) => column.key === 'actions');
  const rows = dataSource ?? [];
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
          current={pagination.current}
          pageSize={pagination.pageSize}
          total={pagination.total}
          showSizeChanger={false}
          showTotal={pagination.showTotal}
          onChange={(page, pageSize) => {
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
