import { apiBlob, type Query } from '../api/client';

/** Saves what the API serves (authenticated, so not a plain link) under the name the server proposes. */
export async function download(path: string, query?: Query, fallbackName = 'tai-xuong'): Promise<void> {
  const { blob, filename } = await apiBlob(path, query);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens a PDF or image the API serves in a new tab (an object URL: the request carried the token). */
export async function openInNewTab(path: string): Promise<void> {
  const tab = window.open('', '_blank');
  const { blob } = await apiBlob(path);
  const url = URL.createObjectURL(blob);
  if (tab) tab.location.href = url;
  else window.location.href = url;
  setTimeout(() => URL.revokeObjectURL(url), 300_000);
}
