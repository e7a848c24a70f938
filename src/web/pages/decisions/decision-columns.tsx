import { DownloadOutlined, FilePdfOutlined, QrcodeOutlined } from '@ant-design/icons';
import { App, Button, Flex, Tag, Typography, type TableColumnsType } from 'antd';
import { ProgramName } from '../../components/EntityNames';
import { download, openInNewTab } from '../../lib/download';
import { date, money } from '../../lib/format';
import { errorText } from '../../lib/forms';
import { READABLE_TAG } from '../../lib/tag-colors';
import type { DecisionSummary } from './decision-types';

/** Valid or revoked; a revoked decision says when and why, in red. */
function DecisionStatus({ decision }: { decision: DecisionSummary }) {
  if (decision.status === 'issued') return <Tag color={READABLE_TAG.green}>Còn hiệu lực</Tag>;
  return (
    <Flex vertical gap={2} style={{ maxWidth: 260 }}>
      <span>
        <Tag color={READABLE_TAG.red}>Đã thu hồi</Tag>
        {decision.revokedAt && date(decision.revokedAt)}
      </span>
      {decision.revokeReason && <Typography.Text>Lý do: {decision.revokeReason}</Typography.Text>}
    </Flex>
  );
}

/** Open, download, verify: the PDF is fetched with the session's token, never by a plain link. */
function DecisionButtons({ decision, onVerify }: { decision: DecisionSummary; onVerify: () => void }) {
  const { message } = App.useApp();
  const pdf = `/decisions/${decision.id}/pdf`;
  const failed = (error: unknown) => void message.error(errorText(error));
  return (
    <Flex gap={4} wrap style={{ maxWidth: 180 }}>
      <Button
        size="small"
        icon={<FilePdfOutlined />}
        aria-label={`Mở PDF quyết định ${decision.number}`}
        onClick={() => openInNewTab(pdf).catch(failed)}
      >
        Mở PDF
      </Button>
      <Button
        size="small"
        icon={<DownloadOutlined />}
        aria-label={`Tải PDF quyết định ${decision.number}`}
        onClick={() => download(pdf, undefined, 'quyet-dinh.pdf').catch(failed)}
      >
        Tải PDF
      </Button>
      <Button
        size="small"
        icon={<QrcodeOutlined />}
        aria-label={`Xác thực quyết định ${decision.number}`}
        onClick={onVerify}
      >
        Xác thực
      </Button>
    </Flex>
  );
}

export function decisionColumns(onVerify: (decision: DecisionSummary) => void): TableColumnsType<DecisionSummary> {
  return [
    {
      title: 'Số quyết định',
      dataIndex: 'number',
      render: (number: string) => <Typography.Text strong>{number}</Typography.Text>,
    },
    { title: 'Ngày', dataIndex: 'issuedAt', render: (day: string) => date(day) },
    {
      title: 'Chương trình',
      dataIndex: 'programCode',
      render: (code: string, d) => (
        <Flex vertical>
          <ProgramName code={code} />
          <Typography.Text type="secondary">{d.kind === 'batch' ? 'Theo danh sách' : 'Một hồ sơ'}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Tổng số tiền',
      dataIndex: 'totalAmount',
      align: 'right',
      render: (amount: number, d) => (
        <Flex vertical>
          <span>{money(amount)}</span>
          <Typography.Text type="secondary">{d.caseIds.length} người</Typography.Text>
        </Flex>
      ),
    },
    {
      title: 'Người ký',
      dataIndex: 'signerName',
      responsive: ['lg'],
      render: (name: string, d) => (
        <Flex vertical>
          <span>{name}</span>
          <Typography.Text type="secondary">{d.signerTitle}</Typography.Text>
        </Flex>
      ),
    },
    { title: 'Trạng thái', dataIndex: 'status', render: (_: string, d) => <DecisionStatus decision={d} /> },
    {
      title: 'Thao tác',
      key: 'actions',
      render: (_: unknown, d) => <DecisionButtons decision={d} onVerify={() => onVerify(d)} />,
    },
  ];
}
