import { useQueryClient } from '@tanstack/react-query';
import { Alert, Col, Flex, Row, Skeleton } from 'antd';
import { useRef, useState } from 'react';
import { useParams } from 'react-router';
import { useSession } from '../../api/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { CaseActions } from './CaseActions';
import { CaseDocuments } from './CaseDocuments';
import { CaseHistory } from './CaseHistory';
import { CaseMoney } from './CaseMoney';
import { CaseNotFound, isNotFound } from './CaseNotFound';
import { CasePayments } from './CasePayments';
import { useCase, useProgramRules } from './caseQueries';
import { StatusTag } from '../../components/CaseTable';
import { CaseSummary } from './CaseSummary';
import { DecisionInfo } from './DecisionInfo';
import { missingPapers, nextStepDocuments } from './documentRules';
import { STALE_MESSAGE } from './staleRevision';

const PAID_STAGES = ['approved', 'partially_disbursed', 'disbursed', 'closed'];

/** A case's page: what it asks, for whom, its money, papers and history, and the actions the user may take now. */
export default function CasePage() {
  const { id = '' } = useParams();
  const { hasRole } = useSession();
  const queryClient = useQueryClient();
  const query = useCase(id);
  const record = query.data;
  const rules = useProgramRules(record?.programCode, record?.orgId).data;
  const [stale, setStale] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  if (isNotFound(query.error)) return <CaseNotFound />;
  if (query.error) return <ErrorAlert error={query.error} />;
  if (!record) return <Skeleton active />;

  const changed = () => void queryClient.invalidateQueries({ queryKey: ['cases'] });
  // Someone else moved the case on: show what it is now, and say why the user's change did not go through.
  const onStale = () => {
    setStale(true);
    changed();
  };
  const cap = rules?.maxAmount[record.subtype];
  const steps = rules ? nextStepDocuments(record, rules) : [];
  const missing = missingPapers(record, steps);
  const readsPayments = hasRole('accountant', 'approver', 'admin') && PAID_STAGES.includes(record.status);

  return (
    <>
      <PageTitle
        headingRef={heading}
        extra={
          <CaseActions
            record={record}
            cap={cap}
            missing={missing}
            onStale={onStale}
            onDone={() => heading.current?.focus()}
          />
        }
      >
        Hồ sơ {record.code} <StatusTag status={record.status} />
      </PageTitle>
      {stale && (
        <Alert
          type="warning"
          showIcon
          closable
          role="alert"
          title={STALE_MESSAGE}
          style={{ marginBottom: 16 }}
          onClose={() => setStale(false)}
        />
      )}
      {record.decisionId && <DecisionInfo decisionId={record.decisionId} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Flex vertical gap={16}>
            <CaseSummary record={record} />
            <CaseMoney record={record} rules={rules} />
            {readsPayments && <CasePayments caseId={record.id} status={record.status} />}
            <CaseDocuments record={record} rules={rules} steps={steps} onChanged={changed} onStale={onStale} />
          </Flex>
        </Col>
        <Col xs={24} xl={8}>
          <CaseHistory history={record.history} />
        </Col>
      </Row>
    </>
  );
}
