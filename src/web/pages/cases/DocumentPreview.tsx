import { Button, Modal, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { apiBlob } from '../../api/client';
import type { CaseDocument } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { download } from '../../lib/download';
import { documentTypeName } from '../../lib/labels';

export function canPreview(document: CaseDocument): boolean {
  return (
    document.mimeType === 'application/pdf' ||
    (document.mimeType.startsWith('image/') && document.mimeType !== 'image/heic')
  );
}

interface Loaded {
  id: string;
  url?: string;
  error?: unknown;
}

/**
 * Shows an image or a PDF of the case in a dialog. The file is fetched with the user's token and shown from
 * an object URL (the page's CSP allows `blob:` images and frames), which is revoked when the dialog closes.
 */
export function DocumentPreview({
  caseId,
  document,
  onClose,
}: {
  caseId: string;
  document: CaseDocument | null;
  onClose: () => void;
}) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const path = document ? `/cases/${caseId}/documents/${document.id}` : null;

  useEffect(() => {
    if (!path || !document) return;
    let url: string | undefined;
    let cancelled = false;
    apiBlob(path, { disposition: 'inline' }).then(
      ({ blob }) => {
        url = URL.createObjectURL(blob);
        if (!cancelled) setLoaded({ id: document.id, url });
      },
      (error: unknown) => {
        if (!cancelled) setLoaded({ id: document.id, error });
      },
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [path, document]);

  const current = loaded && document && loaded.id === document.id ? loaded : null;
  const title = document ? `${documentTypeName(document.type)}: ${document.originalName}` : '';
  return (
    <Modal
      open={Boolean(document)}
      title={title}
      onCancel={onClose}
      width={900}
      destroyOnHidden
      footer={[
        <Button key="download" onClick={() => path && void download(path, undefined, document?.originalName)}>
          Tải về
        </Button>,
        <Button key="close" type="primary" onClick={onClose}>
          Đóng
        </Button>,
      ]}
    >
      {!current && <Spin style={{ display: 'block', margin: '48px auto' }} />}
      <ErrorAlert error={current?.error} />
      {current?.url && document?.mimeType === 'application/pdf' && (
        <iframe src={current.url} title={title} style={{ width: '100%', height: '70vh', border: 0 }} />
      )}
      {current?.url && document?.mimeType.startsWith('image/') && (
        <img
          src={current.url}
          alt={title}
          style={{ display: 'block', maxWidth: '100%', maxHeight: '70vh', margin: '0 auto' }}
        />
      )}
    </Modal>
  );
}
