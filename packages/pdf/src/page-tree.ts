// Reads each page's MediaBox, CropBox, Rotate and UserUnit (with their Pages-tree parents) straight from a
// PDF's bytes. Browsers need it because pdf.js exposes only the visible area (`view`, the CropBox clipped to
// the MediaBox), while visual space (docs/coordinates.md) is defined by the MediaBox itself. It uses the shared
// PDF reader (pdf-file.ts); when that cannot read a file (an unusual filter, encrypted object streams), it
// returns null and the caller falls back to what its renderer reports. The companion server reads pages the
// same way (`readPages`), so server and placer agree by construction.
import type { PageTreeNode } from '@esign-kit/core';
import { PdfError, PdfFile, isDict, isName, isRef, type Inflate, type Value } from './pdf-file.js';
import { PdfLimitError, type PdfLimits } from './pdf-limits.js';

/** Work units per page-tree node visited, beyond the bytes its objects cost to lex. */
const NODE_COST = 64;

async function numbers(file: PdfFile, value: Value | undefined): Promise<number[] | undefined> {
  const v = await file.resolve(value);
  if (!Array.isArray(v)) return undefined;
  const out: number[] = [];
  for (const item of v) {
    const n = await file.resolve(item);
    out.push(typeof n === 'number' ? n : Number.NaN);
  }
  return out;
}

async function number(file: PdfFile, value: Value | undefined): Promise<number | undefined> {
  const v = await file.resolve(value);
  return typeof v === 'number' ? v : undefined;
}

/**
 * Every page of an open file, in order, as a PageTreeNode with its Parent chain (pass each to
 * `pageGeometryFromPageTree`). The walk is iterative, visits each node once (a node reached twice, through a
 * /Kids cycle or under two parents, throws `pdf-page-tree-loop`: a tree listing one kid twice would double
 * the pages at every level), and counts pages against `maxPages` as it goes, within the file's limits.
 * Throws PdfError when there is no catalog or page tree.
 */
export async function readPages(file: PdfFile): Promise<PageTreeNode[]> {
  const { maxPages, maxPageTreeDepth } = file.meter.limits;
  const catalog = await file.resolve(file.trailer?.dict.get('Root'));
  if (!isDict(catalog)) throw new PdfError('DAMAGED', 'The document catalog is missing.');
  const pages: PageTreeNode[] = [];
  const visited = new Set<number>();
  const stack: { kids: readonly Value[]; next: number; parent: PageTreeNode | undefined; depth: number }[] = [
    { kids: [catalog.dict.get('Pages') ?? null], next: 0, parent: undefined, depth: 0 },
  ];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.kids.length) {
      stack.pop();
      continue;
    }
    const ref = frame.kids[frame.next++];
    file.meter.spend(NODE_COST);
    if (isRef(ref)) {
      if (visited.has(ref.num)) {
        throw new PdfLimitError(
          'pdf-page-tree-loop',
          0,
          `The PDF's page tree reaches object ${ref.num} twice (a /Kids cycle or a shared node): it is not a tree.`,
        );
      }
      visited.add(ref.num);
    }
    const node = await file.resolve(ref);
    if (!isDict(node)) continue;
    const d = node.dict;
    const tree: PageTreeNode = {
      MediaBox: await numbers(file, d.get('MediaBox')),
      CropBox: await numbers(file, d.get('CropBox')),
      Rotate: await number(file, d.get('Rotate')),
      UserUnit: await number(file, d.get('UserUnit')),
      Parent: frame.parent,
    };
    const kids = await file.resolve(d.get('Kids'));
    const type = d.get('Type');
    if (Array.isArray(kids) && !(isName(type) && type.name === 'Page')) {
      if (frame.depth + 1 > maxPageTreeDepth) {
        throw new PdfLimitError('pdf-page-tree-too-deep', maxPageTreeDepth, `The PDF's page tree is nested more than ${maxPageTreeDepth} levels deep.`);
      }
      stack.push({ kids, next: 0, parent: tree, depth: frame.depth + 1 });
    } else {
      pages.push(tree);
      if (pages.length > maxPages) throw file.meter.tooMany('pdf-too-many-pages', 'pages');
    }
  }
  return pages;
}

/**
 * Every page of the document, in order, as a PageTreeNode with its Parent chain (pass each to
 * `pageGeometryFromPageTree`). Returns null when the file cannot be read this way, or passes one of `limits`
 * (DEFAULT_PDF_LIMITS otherwise).
 */
export async function readPageTree(bytes: Uint8Array, inflate?: Inflate, limits: Partial<PdfLimits> = {}): Promise<PageTreeNode[] | null> {
  try {
    const pages = await readPages(await PdfFile.open(bytes, inflate, limits));
    return pages.length ? pages : null;
  } catch {
    return null;
  }
}
