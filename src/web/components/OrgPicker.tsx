import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useEffect, useState } from 'react';
import { apiGet } from '../api/client';
import type { Org } from '../api/types';

const MINUTE = 60_000;

/** One organisation of the caller's subtree, read once and kept: names beside ids in tables and pickers. */
export function useOrg(id: string | undefined) {
  return useQuery({
    queryKey: ['org', id],
    queryFn: () => apiGet(`/orgs/${id}`),
    enabled: Boolean(id),
    staleTime: 5 * MINUTE,
  });
}

function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface OrgPickerProps extends Omit<SelectProps<string>, 'options' | 'onChange' | 'showSearch' | 'value'> {
  value?: string;
  /** The picked organisation comes along with its id, for its level. */
  onChange?: (id: string | undefined, org: Org | undefined) => void;
  /** Only organisations of this level (e.g. the grassroots unions members belong to). */
  level?: Org['level'];
}

/**
 * An organisation of the caller's subtree, searched on the server as the user types (names match without
 * diacritics), so that a province with hundreds of unions needs no long list in the page.
 */
export function OrgPicker({ value, onChange, level, ...rest }: OrgPickerProps) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const params = { level, q, limit: 50, sort: 'name' };
  const found = useQuery({
    queryKey: ['orgs', params],
    queryFn: () => apiGet('/orgs', params),
    staleTime: MINUTE,
  });
  const listed = found.data?.items ?? [];
  const current = useOrg(value && !listed.some((org) => org.id === value) ? value : undefined);
  const orgs = current.data && !listed.some((org) => org.id === current.data.id) ? [current.data, ...listed] : listed;
  return (
    <Select<string>
      value={value}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? 'Đang tìm…' : 'Không có đơn vị phù hợp'}
      options={orgs.map((org) => ({ value: org.id, label: `${org.name} (${org.code})` }))}
      onChange={(id) =>
        onChange?.(
          id,
          orgs.find((org) => org.id === id),
        )
      }
      onOpenChange={(open) => !open && setSearch('')}
      style={{ width: '100%' }}
      {...rest}
    />
  );
}
