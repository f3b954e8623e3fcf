// The calibration sheet (docs/providers/COORDINATES.md, "Provider profiles"): one page per geometry the kit
// must get right, each with a labelled point grid in *visual space* (points from the bottom-left corner of the
// page as a person sees it; offsets of a MediaBox not at (0,0) included). An integrator signs it once on the real
// provider with the kit's coordinates and compares by eye where the box landed against the labels.
import { PDFDocument, StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { pageGeometry, visualMediaBox, visualToUser, type PageGeometry } from '@esign-kit/core';
import { applyPageSetup } from './page-setup.js';

// The sheet is for live providers too, so it uses the core's visual space (what the adapters send), not the
// sandbox's own reading of the conventions.
const visualPointToUser = (g: PageGeometry, x: number, y: number) => visualToUser(g, { x, y });
const visualTop = (g: PageGeometry) => {
  const media = visualMediaBox(g);
  return media.y + media.height;
};

export interface CalibrationPage {
  name: string;
  mediaBox: [number, number, number, number];
  cropBox?: [number, number, number, number];
  rotate?: number;
  userUnit?: number;
}

/** The geometries of docs/providers/COORDINATES.md "The page as a person sees it". */
export const CALIBRATION_PAGES: readonly CalibrationPage[] = [
  { name: 'A4 portrait, /Rotate 0', mediaBox: [0, 0, 595, 842] },
  { name: 'A4, /Rotate 90', mediaBox: [0, 0, 595, 842], rotate: 90 },
  { name: 'A4, /Rotate 180', mediaBox: [0, 0, 595, 842], rotate: 180 },
  { name: 'A4, /Rotate 270', mediaBox: [0, 0, 595, 842], rotate: 270 },
  { name: 'A4, /Rotate -90 (= 270)', mediaBox: [0, 0, 595, 842], rotate: -90 },
  { name: 'A4, /Rotate 450 (= 90)', mediaBox: [0, 0, 595, 842], rotate: 450 },
  { name: 'Letter, CropBox offset inside the MediaBox', mediaBox: [0, 0, 612, 792], cropBox: [36, 36, 576, 756] },
  { name: 'MediaBox origin (100,200), /Rotate 90', mediaBox: [100, 200, 700, 1000], rotate: 90 },
  { name: 'Legal portrait', mediaBox: [0, 0, 612, 1008] },
  { name: 'A4 landscape (MediaBox wider than tall)', mediaBox: [0, 0, 842, 595] },
  { name: 'Legal landscape, cropped, /Rotate 270', mediaBox: [0, 0, 1008, 612], cropBox: [20, 30, 990, 590], rotate: 270 },
  { name: 'Negative MediaBox origin, cropped, /Rotate 180', mediaBox: [-300, -400, 300, 400], cropBox: [-250, -350, 250, 350], rotate: 180 },
  { name: 'UserUnit 2 (numbers stay user-space units)', mediaBox: [0, 0, 300, 400], userUnit: 2 },
];

const STEP = 50;

function drawUpright(page: PDFPage, g: PageGeometry, font: PDFFont, text: string, vx: number, vy: number, size: number, color = rgb(0, 0, 0)) {
  const p = visualPointToUser(g, vx, vy);
  // A page shown with /Rotate r turns user space r° clockwise; text turned r° counter-clockwise reads upright.
  page.drawText(text, { x: p.x, y: p.y, size, font, color, rotate: degrees(g.rotate) });
}

function line(page: PDFPage, g: PageGeometry, a: [number, number], b: [number, number], color = rgb(0.55, 0.55, 0.55), thickness = 0.4) {
  const s = visualPointToUser(g, a[0], a[1]);
  const e = visualPointToUser(g, b[0], b[1]);
  page.drawLine({ start: s, end: e, thickness, color });
}

/** Builds the sheet: a title page, then one page per geometry with its grid. */
export async function buildCalibrationPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('esign-kit calibration sheet');
  doc.setProducer('esign-kit sandbox');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  const intro = doc.addPage([595, 842]);
  const lines = [
    'esign-kit calibration sheet',
    '',
    'Each following page has a different geometry (rotation, CropBox, MediaBox origin, size, UserUnit).',
    'Grid labels are VISUAL coordinates: points from the bottom-left corner of the page as displayed,',
    'MediaBox offsets included (COORDINATES.md). The header of each page also gives, for BSrE v2',
    '(top-left origin), originY = top - y.',
    '',
    'How to calibrate: place one box on a few pages with the kit, sign this file once on the real',
    'provider, and check that each stamp covers the grid point the kit reported for its corner.',
    'If it does not, set the profile override (origin, encoding, space, units) that makes it land.',
  ];
  lines.forEach((t, i) => intro.drawText(t, { x: 50, y: 780 - i * 18, size: i === 0 ? 18 : 11, font: i === 0 ? bold : font }));
  CALIBRATION_PAGES.forEach((c, i) => intro.drawText(`p.${i + 2}: ${c.name}`, { x: 60, y: 560 - i * 16, size: 10, font }));

  for (const [index, c] of CALIBRATION_PAGES.entries()) {
    const page = doc.addPage();
    applyPageSetup(page, c);
    const g = pageGeometry({ mediaBox: c.mediaBox, cropBox: c.cropBox ?? null, rotate: c.rotate ?? 0, userUnit: c.userUnit ?? 1 });
    // The visible area (CropBox) in visual space.
    const [cx0, cy0, cx1, cy1] = g.cropBox;
    const corners = [visualOf(g, cx0, cy0), visualOf(g, cx1, cy1)];
    const vx0 = Math.min(corners[0]!.x, corners[1]!.x);
    const vx1 = Math.max(corners[0]!.x, corners[1]!.x);
    const vy0 = Math.min(corners[0]!.y, corners[1]!.y);
    const vy1 = Math.max(corners[0]!.y, corners[1]!.y);
    const top = visualTop(g);
    for (let vx = Math.ceil(vx0 / STEP) * STEP; vx <= vx1; vx += STEP) line(page, g, [vx, vy0], [vx, vy1]);
    for (let vy = Math.ceil(vy0 / STEP) * STEP; vy <= vy1; vy += STEP) line(page, g, [vx0, vy], [vx1, vy]);
    for (let vx = Math.ceil(vx0 / STEP) * STEP; vx <= vx1; vx += STEP) {
      for (let vy = Math.ceil(vy0 / STEP) * STEP; vy <= vy1; vy += STEP) {
        line(page, g, [vx - 3, vy], [vx + 3, vy], rgb(0.8, 0, 0), 0.8);
        line(page, g, [vx, vy - 3], [vx, vy + 3], rgb(0.8, 0, 0), 0.8);
        if ((vx / STEP) % 2 === 0 && (vy / STEP) % 2 === 0) drawUpright(page, g, font, `${vx},${vy}`, vx + 2, vy + 2, 6, rgb(0.6, 0, 0));
      }
    }
    const header = [
      `p.${index + 2} ${c.name}`,
      `MediaBox [${c.mediaBox.join(' ')}]${c.cropBox ? `  CropBox [${c.cropBox.join(' ')}]` : ''}  /Rotate ${c.rotate ?? 0}${c.userUnit ? `  /UserUnit ${c.userUnit}` : ''}`,
      `visual x ${vx0}..${vx1}, y ${vy0}..${vy1} (shown); top edge y = ${top}: BSrE v2 originY = ${top} - y`,
    ];
    header.forEach((t, i) => drawUpright(page, g, i === 0 ? bold : font, t, vx0 + 12, vy1 - 20 - i * 11, i === 0 ? 10 : 7));
  }
  return doc.save();
}

function visualOf(g: PageGeometry, x: number, y: number): { x: number; y: number } {
  // The inverse of visualPointToUser, found by mapping the unit vectors: cheap and exact for quarter turns.
  const o = visualPointToUser(g, 0, 0);
  const ex = visualPointToUser(g, 1, 0);
  const ey = visualPointToUser(g, 0, 1);
  const a = ex.x - o.x;
  const b = ex.y - o.y;
  const c = ey.x - o.x;
  const d = ey.y - o.y;
  const det = a * d - b * c;
  const dx = x - o.x;
  const dy = y - o.y;
  return { x: (d * dx - c * dy) / det, y: (a * dy - b * dx) / det };
}
