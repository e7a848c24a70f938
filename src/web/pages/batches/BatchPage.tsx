import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Flex, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet } from '../../api/client';
import { useMe } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { isJobOver, JobProgress, useJob, useRunningJobOf, type Job } from '../../components/JobProgress';
import { useUrlParams } from '../../components/useUrlParams';
import { PageTitle } from '../../components/PageTitle';
import { groupDigits } from '../../lib/format';
import { listTitle } from './list-name';
import { availableActions, BATCH_ACTIONS, eligibleStatuses, type BatchActionDef } from './batch-actions';
import type { ActionAnswer, BatchCase, BatchDetail } from './batch-types';
import { BatchActionForm } from './BatchActionForm';
import { BatchActionResult } from './BatchActionResult';
import { BatchCasesTable } from './BatchCasesTable';
import { BatchHistory, BatchSummary } from './BatchSummary';
import { RejectedRowsTable } from './RejectedRowsTable';
import { useBatch } from './useBatch';

/**
 * The list action in hand: its job's id is kept in the address (`?job=`), so a reload or a return to the page
 * follows the same job; without one, the list's newest unfinished action job is looked up.
 */
function useActionJob(batchId: string) {
  const [params, update] = useUrlParams();
  const fromUrl = params.get('job');
  const running = useRunningJobOf(batchId, 'batch.');
  const id = fromUrl ?? running.data?.id ?? null;
  const job = useJob<ActionAnswer>(id);
  const found = running.data?.id;
  useEffect(() => {
    // A job found running is written into the address too, so its outcome stays on the page once it ends.
    if (!fromUrl && found) update({ job: found });
  }, [fromUrl, found]); // eslint-disable-line react-hooks/exhaustive-deps
  const queryClient = useQueryClient();
  const over = isJobOver(job.data);
  useEffect(() => {
    if (over)
      for (const key of ['batches', 'cases', 'decisions', 'funds', 'bulk-plan'])
        void queryClient.invalidateQueries({ queryKey: [key] });
  }, [over, queryClient]);
  return {
    job:
      job.data?.kind.startsWith('batch.') && !['batch.pay', 'batch.import'].includes(job.data.kind)
        ? job.data
        : undefined,
    follow: (next: Job) => update({ job: next.id }),
    close: () => update({ job: undefined }),
  };
}

/** What the finished job did to each case, in the tables of the synchronous answer. */
function ActionJobOutcome({ job, onClose }: { job: Job<ActionAnswer>; onClose: () => void }) {
  const def = BATCH_ACTIONS.find((d) => `batch.${d.action}` === job.kind);
  if (!def || !job.result) return null;
  const body = (job.input.body ?? {}) as { reason?: string };
  return <BatchActionResult answer={job.result} def={def} reason={body.reason} onClose={onClose} />;
}

/**
 * How many cases an action would be tried on and their default total: the list's cases in the statuses it applies
 * to (counted by the server), less those left out.
 */
function targetsOf(
  batch: BatchDetail,
  eligible: ReadonlySet<string>,
  reasons: Record<string, string>,
  proposed: Readonly<Record<string, number>>,
): { count: number; proposedAmount: number } {
  let count = 0;
  let proposedAmount = 0;
  for (const status of eligible) {
    count += batch.byStatus[status]?.count ?? 0;
    proposedAmount += batch.byStatus[status]?.proposedAmount ?? 0;
  }
  const left = Object.keys(reasons);
  return {
    count: count - left.length,
    proposedAmount: proposedAmount - left.reduce((sum, id) => sum + (proposed[id] ?? 0), 0),
  };
}

/** The cases of the list, the actions the user may take on them, and what the last action did to each case. */
function BatchCases({ batch }: { batch: BatchDetail }) {
  const me = useMe();
  const rules = useQuery({
    queryKey: ['program-rules', batch.programCode, batch.orgId],
    queryFn: () => apiGet(`/programs/${batch.programCode}/rules`, { orgId: batch.orgId }),
  });
  const [chosen, setChosen] = useState<BatchActionDef | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [showErrors, setShowErrors] = useState(false);
  const action = useActionJob(batch.id);
  const busy = !!action.job && !isJobOver(action.job);

  const requiresVerification = rules.data?.rules.requiresVerification ?? true;
  const actions = availableActions(
    { roles: me.roles, verifiesList: batch.verifierOrgId === me.orgId },
    batch.statusCounts,
    requiresVerification,
  );
  const eligible = chosen ? eligibleStatuses(chosen, requiresVerification) : new Set<string>();
  // The amount each ticked case would be approved for, remembered from the page it was ticked on.
  const [proposed, setProposed] = useState<Record<string, number>>({});
  const targets = targetsOf(batch, eligible, reasons, proposed);
  function exclude(next: Record<string, string>, shown: readonly BatchCase[]) {
    if (shown.length)
      setProposed((known) => ({
        ...known,
        ...Object.fromEntries(shown.map((c) => [c.id, c.recommendedAmount ?? c.requestedAmount])),
      }));
    setReasons(next);
  }

  function choose(def: BatchActionDef | null) {
    setChosen(def);
    setReasons({});
    setShowErrors(false);
  }

  return (
    <Flex vertical gap={16}>
      {action.job && (
        <Card>
          <JobProgress
            job={action.job}
            label={`${BATCH_ACTIONS.find((d) => `batch.${d.action}` === action.job!.kind)?.title ?? 'Thao tác'} cả danh sách`}
          />
        </Card>
      )}
      {action.job && isJobOver(action.job) && <ActionJobOutcome job={action.job} onClose={action.close} />}
      <Card title={`Hồ sơ trong danh sách (${groupDigits(batch.caseCount)})`}>
        {busy ? (
          <Typography.Paragraph type="secondary">
            Đang thực hiện một thao tác với danh sách; các thao tác khác mở lại khi nó xong.
          </Typography.Paragraph>
        ) : actions.length === 0 ? (
          <Typography.Paragraph type="secondary">
            Lúc này bạn không có thao tác nào với các hồ sơ của danh sách.
          </Typography.Paragraph>
        ) : (
          <Flex
            gap={8}
            wrap
            align="center"
            style={{ marginBottom: 16 }}
            role="group"
            aria-label="Thao tác với danh sách"
          >
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
            {chosen.title}: {groupDigits(targets.count)} hồ sơ. Đánh dấu “Loại ra” ở những hồ sơ không đưa vào lần này
            và ghi lý do cho từng hồ sơ.
          </Typography.Paragraph>
        )}
        <BatchCasesTable
          batchId={batch.id}
          total={batch.caseCount}
          exclusions={chosen ? { eligible, reasons, onChange: exclude, showErrors } : undefined}
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
              onStarted={(job) => {
                action.follow(job);
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
