import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * Tinos: the Times New Roman-compatible serif (same widths, so a page breaks where Word would break it) with
 * every Vietnamese letter, from the npm package @expo-google-fonts/tinos, never from the system. That package
 * ships whole TrueType files; @fontsource/tinos ships only WOFF/WOFF2 files cut by Unicode range (Vietnamese
 * letters in one file, the rest of Latin in another), and one PDF font cannot take its glyphs from two files.
 */
const require = createRequire(import.meta.url);

export const FONT = {
  regular: 'Tinos',
  bold: 'Tinos-Bold',
  italic: 'Tinos-Italic',
  boldItalic: 'Tinos-BoldItalic',
} as const;
type Style = keyof typeof FONT;

const FILES: Record<Style, string> = {
  regular: '400Regular/Tinos_400Regular.ttf',
  bold: '700Bold/Tinos_700Bold.ttf',
  italic: '400Regular_Italic/Tinos_400Regular_Italic.ttf',
  boldItalic: '700Bold_Italic/Tinos_700Bold_Italic.ttf',
};

let bytes: Record<Style, Buffer> | undefined;
let parsed: Record<Style, fontkit.Font> | undefined;

function fontBytes(): Record<Style, Buffer> {
  bytes ??= Object.fromEntries(
    Object.entries(FILES).map(([style, file]) => [
      style,
      readFileSync(require.resolve(`@expo-google-fonts/tinos/${file}`)),
    ]),
  ) as Record<Style, Buffer>;
  return bytes;
}

/** fontkit's per-font glyph cache: a glyph keeps the characters it was first asked for. */
type GlyphCache = { _glyphs?: Record<number, unknown> };

/**
 * The fonts for one document. Parsing the four files took most of a decision's render time (≈ 160 of 190 ms),
 * so they are parsed once per process and shared. fontkit caches each glyph with the characters it was first
 * asked for, and the PDF's text layer (what `pdftotext` reads) is built from them: a cache filled by an earlier
 * document could change this one's bytes, or leave a glyph with no text. So the cache is emptied before every
 * document: a document then sees the fonts exactly as freshly parsed, and the same decision always gives the
 * same bytes (a test renders in different orders). Should a fontkit release rename the cache, each document
 * parses its own fonts again: slower, never wrong.
 */
function fontsForDocument(): Record<Style, fontkit.Font | Buffer> {
  parsed ??= Object.fromEntries(
    Object.entries(fontBytes()).map(([style, data]) => [style, fontkit.create(data) as fontkit.Font]),
  ) as Record<Style, fontkit.Font>;
  const shared = Object.values(parsed) as GlyphCache[];
  if (!shared.every((font) => font._glyphs && typeof font._glyphs === 'object')) return fontBytes();
  for (const font of shared) font._glyphs = {};
  return parsed;
}

export function registerFonts(doc: PDFKit.PDFDocument): void {
  const fonts = fontsForDocument();
  // pdfkit ≥ 0.20 takes a parsed fontkit font as well as bytes; its typings (0.17) know only file names and bytes.
  for (const style of Object.keys(FONT) as Style[]) doc.registerFont(FONT[style], fonts[style] as Buffer);
  doc.font(FONT.regular);
}
