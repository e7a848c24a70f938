import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import type { CaseRecord } from '../../api/types';

/** The case as GET /cases/{id} answers it. */
export type CaseView = CaseRecord;

/** Reference data changes rarely (an approver sets the province's rules, adds a campaign). */
const REFERENCE = 5 * 60_000;

export function caseKey(id: string) {
  return ['cases', id] as const;
}

export function useCase(id: string) {
  return useQuery({ queryKey: caseKey(id), queryFn: () => apiGet(`/cases/${id}`) });
}

/** The rules as the province of `orgId` applies them (caps and documents may differ from the national defaults). */
export function useProgramRules(programCode: string | undefined, orgId: string | undefined) {
  return useQuery({
    queryKey: ['programs', programCode, 'rules', orgId],
    queryFn: async () => (await apiGet(`/programs/${programCode}/rules`, { orgId })).rules,
    enabled: Boolean(programCode && orgId),
    staleTime: REFERENCE,
  });
}

export function useCampaigns(programCode?: string) {
  const query = { programCode, limit: 100, sort: '-opensAt' };
  return useQuery({
    queryKey: ['campaigns', query],
    queryFn: () => apiGet('/campaigns', query),
    staleTime: REFERENCE,
  });
}
