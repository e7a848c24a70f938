import { Button, Card, Empty, Popconfirm, Space, Table, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { apiSend } from '../../api/client';
import { useMe, useSession } from '../../api/session';
import type { CaseDocument } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { download } from '../../lib/download';
import { dateTime } from '../../lib/format';
import { documentTypeName } from '../../lib/labels';
import type { CaseView } from './caseQueries';
import type { ProgramRules } from '../../api/types';
import { DocumentPreview, canPreview } from './DocumentPreview';
import { mayDelete, mayUpload, type RequiredStep } from './documentRules';
import { DocumentUpload } from './DocumentUpload';
import { RequiredDocuments } from './RequiredDocuments';
import { SectionTitle } from './SectionTitle';
import { isStale } from './staleRevision';

const sizeFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${sizeFormat.format(bytes / 1024)} KB`;
  return `${sizeFormat.format(bytes / 1024 / 1024)} MB`;
}

interface CaseDocumentsProps {
  record: CaseView;
  rules: ProgramRules | undefined;
  /** The papers the next step needs (documentRules.ts `nextStepDocuments`). */
  steps: RequiredStep[];
  onChanged: () => void;
  onStale: () => void;
}

/** The case's papers: what the next step needs, the list with preview, download and removal, and the upload area. */
export function CaseDocuments({ record, rules, steps, onChanged, onStale }: CaseDocumentsProps) {
  const me = useMe();
  const { hasRole } = useSession();
  const [previewing, setPreviewing] = useState<CaseDocument | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const path = (document: CaseDocument) => `/cases/${record.id}/documents/${document.id}` as const;

  const remove = async (document: CaseDocument) => {
    setProblem(null);
    try {
      await apiSend('DELETE', path(document), undefined, { headers: { 'If-Match': String(record.revision) } });
      onChanged();
    } catch (error) {
      if (isStale(error)) onStale();
      else setProblem(error);
    }
  };

  const save = (document: CaseDocument) => download(path(document), undefined, document.originalName).catch(setProblem);

  const columns: TableProps<CaseDocument>['columns'] = [
    {
      title: 'Giấy tờ',
      dataIndex: 'type',
      render: (type: string, document) => (
        <>
          <Typography.Text strong>{documentTypeName(type)}</Typography.Text>
          <div style={{ wordBreak: 'break-all', maxWidth: 320 }}>{document.originalName}</div>
        </>
      ),
    },
    {
      title: 'Dung lượng',
      dataIndex: 'size',
      align: 'right',
      responsive: ['md'],
      render: (size: number) => fileSize(size),
    },
    {
      title: 'Tải lên',
      key: 'uploaded',
      responsive: ['md'],
      render: (_, document) => (
        <>
          <div>{document.uploadedBy?.name ?? '—'}</div>
          <Typography.Text type="secondary">{dateTime(document.uploadedAt)}</Typography.Text>
        </>
      ),
    },
    {
      title: 'Thao tác',
      key: 'actions',
      render: (_, document) => (
        <Space wrap size={4}>
          {canPreview(document) && (
            <Button size="small" onClick={() => setPreviewing(document)} aria-label={`Xem ${document.originalName}`}>
              Xem
            </Button>
          )}
          <Button size="small" onClick={() => void save(document)} aria-label={`Tải về ${document.originalName}`}>
            Tải về
          </Button>
          {mayDelete(record, document, me.id, hasRole) && (
            <Popconfirm
              title="Xóa giấy tờ này?"
              okText="Xóa"
              cancelText="Không"
              okButtonProps={{ danger: true }}
              onConfirm={() => remove(document)}
            >
              <Button size="small" danger aria-label={`Xóa ${document.originalName}`}>
                Xóa
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card title={<SectionTitle>Giấy tờ</SectionTitle>}>
      <RequiredDocuments record={record} steps={steps} />
      <ErrorAlert error={problem} />
      <Table<CaseDocument>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={record.documents}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có giấy tờ nào" /> }}
        style={{ marginBottom: 16 }}
      />
      {rules && mayUpload(record.status, hasRole, record.allowedActions) && (
        <DocumentUpload record={record} rules={rules} steps={steps} onUploaded={onChanged} />
      )}
      <DocumentPreview caseId={record.id} document={previewing} onClose={() => setPreviewing(null)} />
    </Card>
  );
}
