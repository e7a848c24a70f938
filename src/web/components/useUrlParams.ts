import { useSearchParams } from 'react-router';

/**
 * A list page's filters and page number kept in the address (so a reload or a shared link shows the same
 * list): `update({ key: value })` sets or, with an empty value, removes each key.
 */
export function useUrlParams(): [URLSearchParams, (changes: Record<string, string | undefined>) => void] {
  const [params, setParams] = useSearchParams();
  function update(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  }
  return [params, update];
}

/** The page a list's address names (1 when it names none). */
export function pageFrom(params: URLSearchParams): number {
  return Number(params.get('page')) || 1;
}
