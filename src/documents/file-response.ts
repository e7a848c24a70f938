import { create as contentDisposition } from 'content-disposition';
import { nameForType } from './file-types.js';

/** Types a browser shows itself in the page's viewer without running anything from the file. */
const VIEWABLE = /^(image\/(jpeg|png|webp|heic|heif)|application\/pdf)$/;

export interface ServedFile {
  originalName: string;
  mimeType: string;
  size: number;
}

/**
 * Headers of a stored paper or receipt: the sniffed type, a name whose extension matches it (also for files
 * stored before names were corrected), and `attachment` unless the viewer asks for `inline` and the type is
 * an image or a PDF. Never cached (personal papers).
 */
export function fileResponseHeaders(
  file: ServedFile,
  wanted: 'attachment' | 'inline' = 'attachment',
): Record<string, string> {
  const type = wanted === 'inline' && VIEWABLE.test(file.mimeType) ? 'inline' : 'attachment';
  return {
    'Content-Type': file.mimeType,
    'Content-Length': String(file.size),
    'Content-Disposition': contentDisposition(nameForType(file.originalName, file.mimeType), { type }),
    'Cache-Control': 'private, no-store',
  };
}
