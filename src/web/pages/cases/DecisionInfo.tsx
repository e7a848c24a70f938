import { READABLE_TAG } from '../../lib/tag-colors';
import { FilePdfOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { useMe } from '../../api/session';
import { sectionsFor } from '../../app/sections';
import { ErrorAlert } from '../../components/ErrorAlert';
import { openInNewTab } from '../../lib/download';
import { date } from '../../lib/format';

/** The decision the approval issued (SPEC §6): its number and date, its PDF, and the decisions section for those who use it. */
export function DecisionInfo({ decisionId }: { decisionId: string }) {
  const me = useMe();
  const [problem, setProblem] = useState<unknown>(null);
  const decision = useQuery({
    queryKey: ['decisions', decisionId],
    queryFn: () => apiGet(`/decisions/${decisionId}`),
  });
  const seesDecisions = sectionsFor(me.roles).some((section) => section.path === '/decisions');
  const d = decision.data;
  const text = d
    ? `Quyết định số ${d.number} ngày ${date(d.issuedAt)}, người ký ${d.signerName}`
    : 'Quyết định phê duyệt';
  return (
    <Alert
      type={d?.status === 'revoked' ? 'warning' : 'success'}
      showIcon
      style={{ marginBottom: 16 }}
      title={
        <Space wrap>
          {text}
          {d?.status === 'revoked' && <Tag color={READABLE_TAG.volcano}>Đã thu hồi</Tag>}
        </Space>
      }
      description={
        <>
          <ErrorAlert error={problem ?? decision.error} />
          <Space wrap>
            <Button
              icon={<FilePdfOutlined />}
              onClick={() => openInNewTab(`/decisions/${decisionId}/pdf`).catch(setProblem)}
            >
              Mở PDF
            </Button>
            {seesDecisions && d && (
              <Link to={`/decisions?programCode=${d.programCode}&from=${d.issuedAt}&to=${d.issuedAt}`}>
                Xem trong mục Quyết định
              </Link>
            )}
          </Space>
        </>
      }
    />
  );
}
