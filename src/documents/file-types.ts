import { fileTypeFromFile } from 'file-type';

/** What SPEC §9 accepts, decided from the file's bytes (file-type), never from its name or declared type. */
const ACCEPTED: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/** The media types a stored file is served with (the OpenAPI document lists them for downloads). */
export const ACCEPTED_MIME_TYPES = Object.keys(ACCEPTED);

export const ACCEPTED_DESCRIPTION = 'PDF, JPEG, PNG, WebP, HEIC';

export async function sniffAccepted(path: string): Promise<{ mimeType: string; extension: string } | null> {
  const detected = await fileTypeFromFile(path);
  if (!detected) return null;
  const extension = ACCEPTED[detected.mime];
  return extension ? { mimeType: detected.mime, extension } : null;
}

/** The client's file name, kept only as metadata: no folders, no control characters, bounded length. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(/^\.+/, '').trim();
  return (cleaned || 'tai-lieu').slice(0, 200);
}
