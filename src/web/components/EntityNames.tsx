import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client';

/**
 * Names of things that lists carry only by id or code (a batch's union and campaign, a decision's program).
 * Each is read once and cached: a page of twenty rows names a handful of unions, not twenty.
 */
export type { Campaign, Program } from '../api/types';

const LONG = 10 * 60_000;

export function usePrograms() {
  return useQuery({
    queryKey: ['programs'],
    queryFn: async () => (await apiGet('/programs')).items,
    staleTime: LONG,
  });
}

export function ProgramName({ code }: { code: string }) {
  const programs = usePrograms();
  return <>{programs.data?.find((p) => p.code === code)?.name ?? code}</>;
}

export function OrgName({ id }: { id: string | null | undefined }) {
  const org = useQuery({
    queryKey: ['orgs', id],
    queryFn: () => apiGet(`/orgs/${id}`),
    enabled: Boolean(id),
    staleTime: LONG,
  });
  if (!id) return <>—</>;
  return <>{org.data ? (org.data.shortName ?? org.data.name) : '…'}</>;
}

export function CampaignName({ id }: { id: string | null | undefined }) {
  const campaign = useQuery({
    queryKey: ['campaigns', id],
    queryFn: () => apiGet(`/campaigns/${id}`),
    enabled: Boolean(id),
    staleTime: LONG,
  });
  if (!id) return <>—</>;
  return <>{campaign.data?.name ?? '…'}</>;
}
