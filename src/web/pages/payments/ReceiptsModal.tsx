import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Empty, List, Modal, Progress, Typography, Upload } from 'antd';
import { useState } from 'react';
import { apiUpload } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { dateTime } from '../../lib/format';
import { download } from '../../lib/download';
import type { Disbursement, Receipt } from './payment-types';

function ReceiptList({ payment }: { payment: Disbursement }) {
  const [error, setError] = useState<unknown>(null);
  const save = (receipt: Receipt) => {
    setError(null);
    download(`/disbursements/${payment.id}/receipts/${receipt.id}`, undefined, receipt.originalName).catch(setError);
  };
  return (
    <>
      <ErrorAlert error={error} />
      <List<Receipt>
        dataSource={payment.receipts}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có chứng từ nào." /> }}
        renderItem={(receipt) => (
          <List.Item
            actions={[
              <Button
                key="download"
                size="small"
                icon={<DownloadOutlined />}
                onClick={() => save(receipt)}
                aria-label={`Tải về ${receipt.originalName}`}
              >
                Tải về
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={receipt.originalName}
              description={`${receipt.uploadedBy.name} · ${dateTime(receipt.uploadedAt)}`}
            />
          </List.Item>
        )}
      />
    </>
  );
}

/** Adds a receipt scan to the payment (multipart `file`), with progress; receipts are only ever added. */
function ReceiptUpload({ paymentId }: { paymentId: string }) {
  const queryClient = useQueryClient();
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <ErrorAlert error={error} />
      <Upload
        showUploadList={false}
        accept="image/*,application/pdf"
        customRequest={({ file }) => {
          const form = new FormData();
          form.append('file', file as Blob);
          setError(null);
          setPercent(0);
          apiUpload(`/disbursements/${paymentId}/receipts`, form, setPercent)
            .then(() => queryClient.invalidateQueries({ queryKey: ['disbursements'] }))
            .catch(setError)
            .finally(() => setPercent(null));
        }}
      >
        <Button icon={<UploadOutlined />} loading={percent !== null}>
          Tải chứng từ lên
        </Button>
      </Upload>
      {percent !== null && <Progress percent={percent} size="small" aria-label="Tiến độ tải lên" />}
    </>
  );
}

/** A payment's receipts: the list with downloads, and for accountants an upload. */
export function ReceiptsModal({
  payment,
  canUpload,
  onClose,
}: {
  payment: Disbursement;
  canUpload: boolean;
  onClose: () => void;
}) {
  return (
    <Modal open title={`Chứng từ – phiếu ${payment.voucherNo}`} footer={null} onCancel={onClose}>
      <Typography.Paragraph type="secondary">
        Hồ sơ {payment.caseCode} · {payment.memberName}
      </Typography.Paragraph>
      <ReceiptList payment={payment} />
      {canUpload && <ReceiptUpload paymentId={payment.id} />}
    </Modal>
  );
}
