import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet } from '../../api/client';
import { useMe } from '../../api/session';
import type { Program } from '../../components/EntityNames';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { listTitle } from './list-name';
import { availableActions, eligibleStatuses, type BatchActionDef } from './batch-actions';
import type { ActionAnswer, BatchDetail } from './batch-types';
import { BatchActionForm } from './BatchActionForm';
import { BatchActionResult } from './BatchActionResult';
import { BatchCasesTable } from './BatchCasesTable';
import { BatchHistory, BatchSummary } from './BatchSummary';
import { RejectedRowsTable } from './RejectedRowsTable';
import { useBatch } from './useBatch';

interface Done {
  answer: ActionAnswer;
  def: BatchActionDef;
  reason?: string;
}

/** The cases of the list, the actions the user may take on them, and what the last action did to each case. */
function BatchCases({ batch }: { batch: BatchDetail }) {
  const me = useMe();
  const rules = useQuery({
    queryKey: ['program-rules', batch.programCode, batch.orgId],
    queryFn: () => apiGet<{ rules: Program['rules'] }>(`/programs/${batch.programCode}/rules`, { orgId: batch.orgId }),
  });
  const [chosen, setChosen] = useState<BatchActionDef | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [showErrors, setShowErrors] = useState(false);
  const [done, setDone] = useState<Done | null>(null);

  const requiresVerification = rules.data?.rules.requiresVerification ?? true;
  const actions = availableActions(me.roles, batch.cases, requiresVerification);
  const eligible = chosen ? eligibleStatuses(chosen, requiresVerification) : new Set<string>();
  const targets = batch.cases.filter((c) => eligible.has(c.status) && reasons[c.id] === undefined);

  function choose(def: BatchActionDef | null) {
    setChosen(def);
    setReasons({});
    setShowErrors(false);
  }

  return (
    <Flex vertical gap={16}>
      {done && <BatchActionResult answer={done.answer} def={done.def} reason={done.reason} onClose={() => setDone(null)} />}
      <Card title={`Hồ sơ trong danh sách (${batch.cases.length})`}>
        {actions.length === 0 ? (
          <Typography.Paragraph type="secondary">Lúc này bạn không có thao tác nào với các hồ sơ của danh sách.</Typography.Paragraph>
        ) : (
          <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }} role="group" aria-label="Thao tác với danh sách">
            {actions.map((def) => (
              <Button
                key={def.action}
                type={chosen?.action === def.action ? 'primary' : 'default'}
                aria-pressed={chosen?.action === def.action}
                onClick={() => choose(chosen?.action === def.action ? null : def)}
              >
                {def.title}
              </Button>
            ))}
          </Flex>
        )}
        {chosen && (
          <Typography.Paragraph>
            {chosen.title}: {targets.length} hồ sơ. Đánh dấu ở cột “Loại ra” những hồ sơ không đưa vào lần này và ghi lý do cho từng hồ sơ.
          </Typography.Paragraph>
        )}
        <BatchCasesTable
          cases={batch.cases}
          exclusions={chosen ? { eligible, reasons, onChange: setReasons, showErrors } : undefined}
        />
        {chosen && (
          <div style={{ marginTop: 16 }}>
            <BatchActionForm
              key={chosen.action}
              batchId={batch.id}
              def={chosen}
              targets={targets}
              reasons={reasons}
              onInvalidReasons={() => setShowErrors(true)}
              onCancel={() => choose(null)}
              onDone={(answer, reason) => {
                setDone({ answer, def: chosen, reason });
                choose(null);
              }}
            />
          </div>
        )}
      </Card>
    </Flex>
  );
}

export default function BatchPage() {
  const { id } = useParams();
  const batch = useBatch(id);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle extra={<Link to="/batches">Tất cả danh sách</Link>}>
        {batch.data ? listTitle(batch.data.fileName) : 'Danh sách'}
      </PageTitle>
      <ErrorAlert error={batch.error} />
      {batch.isLoading && <Spin />}
      {batch.data && (
        <>
          <BatchSummary batch={batch.data} />
          <BatchCases batch={batch.data} />
          {batch.data.rejectedRows.length > 0 && (
            <Card title={`Dòng bị loại khi nhập (${batch.data.rejectedRows.length})`}>
              <RejectedRowsTable rows={batch.data.rejectedRows} />
            </Card>
          )}
          {batch.data.actions.length > 0 && <BatchHistory actions={batch.data.actions} />}
        </>
      )}
    </Space>
  );
}
