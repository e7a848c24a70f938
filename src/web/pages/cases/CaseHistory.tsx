import { Card, Empty, Timeline, Typography } from 'antd';
import type { HistoryEntry } from '../../api/types';
import { dateTime } from '../../lib/format';
import { ACTION_NAMES, documentTypeName, label, STATUS_NAMES } from '../../lib/labels';
import { SectionTitle } from './SectionTitle';

/** History entries besides the workflow's actions: papers added and removed keep the case's status. */
const HISTORY_ACTION_NAMES: Record<string, string> = {
  ...ACTION_NAMES,
  document_add: 'Thêm giấy tờ',
  document_remove: 'Xóa giấy tờ',
};

const COLORS: Record<string, string> = {
  approve: 'green',
  verify: 'blue',
  submit: 'blue',
  return: 'orange',
  reject: 'red',
  revoke: 'red',
  withdraw: 'gray',
};

/** Paper entries carry `type: file name`; people read the type's name. */
function noteOf(entry: HistoryEntry): string | undefined {
  if (!entry.note || !entry.action.startsWith('document_')) return entry.note;
  const [type, ...name] = entry.note.split(': ');
  return name.length ? `${documentTypeName(type!)}: ${name.join(': ')}` : entry.note;
}

function change(entry: HistoryEntry): string | null {
  if (entry.from === entry.to) return null;
  return entry.from
    ? `${label(STATUS_NAMES, entry.from)} → ${label(STATUS_NAMES, entry.to)}`
    : label(STATUS_NAMES, entry.to);
}

/** What happened to the case, who did it and when, oldest first (SPEC §5 `history`). */
export function CaseHistory({ history }: { history: HistoryEntry[] }) {
  return (
    <Card title={<SectionTitle>Lịch sử xử lý</SectionTitle>}>
      {history.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có thao tác nào" />
      ) : (
        <Timeline
          items={history.map((entry, i) => ({
            key: i,
            color: COLORS[entry.action] ?? 'gray',
            content: (
              <>
                <div>
                  <Typography.Text strong>{label(HISTORY_ACTION_NAMES, entry.action)}</Typography.Text>
                  {change(entry) && <span> · {change(entry)}</span>}
                </div>
                <Typography.Text type="secondary">
                  {entry.by?.name ?? '—'} · {dateTime(entry.at)}
                </Typography.Text>
                {entry.note && <div style={{ whiteSpace: 'pre-wrap' }}>{noteOf(entry)}</div>}
              </>
            ),
          }))}
        />
      )}
    </Card>
  );
}
