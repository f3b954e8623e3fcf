// The sandbox's tag finder (BSrE tag_koordinat) stays bounded on hostile content (review finding 2): it inflates
// page content within CONTENT_BUDGET for the whole document — a 300 MiB content stream, or one 3 MiB stream
// listed 50 times in a page's /Contents, ends the search ("not found") instead of inflating and tokenising it all.
// Its octal-escape reading no longer copies the rest of the stream per escape. A real tag is still found.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { contentStreamBomb } from '../../../test/node/hardening/hostile-pdfs.js';
import { CONTENT_BUDGET, findMarker } from '../src/tag.js';

const MB = 1024 * 1024;

describe('findMarker', { timeout: 60_000 }, () => {
  it('finds the marker of a real document (pdf-lib text), on its page', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([595, 842]).drawText('halaman satu', { x: 50, y: 50, font, size: 12 });
    doc.addPage([595, 842]).drawText('Tanda tangan: #', { x: 72, y: 700, font, size: 12 });
    const hit = await findMarker(await doc.save(), '#');
    assert.equal(hit?.page, 2);
    assert.ok(hit!.x > 72 && Math.abs(hit!.y - 700) < 1e-6, JSON.stringify(hit));
  });

  it('a content stream inflating to 300 MiB: the search stops at the budget, without the marker', async () => {
    const before = process.memoryUsage().rss;
    assert.equal(await findMarker(contentStreamBomb(300 * MB), '#'), undefined);
    // Inflated within the budget only (a few times CONTENT_BUDGET at most, not 300 MiB).
    assert.ok(process.memoryUsage().rss - before < 40 * CONTENT_BUDGET, `${((process.memoryUsage().rss - before) / MB).toFixed(0)} MiB more resident`);
  });

  it("one 3 MiB content stream listed 50 times, the marker after them: the budget is the document's, not each stream's", async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const spaces = doc.context.register(doc.context.flateStream(Buffer.alloc(3 * MB, 0x20)));
    const marker = doc.context.register(doc.context.flateStream(Buffer.from('BT /F1 12 Tf 72 700 Td (#) Tj ET', 'latin1')));
    page.node.set(PDFName.of('Contents'), doc.context.obj([...Array.from({ length: 50 }, () => spaces), marker]));
    assert.equal(await findMarker(await doc.save(), '#'), undefined);
  });

  it('many octal escapes in one string read in linear time (a 2 MiB string of \\101)', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595, 842]);
    const text = `BT /F1 12 Tf 72 700 Td (${'\\101'.repeat(600_000)}#) Tj ET`;
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(Buffer.from(text, 'latin1'))));
    const hit = await findMarker(await doc.save(), '#');
    assert.equal(hit?.page, 1);
  });
});
