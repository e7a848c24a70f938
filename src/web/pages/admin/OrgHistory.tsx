import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Timeline } from 'antd';
import type { Org } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { historyOf, type OrgHistoryItem } from './reorganisation-api';

const EVENT_TEXT: Record<OrgHistoryItem['event'], (h: OrgHistoryItem) => string> = {
  created: () => 'Thành lập',
  renamed: (h) => `Đổi tên từ "${h.from?.name ?? ''}" thành "${h.to?.name ?? ''}"`,
  moved: (h) => `Chuyển từ ${h.from?.name ?? '—'} sang ${h.to?.name ?? '—'}`,
  dissolved: (h) => (h.to ? `Giải thể, kế thừa: ${h.to.name}` : 'Giải thể, đoàn viên thôi sinh hoạt'),
  merged: (h) => (h.from ? `Tiếp nhận ${h.from.name} sáp nhập vào` : `Sáp nhập vào ${h.to?.name ?? '—'}`),
};

const vnDate = (day: string) => day.split('-').reverse().join('/');

/** Lịch sử: the organisation's moves, dissolution and mergers with the names of their time (SPEC §13). */
export function OrgHistory({ org }: { org: Org }) {
  const history = useQuery({ queryKey: ['org-history', org.id, org.updatedAt], queryFn: () => historyOf(org.id) });
  return (
    <Card title="Lịch sử" style={{ marginTop: 16 }}>
      {history.error && <ErrorAlert error={history.error} />}
      {history.data && !history.data.items.length && <Empty description="Chưa có thay đổi tổ chức nào" />}
      {history.data && history.data.items.length > 0 && (
        <Timeline
          items={[...history.data.items].reverse().map((h, i) => ({
            key: i,
            children: (
              <div>
                <strong>{vnDate(h.effectiveDate)}</strong>: {EVENT_TEXT[h.event](h)}
                <div>
                  {h.reason ? `Lý do: ${h.reason}. ` : ''}Người thực hiện: {h.by.name}.
                </div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
