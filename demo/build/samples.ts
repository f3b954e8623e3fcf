// Sample PDFs for the demo, generated with pdf-lib at build time (never hand-edited binaries): a contract
// with a BSrE tag marker, a rotated page, and a document mixing page sizes.
import { degrees, PDFDocument, PDFName, PDFNumber, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

function lines(page: PDFPage, font: PDFFont, text: string[], x: number, top: number, size = 11) {
  text.forEach((line, i) => page.drawText(line, { x, y: top - i * (size * 1.6), size, font, color: rgb(0.1, 0.12, 0.2) }));
}

async function contract(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Surat Perjanjian Kerja Sama (contoh)');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (let n = 1; n <= 2; n++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('SURAT PERJANJIAN KERJA SAMA', { x: 150, y: 780, size: 16, font: bold });
    page.drawText(`Nomor: 001/PKS/2026 - halaman ${n} dari 2`, { x: 190, y: 760, size: 10, font });
    lines(
      page,
      font,
      [
        'Pada hari ini para pihak sepakat untuk mengadakan kerja sama dengan ketentuan sebagai berikut.',
        'Pasal 1. Ruang lingkup kerja sama meliputi layanan tanda tangan elektronik.',
        'Pasal 2. Jangka waktu perjanjian adalah satu tahun sejak ditandatangani.',
        'Pasal 3. Segala perselisihan diselesaikan secara musyawarah untuk mufakat.',
      ],
      60,
      700,
    );
    if (n === 2) {
      page.drawText('PIHAK PERTAMA', { x: 80, y: 260, size: 11, font: bold });
      page.drawText('PIHAK KEDUA', { x: 380, y: 260, size: 11, font: bold });
      // BSrE tag_koordinat: the specimen lands at the '#' marker.
      page.drawText('#', { x: 80, y: 170, size: 11, font });
      page.drawText('Kepala Dinas', { x: 80, y: 150, size: 10, font });
      page.drawText('Direktur', { x: 380, y: 150, size: 10, font });
    }
  }
  return doc.save();
}

async function rotated(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595.28, 841.89]);
  // Content laid out for a landscape reading; /Rotate 90 shows it upright, as scanners often produce.
  page.setRotation(degrees(90));
  page.drawText('Lampiran (halaman diputar 90°): tabel anggaran', { x: 60, y: 60, size: 14, font, rotate: degrees(90) });
  const page2 = doc.addPage([595.28, 841.89]);
  page2.node.set(PDFName.of('Rotate'), PDFNumber.of(270));
  page2.drawText('Halaman kedua, /Rotate 270', { x: 535, y: 780, size: 14, font, rotate: degrees(-90) });
  return doc.save();
}

async function mixed(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const sizes: [string, number, number][] = [
    ['A4', 595.28, 841.89],
    ['Letter landscape', 792, 612],
    ['Legal', 612, 1008],
    ['A5', 419.53, 595.28],
  ];
  for (const [name, w, h] of sizes) {
    const page = doc.addPage([w, h]);
    page.drawText(`${name} (${w} × ${h} pt)`, { x: 40, y: h - 60, size: 16, font });
    page.drawRectangle({ x: 20, y: 20, width: w - 40, height: h - 40, borderColor: rgb(0.6, 0.65, 0.75), borderWidth: 1 });
  }
  const cropped = doc.addPage([612, 792]);
  cropped.setCropBox(36, 36, 540, 720);
  cropped.drawText('Letter with a CropBox 36 pt inside the MediaBox', { x: 50, y: 700, size: 14, font });
  return doc.save();
}

export const SAMPLES: Record<string, () => Promise<Uint8Array>> = {
  'contract.pdf': contract,
  'rotated.pdf': rotated,
  'mixed-sizes.pdf': mixed,
};
