// Reads each page's MediaBox, CropBox, Rotate and UserUnit (with their Pages-tree parents) straight from a
// PDF's bytes. Browsers need it because pdf.js exposes only the visible area (`view`, the CropBox clipped to
// the MediaBox), while visual space (COORDINATES.md) is defined by the MediaBox itself. It uses the shared
// PDF reader (pdf-file.ts); when that cannot read a file (an unusual filter, encrypted object streams), it
// returns null and the caller falls back to what its renderer reports.
import type { PageTreeNode } from './geometry.js';
import { PdfFile, isDict, isName, isRef, type Inflate, type Value } from './pdf-file.js';

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
 * Every page of the document, in order, as a PageTreeNode with its Parent chain (pass each to
 * `pageGeometryFromPageTree`). Returns null when the file cannot be read this way.
 */
export async function readPageTree(bytes: Uint8Array, inflate: Inflate): Promise<PageTreeNode[] | null> {
  try {
    const file = await PdfFile.open(bytes, inflate);
    const catalog = await file.resolve(file.trailer?.dict.get('Root'));
    if (!isDict(catalog)) return null;
    const pages: PageTreeNode[] = [];
    const visited = new Set<string>();
    const walk = async (ref: Value | undefined, parent: PageTreeNode | undefined): Promise<void> => {
      if (isRef(ref)) {
        const key = `${ref.num} ${ref.gen}`;
        if (visited.has(key)) return;
        visited.add(key);
      }
      const node = await file.resolve(ref);
      if (!isDict(node)) return;
      const d = node.dict;
      const tree: PageTreeNode = {
        MediaBox: await numbers(file, d.get('MediaBox')),
        CropBox: await numbers(file, d.get('CropBox')),
        Rotate: await number(file, d.get('Rotate')),
        UserUnit: await number(file, d.get('UserUnit')),
        Parent: parent,
      };
      const kids = await file.resolve(d.get('Kids'));
      const type = d.get('Type');
      if (Array.isArray(kids) && !(isName(type) && type.name === 'Page')) {
        for (const kid of kids) await walk(kid, tree);
      } else pages.push(tree);
    };
    await walk(catalog.dict.get('Pages'), undefined);
    return pages.length ? pages : null;
  } catch {
    return null;
  }
}
