import { useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';

export interface SearchOption {
  value: string;
  label: string;
}

interface SearchSelectProps {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  /** The query key prefix of the searched list (its scope). */
  queryKey: readonly unknown[];
  search: (text: string) => Promise<SearchOption[]>;
  /** The label of the chosen value when the current search does not list it (the case's member when editing). */
  currentLabel?: string;
  placeholder?: string;
  disabled?: boolean;
}

const PAUSE_MS = 300;

/** A select whose options the server finds once typing pauses: lists too long to send whole (a union's members). */
export function SearchSelect({ queryKey, search, currentLabel, value, ...props }: SearchSelectProps) {
  const [text, setText] = useState('');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const typed = (input: string) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setText(input.trim()), PAUSE_MS);
  };
  const query = useQuery({ queryKey: [...queryKey, 'search', text], queryFn: () => search(text), staleTime: 30_000 });
  const found = query.data ?? [];
  const options =
    value && currentLabel && !found.some((option) => option.value === value)
      ? [{ value, label: currentLabel }, ...found]
      : found;
  return (
    <Select<string>
      {...props}
      value={value}
      showSearch={{ filterOption: false, onSearch: typed }}
      options={options}
      loading={query.isFetching}
      notFoundContent={query.isFetching ? <Spin size="small" /> : 'Không tìm thấy'}
    />
  );
}
