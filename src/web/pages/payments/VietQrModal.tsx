import { useQuery } from '@tanstack/react-query';
import { Descriptions, Flex, Modal, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { bankLabel } from '../../../core/shared/banks';
import { apiBlob, apiGet } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { money } from '../../lib/format';
import type { Disbursement } from './payment-types';

/** The PNG as an object URL (the request carries the token, so no plain src), released when the modal goes. */
function useQrImage(id: string): { url: string | null; error: unknown } {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let live = true;
    apiBlob(`/disbursements/${id}/vietqr.png`).then(
      ({ blob }) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [id]);
  return { url, error };
}

function QrContent({ payment }: { payment: Disbursement }) {
  const details = useQuery({
    queryKey: ['vietqr', payment.id],
    queryFn: () => apiGet(`/disbursements/${payment.id}/vietqr`),
    staleTime: 0,
  });
  const image = useQrImage(payment.id);
  const qr = details.data;
  return (
    <>
      <ErrorAlert error={details.error ?? image.error} />
      <Flex gap={16} wrap align="flex-start">
        {image.url ? (
          <img
            src={image.url}
            alt={`Mã VietQR chuyển ${money(payment.amount)} cho ${payment.memberName}`}
            width={240}
            height={240}
            style={{ maxWidth: '100%', height: 'auto' }}
          />
        ) : (
          !image.error && <Spin />
        )}
        {qr && (
          <Descriptions
            size="small"
            column={1}
            style={{ flex: '1 1 220px' }}
            items={[
              { key: 'bank', label: 'Ngân hàng', children: qr.bankName ?? bankLabel(qr.bankBin) },
              { key: 'account', label: 'Số tài khoản', children: qr.accountNo },
              { key: 'name', label: 'Tên tài khoản', children: qr.accountName },
              { key: 'amount', label: 'Số tiền', children: money(qr.amount) },
              { key: 'purpose', label: 'Nội dung', children: qr.transferNote },
            ]}
          />
        )}
      </Flex>
    </>
  );
}

/** The VietQR a banking app scans to make this payment's transfer, with the same data as text beside it. */
export function VietQrModal({ payment, onClose }: { payment: Disbursement; onClose: () => void }) {
  return (
    <Modal open title={`Mã VietQR – ${payment.caseCode}`} footer={null} onCancel={onClose} width={600}>
      <QrContent payment={payment} />
    </Modal>
  );
}
