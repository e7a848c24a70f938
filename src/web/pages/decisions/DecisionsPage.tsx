import { useQuery } from '@tanstack/react-query';
import { Card } from 'antd';
import { useState } from 'react';
import { apiGet } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PagedTable } from '../../components/PagedTable';
import { PageTitle } from '../../components/PageTitle';
import { pageFrom, useUrlParams } from '../../components/useUrlParams';
import { decisionColumns } from './decision-columns';
import type { DecisionSummary } from './decision-types';
import { DecisionFilters, FILTER_KEYS } from './DecisionFilters';
import { VerifyModal } from './VerifyModal';

const PAGE_SIZE = 20;

/** Quyết định: the decisions in scope, newest first, each with its PDF and its public verification. */
export default function DecisionsPage() {
  const [params, update] = useUrlParams();
  const [verifying, setVerifying] = useState<DecisionSummary | null>(null);
  const page = pageFrom(params);
  const query = {
    page,
    limit: PAGE_SIZE,
    ...Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? undefined])),
  };
  const decisions = useQuery({
    queryKey: ['decisions', query],
    queryFn: () => apiGet('/decisions', query),
  });

  return (
    <>
      <PageTitle>Quyết định</PageTitle>
      <Card>
        <DecisionFilters params={params} onChange={(changes) => update({ ...changes, page: undefined })} />
        <ErrorAlert error={decisions.error} />
        <PagedTable<DecisionSummary>
          data={decisions.data}
          loading={decisions.isLoading}
          columns={decisionColumns(setVerifying)}
          pageSize={PAGE_SIZE}
          unit="quyết định"
          emptyText="Chưa có quyết định nào."
          onPage={(next) => update({ page: next > 1 ? String(next) : undefined })}
        />
      </Card>
      {verifying && <VerifyModal decision={verifying} onClose={() => setVerifying(null)} />}
    </>
  );
}
