// Reads every page's geometry from a PDF with pdf-lib, resolving inherited attributes through the
// Pages tree with the core's own rules (pageGeometryFromPageTree), so server and placer agree.
import { PDFArray, PDFDict, type PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { pageGeometryFromPageTree, type PageGeometry, type PageTreeNode } from '@esign-kit/core';

function toPageTreeNode(dict: PDFDict, seen: Map<PDFDict, PageTreeNode>): PageTreeNode {
  const known = seen.get(dict);
  if (known) return known;
  const node: PageTreeNode = {};
  seen.set(dict, node);
  const number = (key: string) => {
    const value = dict.lookup(PDFName.of(key));
    return value instanceof PDFNumber ? value.asNumber() : undefined;
  };
  const rect = (key: string) => {
    const value = dict.lookup(PDFName.of(key));
    if (!(value instanceof PDFArray)) return undefined;
    // A malformed entry (not four numbers) is passed on as is; the core rejects it with the field named.
    return value.asArray().map((item) => {
      const n = dict.context.lookup(item);
      return n instanceof PDFNumber ? n.asNumber() : Number.NaN;
    });
  };
  node.MediaBox = rect('MediaBox');
  node.CropBox = rect('CropBox');
  node.Rotate = number('Rotate');
  node.UserUnit = number('UserUnit');
  const parent = dict.lookup(PDFName.of('Parent'));
  if (parent instanceof PDFDict) node.Parent = toPageTreeNode(parent, seen);
  return node;
}

export function readPageGeometries(doc: PDFDocument): PageGeometry[] {
  const seen = new Map<PDFDict, PageTreeNode>();
  return doc.getPages().map((page) => pageGeometryFromPageTree(toPageTreeNode(page.node, seen)));
}
