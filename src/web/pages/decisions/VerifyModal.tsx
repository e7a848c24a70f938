import { CopyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Input, Modal, QRCode, Spin, Typography } from 'antd';
import { apiGet } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { dateTime } from '../../lib/format';
import type { DecisionSummary } from './decision-types';

/**
 * The public verification of a decision (`/xac-minh/<token>`, no sign-in; docs/public.md): its address as the
 * decision carries it — the one printed in the PDF's QR code — to copy, open, or scan from the screen.
 */
export function VerifyModal({ decision, onClose }: { decision: DecisionSummary; onClose: () => void }) {
  const { message } = App.useApp();
  const detail = useQuery({
    queryKey: ['decisions', decision.id],
    queryFn: () => apiGet(`/decisions/${decision.id}`),
  });
  const url = detail.data?.verifyUrl;
  const revoked = detail.data?.revocations ?? [];

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      void message.success('Đã sao chép liên kết xác thực.');
    } catch {
      void message.error('Trình duyệt không cho sao chép; hãy chọn liên kết và sao chép thủ công.');
    }
  }

  return (
    <Modal
      open
      title={`Xác thực Quyết định số ${decision.number}`}
      onCancel={onClose}
      footer={<Button onClick={onClose}>Đóng</Button>}
    >
      <ErrorAlert error={detail.error} />
      {detail.isLoading && <Spin />}
      {url && (
        <Flex vertical gap={12}>
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            Ai có liên kết này hoặc quét mã QR đều kiểm tra được số, ngày, đơn vị ban hành, tổng số tiền, trạng thái và
            mã SHA-256 của tệp PDF, không cần đăng nhập.
          </Typography.Paragraph>
          {decision.status === 'revoked' && (
            <Alert type="error" showIcon title={`Quyết định đã bị thu hồi: ${decision.revokeReason ?? ''}`} />
          )}
          {decision.status === 'issued' && revoked.length > 0 && (
            <Alert
              type="warning"
              showIcon
              title={`Đã thu hồi phê duyệt ${revoked.length} trong ${decision.caseIds.length} hồ sơ của quyết định.`}
            />
          )}
          <div>
            <label htmlFor="verify-url">Liên kết xác thực</label>
            <Flex gap={8} wrap style={{ marginTop: 4 }}>
              <Input
                id="verify-url"
                readOnly
                value={url}
                onFocus={(event) => event.target.select()}
                style={{ flex: '1 1 240px' }}
              />
              <Button icon={<CopyOutlined />} onClick={() => void copy()}>
                Sao chép liên kết
              </Button>
            </Flex>
          </div>
          <Typography.Link href={url} target="_blank" rel="noopener noreferrer">
            Mở trang xác thực
          </Typography.Link>
          <figure style={{ margin: 0, textAlign: 'center' }}>
            <Flex justify="center">
              <QRCode
                value={url}
                size={200}
                bordered={false}
                aria-label={`Mã QR xác thực Quyết định số ${decision.number}`}
              />
            </Flex>
            <figcaption>Mã QR của liên kết xác thực</figcaption>
          </figure>
          {revoked.length > 0 && (
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {revoked.map((r) => (
                <li key={r.caseId}>
                  {detail.data?.lines.find((l) => l.caseId === r.caseId)?.memberName ?? r.caseId}: {r.reason} (
                  {r.by.name}, {dateTime(r.at)})
                </li>
              ))}
            </ul>
          )}
        </Flex>
      )}
    </Modal>
  );
}
