import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { apiGet } from '../../api/client';
import type { Org } from '../../api/types';

const PAGE = 100;

/** Every direct child of one organisation, page after page (the API gives at most 100 a page). */
async function childrenOf(parentId: string): Promise<Org[]> {
  const all: Org[] = [];
  for (let page = 1; ; page += 1) {
    const found = await apiGet('/orgs', { parentId, page, limit: PAGE, sort: 'name' });
    all.push(...found.items);
    if (all.length >= found.total || found.items.length === 0) return all;
  }
}

/**
 * The admin's subtree, one level at a time as the user opens it: a province holds hundreds of unions and
 * a national admin thousands, so the page never asks for the whole tree at once.
 */
export function useOrgTree() {
  const queryClient = useQueryClient();
  const [children, setChildren] = useState<Record<string, Org[]>>({});
  const [expanded, setExpanded] = useState<string[]>([]);

  const load = useCallback(
    async (parentId: string, fresh = false) => {
      const queryKey = ['orgs', 'children', parentId];
      if (fresh) await queryClient.invalidateQueries({ queryKey: ['orgs'] });
      const kids = await queryClient.fetchQuery({
        queryKey,
        queryFn: () => childrenOf(parentId),
        staleTime: fresh ? 0 : 30_000,
      });
      setChildren((known) => ({ ...known, [parentId]: kids }));
    },
    [queryClient],
  );

  /** After a change under `parentId`: reload its children and show them. */
  const refresh = useCallback(
    async (parentId: string) => {
      await load(parentId, true);
      setExpanded((keys) => (keys.includes(parentId) ? keys : [...keys, parentId]));
    },
    [load],
  );

  const find = useCallback(
    (id: string): Org | undefined =>
      Object.values(children)
        .flat()
        .find((org) => org.id === id),
    [children],
  );

  return { children, expanded, setExpanded, load, refresh, find };
}
