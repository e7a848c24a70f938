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

/** The extensions a file of each accepted type may carry in its name. */
const NAME_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/heic': ['heic'],
  'image/heif': ['heif', 'heic'],
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

/**
 * The file name made to tell the truth about the bytes: a PDF named `poly.html` becomes `poly.pdf`, a JPEG
 * named `scan` becomes `scan.jpg`, so a download can never be opened as what its name pretended.
 */
export function nameForType(name: string, mimeType: string): string {
  const allowed = NAME_EXTENSIONS[mimeType];
  if (!allowed) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (allowed.includes(extension)) return name;
  return `${dot > 0 ? name.slice(0, dot) : name}.${allowed[0]}`;
}

/** The client's file name, kept only as metadata: no folders, no control characters, bounded length. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/^\.+/, '')
    .trim();
  return (cleaned || 'tai-lieu').slice(0, 200);
}
