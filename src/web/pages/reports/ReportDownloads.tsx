import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useState } from 'react';
import type { Query } from '../../api/client';
import { download } from '../../lib/download';
import { errorText } from '../../lib/forms';

const FORMATS = [
  { format: 'xlsx', label: 'XLSX' },
  { format: 'csv', label: 'CSV' },
  { format: 'pdf', label: 'PDF' },
] as const;

/** The report as a file, with the filters on screen; the server names the file (`bao-cao-tong-hop-2026-Q4.xlsx`). */
export function ReportDownloads({ path, query, what }: { path: string; query: Query; what: string }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const save = async (format: string) => {
    setBusy(format);
    try {
      await download(path, { ...query, format }, `bao-cao.${format}`);
    } catch (error) {
      void message.error(errorText(error));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space wrap size={4}>
      {FORMATS.map(({ format, label }) => (
        <Button
          key={format}
          size="small"
          icon={<DownloadOutlined aria-hidden />}
          loading={busy === format}
          aria-label={`Tải ${what} ${label}`}
          onClick={() => void save(format)}
        >
          {label}
        </Button>
      ))}
    </Space>
  );
}
