// BSrE `tag_koordinat` (docs/providers/bsre.md C.2, D.1): the specimen goes where a marker character (`#`, `$`) sits in the
// text. The sandbox reads the page content streams itself: text operators (BT/ET, Tf, Tm, Td, TD, T*, TL,
// Tj, TJ, ', ") with the string's glyph widths from the standard-14 metrics (other fonts: Helvetica's), and
// answers the marker glyph's lower-left corner on the baseline (docs/providers/COORDINATES.md "Tag placement").
// Limits, fine for a simulator: a `cm` before BT is ignored, and so are Type 3 and CID fonts. It reads at most
// CONTENT_BUDGET bytes of page content (inflated) per document: the companion's intake refuses inflation bombs
// before a file gets here (server/src/pdf/every-stream.ts), and this cap keeps the simulator itself bounded — a
// 300 MiB content stream once blocked the server's main thread 53 s here (review finding 2).
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, StandardFonts, type PDFFont } from 'pdf-lib';

export interface MarkerHit {
  page: number;
  x: number;
  y: number;
}

/** Page content read per document, at most (inflated): more than any real document's text needs to show its tag. */
export const CONTENT_BUDGET = 4 * 1024 * 1024;

/** Past CONTENT_BUDGET: the search stops (the tag is then "not found"). */
class ContentBudget extends Error {}

/** A content stream's bytes, inflated within `left` bytes (ContentBudget past it). */
function streamBytes(stream: unknown, left: number): Uint8Array {
  if (!(stream instanceof PDFRawStream)) return new Uint8Array();
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const name = filter instanceof PDFName ? filter.decodeText() : filter instanceof PDFArray ? (filter.lookupMaybe(0, PDFName)?.decodeText() ?? '') : '';
  const raw = stream.getContents();
  let out: Uint8Array = new Uint8Array();
  if (name === 'FlateDecode') {
    try {
      out = new Uint8Array(inflateSync(raw, { maxOutputLength: Math.max(1, left) }));
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new ContentBudget();
    }
  } else if (name === '') out = raw;
  if (out.length > left) throw new ContentBudget();
  return out;
}

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'name'; value: string }
  | { kind: 'arr'; value: Token[] };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const stack: Token[][] = [out];
  let i = 0;
  const push = (t: Token) => stack[stack.length - 1]!.push(t);
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '%') {
      while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
    } else if (ch === '(') {
      let depth = 1;
      let s = '';
      i++;
      while (i < src.length && depth > 0) {
        const c = src[i]!;
        if (c === '\\') {
          const n = src[i + 1] ?? '';
          const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
          if (/[0-7]/.test(n)) {
            // At most three digits: slice only those (slicing the rest of the stream made this quadratic).
            const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4))![0];
            s += String.fromCharCode(parseInt(oct, 8));
            i += 1 + oct.length;
          } else {
            s += map[n] ?? n;
            i += 2;
          }
          continue;
        }
        if (c === '(') depth++;
        if (c === ')') depth--;
        if (depth > 0) s += c;
        i++;
      }
      push({ kind: 'str', value: s });
    } else if (ch === '<' && src[i + 1] !== '<') {
      const end = src.indexOf('>', i);
      const hex = src.slice(i + 1, end).replace(/\s+/g, '');
      push({ kind: 'str', value: Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1') });
      i = end + 1;
    } else if (ch === '[') {
      const arr: Token[] = [];
      push({ kind: 'arr', value: arr });
      stack.push(arr);
      i++;
    } else if (ch === ']') {
      if (stack.length > 1) stack.pop();
      i++;
    } else if (ch === '/') {
      const m = /^\/[^\s/[\]()<>{}%]*/.exec(src.slice(i))![0];
      push({ kind: 'name', value: m.slice(1) });
      i += m.length;
    } else if (ch === '<' || ch === '>' || ch === '{' || ch === '}') {
      i += ch === '<' || ch === '>' ? 2 : 1;
    } else {
      const m = /^[^\s/[\]()<>{}%]+/.exec(src.slice(i));
      const word = m ? m[0] : ch;
      i += word.length;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) push({ kind: 'num', value: Number(word) });
      else push({ kind: 'op', value: word });
    }
  }
  return out;
}

/** Finds the first occurrence of `marker` in the text of the document. */
export async function findMarker(pdf: Uint8Array, marker: string): Promise<MarkerHit | undefined> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  const scratch = await PDFDocument.create();
  const metrics = new Map<string, PDFFont>();
  const fontFor = async (base: string) => {
    const std = (Object.values(StandardFonts) as string[]).includes(base) ? (base as StandardFonts) : StandardFonts.Helvetica;
    let f = metrics.get(std);
    if (!f) {
      f = await scratch.embedFont(std);
      metrics.set(std, f);
    }
    return f;
  };
  const pages = doc.getPages();
  let left = CONTENT_BUDGET;
  for (let p = 0; p < pages.length; p++) {
    const node = pages[p]!.node;
    const contents = node.lookup(PDFName.of('Contents'));
    const parts = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
    let src = '';
    try {
      for (const part of parts) {
        const bytes = streamBytes(part, left);
        left -= bytes.length;
        src += `${Buffer.from(bytes).toString('latin1')}\n`;
      }
    } catch (err) {
      if (err instanceof ContentBudget) return undefined;
      throw err;
    }
    const fonts = node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const tokens = tokenize(src);
    const operands: Token[] = [];
    let font: PDFFont = await fontFor('Helvetica');
    let size = 12;
    let leading = 0;
    let line = { x: 0, y: 0 };
    let pos = { x: 0, y: 0 };
    const show = (s: string): MarkerHit | undefined => {
      const at = s.indexOf(marker);
      if (at >= 0) {
        const before = s.slice(0, at);
        let w: number;
        try {
          w = font.widthOfTextAtSize(before, size);
        } catch {
          w = before.length * size * 0.5;
        }
        return { page: p + 1, x: pos.x + w, y: pos.y };
      }
      try {
        pos = { x: pos.x + font.widthOfTextAtSize(s, size), y: pos.y };
      } catch {
        pos = { x: pos.x + s.length * size * 0.5, y: pos.y };
      }
      return undefined;
    };
    const nums = () => operands.filter((t): t is { kind: 'num'; value: number } => t.kind === 'num').map((t) => t.value);
    for (const t of tokens) {
      if (t.kind !== 'op') {
        operands.push(t);
        continue;
      }
      const n = nums();
      let hit: MarkerHit | undefined;
      switch (t.value) {
        case 'BT':
          line = { x: 0, y: 0 };
          pos = { x: 0, y: 0 };
          break;
        case 'Tf': {
          const name = operands.find((o) => o.kind === 'name');
          size = n[n.length - 1] ?? size;
          const dict = name && name.kind === 'name' ? fonts?.lookupMaybe(PDFName.of(name.value), PDFDict) : undefined;
          font = await fontFor(dict?.lookupMaybe(PDFName.of('BaseFont'), PDFName)?.decodeText() ?? 'Helvetica');
          break;
        }
        case 'TL':
          leading = n[0] ?? leading;
          break;
        case 'Tm':
          line = { x: n[4] ?? 0, y: n[5] ?? 0 };
          pos = { ...line };
          break;
        case 'Td':
        case 'TD':
          if (t.value === 'TD') leading = -(n[1] ?? 0);
          line = { x: line.x + (n[0] ?? 0), y: line.y + (n[1] ?? 0) };
          pos = { ...line };
          break;
        case 'T*':
          line = { x: line.x, y: line.y - leading };
          pos = { ...line };
          break;
        case "'":
        case '"': {
          line = { x: line.x, y: line.y - leading };
          pos = { ...line };
          const s = operands.find((o) => o.kind === 'str');
          if (s && s.kind === 'str') hit = show(s.value);
          break;
        }
        case 'Tj': {
          const s = operands.find((o) => o.kind === 'str');
          if (s && s.kind === 'str') hit = show(s.value);
          break;
        }
        case 'TJ': {
          const arr = operands.find((o) => o.kind === 'arr');
          if (arr && arr.kind === 'arr') {
            for (const item of arr.value) {
              if (item.kind === 'str') hit ??= show(item.value);
              else if (item.kind === 'num' && !hit) pos = { x: pos.x - (item.value / 1000) * size, y: pos.y };
            }
          }
          break;
        }
      }
      operands.length = 0;
      if (hit) return hit;
    }
  }
  return undefined;
}
