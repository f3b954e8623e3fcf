// Reading large JSON answers as they arrive (server/src/providers/shared/large-json.ts): the base64 decoder of
// one JSON string, fed in pieces split at every point, against what JSON.parse and fromBase64 make of the same
// text; and whole answers (BSrE v2 `{"time":…,"file":["<base64>"]}` as Java, PHP or a MIME encoder writes it)
// read in pieces, in memory and into an AnswerSpool's files, truncated, failing midway, and not a PDF.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AnswerSpool } from '../../src/providers/shared/answer-spool.js';
import { Base64Text, fromBase64, isBase64, jsonObject, LARGE_STRING } from '../../src/providers/shared/check.js';
import { ProviderError } from '../../src/providers/shared/errors.js';
import { Base64StringDecoder, readJsonSettingAside, type Stop } from '../../src/providers/shared/large-json.js';
import { SpooledFile } from '../../src/providers/shared/types.js';
import { parseBsreV2SignResponse } from '../../src/providers/bsre/v2.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The oracle: the string JSON.parse reads from `content` (the text between the quotes), as the parsers take it. */
function expected(content: string): Uint8Array | undefined {
  const s = JSON.parse(`"${content}"`) as string;
  return isBase64(s) ? fromBase64(s) : undefined;
}

/** Feeds `content` + the closing quote in the given pieces; what the decoder made of it. */
function decodeInPieces(content: string, cuts: number[]): { stop: Stop; bytes?: Uint8Array; at: number; escaped: boolean } {
  const text = Buffer.from(`${content}"`, 'latin1');
  const d = new Base64StringDecoder();
  const out: Uint8Array[] = [];
  const bounds = [0, ...cuts, text.byteLength];
  for (let k = 1; k < bounds.length; k++) {
    const start = bounds[k - 1]!;
    let from = start;
    for (;;) {
      const stop = d.feed(text, from, bounds[k]!);
      if (stop === 'more') break;
      if (stop === 'full') {
        out.push(Buffer.from(d.take()));
        from = d.at;
        continue;
      }
      if (stop === 'bad') return { stop, at: d.at, escaped: d.escaped };
      const tail = d.finish();
      if (!tail) return { stop: 'bad', at: d.at, escaped: d.escaped };
      return { stop, bytes: new Uint8Array(Buffer.concat([...out, tail])), at: d.at, escaped: d.escaped };
    }
  }
  throw new Error('the closing quote was never reached');
}

describe('Base64StringDecoder: one JSON string, in pieces', () => {
  const b64 = (n: number) => randomBytes(n).toString('base64');
  const valid: Record<string, string> = {
    'no padding': b64(30),
    'one =': b64(32),
    'two =': b64(31),
    'escaped slashes (PHP json_encode)': Buffer.from([0xff, 0xff, 0xff, 0xfb, 0xff, 0xbf, 0x3f, 0xf0]).toString('base64').replace(/\//g, '\\/'),
    'MIME line breaks as \\r\\n escapes': (b64(120).match(/.{1,76}/g) ?? []).join('\\r\\n'),
    'spaces and \\n, \\t anywhere': ` QUJ \\nDRE\\tVG  `,
    'a line break between the = signs': `${b64(31).slice(0, -2)}=\\n=`,
  };
  const invalid: Record<string, { content: string; at?: number; escaped?: boolean }> = {
    'not whole quads': { content: `${b64(30)}A` },
    'three =': { content: `${b64(31)}=` },
    '= in the middle': { content: 'QUJD=RE', at: 5 },
    '\\u escape': { content: 'QU\\u0041JD', at: 3, escaped: true },
    '\\" escape': { content: 'QU\\"JD', at: 3, escaped: true },
    'a slash after the padding': { content: 'QQ=\\/', at: 4, escaped: true },
    'a letter after the padding': { content: 'QUI=A', at: 4 },
    'a comma': { content: 'QU,JD', at: 2 },
  };

  it('decodes what fromBase64 decodes of the parsed string, split at every point (and every pair of points)', () => {
    for (const [name, content] of Object.entries(valid)) {
      const want = expected(content);
      assert.ok(want, `${name}: the oracle takes it as base64`);
      const n = content.length + 1;
      for (let a = 0; a <= n; a++) {
        for (let b = a; b <= n; b += content.length > 40 ? 7 : 1) {
          const got = decodeInPieces(content, [a, b]);
          assert.equal(got.stop, 'end', `${name}, cut at ${a}, ${b}`);
          assert.equal(got.at, content.length, `${name}: stops at the closing quote`);
          assert.deepEqual(got.bytes, want, `${name}, cut at ${a}, ${b}`);
        }
      }
    }
  });

  it('stops at what is not base64, at the byte that is not, wherever the pieces split', () => {
    for (const [name, { content, at, escaped }] of Object.entries(invalid)) {
      assert.equal(expected(content), undefined, `${name}: the oracle refuses it too`);
      for (let a = 0; a <= content.length + 1; a++) {
        const got = decodeInPieces(content, [a]);
        assert.equal(got.stop, 'bad', `${name}, cut at ${a}`);
        if (at !== undefined) assert.equal(got.at, at, `${name}: the byte that stopped it`);
        assert.equal(got.escaped, escaped ?? false, `${name}: a backslash before it`);
      }
    }
  });

  it('hands out a batch of LARGE_STRING characters as soon as it is full, however the pieces split', () => {
    const bytes = randomBytes((LARGE_STRING / 4) * 3 * 2 + 100);
    const content = bytes.toString('base64').replace(/\//g, '\\/');
    for (const cuts of [[], [1], [LARGE_STRING - 1, LARGE_STRING, LARGE_STRING + 1], [5000, 70_000, 140_000], [content.length]]) {
      const got = decodeInPieces(content, cuts);
      assert.equal(got.stop, 'end');
      assert.equal(sha(got.bytes!), sha(bytes), `cut at ${cuts.join(', ')}`);
    }
  });
});

describe('readJsonSettingAside: a large answer in pieces', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const spoolDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'esign-spool-'));
    dirs.push(d);
    return d;
  };
  const streamOf = (bytes: Uint8Array, cuts: number[], failAt?: number) => {
    const bounds = [0, ...cuts.filter((c) => c > 0 && c < bytes.byteLength), bytes.byteLength];
    let k = 1;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (failAt !== undefined && bounds[k - 1]! >= failAt) return controller.error(new Error('connection reset'));
        if (k < bounds.length) controller.enqueue(bytes.slice(bounds[k - 1], bounds[k++]));
        else controller.close();
      },
    });
  };
  /** A signed PDF as BSrE would answer it: incompressible bytes behind the PDF header, so that its base64 is long. */
  const pdf = (n: number) => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(n)]));
  const doc = pdf(60_000); // 80 012 base64 characters: one full batch and a part
  const base64 = Buffer.from(doc).toString('base64');
  const answers: Record<string, string> = {
    'as Java writes it': JSON.stringify({ time: 1520, file: [base64] }),
    'as PHP writes it (\\/)': JSON.stringify({ time: 1520, file: [base64] }).replace(/\//g, '\\/'),
    'with MIME line breaks': JSON.stringify({ time: 1520, file: [(base64.match(/.{1,76}/g) ?? []).join('\r\n')] }),
  };
  const documentOf = async (body: Uint8Array) => {
    const obj = jsonObject('bsre', 'test', body);
    const t = (obj.file as unknown[])[0];
    assert.ok(t instanceof Base64Text, 'the document is set aside');
    assert.equal(obj.time, 1520);
    return t;
  };

  it('gives the document, in memory or in a file, wherever the answer is split', async () => {
    for (const [name, text] of Object.entries(answers)) {
      const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
      const start = text.indexOf('["') + 2;
      const end = text.lastIndexOf('"]');
      // Every split around the string's start, its first full batch, its end; then pieces of every size.
      const points = [
        ...Array.from({ length: 40 }, (_, i) => start - 20 + i),
        ...Array.from({ length: 80 }, (_, i) => start + LARGE_STRING - 40 + i),
        ...Array.from({ length: 40 }, (_, i) => end - 20 + i),
      ];
      const splits = [
        ...points.map((p) => [p]),
        [1, 2, 3],
        ...[997, 4096, 65_536].map((size) => Array.from({ length: Math.ceil(bytes.byteLength / size) }, (_, i) => i * size)),
      ];
      for (const [k, cuts] of splits.entries()) {
        const spool = k % 3 === 0 ? new AnswerSpool(spoolDir()) : undefined;
        const body = await readJsonSettingAside(streamOf(bytes, cuts), k % 2 ? bytes.byteLength : undefined, spool);
        const t = await documentOf(body);
        if (spool) {
          const file = t.file!;
          assert.ok(file instanceof SpooledFile, `${name}: decoded into a file`);
          const written = readFileSync(file.path);
          assert.equal(sha(written), sha(doc), `${name}, cut at ${cuts.slice(0, 3).join(', ')}: the file holds the document`);
          assert.equal(file.sha256, sha(doc), 'hashed as it was written');
          assert.equal(file.size, doc.byteLength);
          assert.deepEqual(file.head, doc.subarray(0, 8));
          await spool.dispose();
          assert.deepEqual(readdirSync(spool.dir), [], 'dispose removes the spool files');
        } else {
          assert.equal(sha(fromBase64(t)), sha(doc), `${name}, cut at ${cuts.slice(0, 3).join(', ')}`);
        }
      }
    }
  });

  it('a truncated answer or one failing midway leaves no file behind; a cut answer is not JSON', async () => {
    const bytes = new Uint8Array(Buffer.from(answers['as Java writes it']!, 'latin1'));
    for (const cut of [30, 40_000, 70_000, bytes.byteLength - 3, bytes.byteLength - 1]) {
      const spool = new AnswerSpool(spoolDir());
      const body = await readJsonSettingAside(streamOf(bytes.slice(0, cut), [100, 65_000]), undefined, spool);
      assert.throws(() => jsonObject('bsre', 'test', body), /not JSON/, `cut at ${cut}`);
      // Only a document whose string was closed before the cut stays, in the spool, until it is disposed of.
      const whole = cut > bytes.lastIndexOf(0x22);
      assert.equal(readdirSync(spool.dir).length, whole ? 1 : 0, `cut at ${cut}: no file being written is left`);
      await spool.dispose();
      assert.deepEqual(readdirSync(spool.dir), []);
      const failing = spoolDir();
      await assert.rejects(readJsonSettingAside(streamOf(bytes, [100, 65_000, 70_000], cut), undefined, new AnswerSpool(failing)), /connection reset/);
      assert.deepEqual(readdirSync(failing), [], `failing at ${cut}: the file being written is removed`);
    }
  });

  it('a long string that is not base64 after all comes back as its text; a document that is not a PDF is refused', async () => {
    const dir = spoolDir();
    const broken = JSON.stringify({ time: 1520, file: [`${base64.slice(0, 70_000)}!${base64.slice(70_000)}`] });
    const body = await readJsonSettingAside(streamOf(new Uint8Array(Buffer.from(broken)), [66_000]), undefined, new AnswerSpool(dir));
    assert.equal((jsonObject('bsre', 'test', body).file as string[])[0], JSON.parse(broken).file[0]);
    assert.deepEqual(readdirSync(dir), [], 'nothing is left of the file it began to write');
    assert.throws(
      () => parseBsreV2SignResponse(200, new Headers({ 'content-type': 'application/json' }), body),
      (e: unknown) => e instanceof ProviderError && e.code === 'provider-bad-response' && /not base64/.test(e.message),
    );

    const spool = new AnswerSpool(spoolDir());
    const notPdf = JSON.stringify({ time: 1, file: [randomBytes(60_000).toString('base64')] });
    const answer = await readJsonSettingAside(streamOf(new Uint8Array(Buffer.from(notPdf)), []), undefined, spool);
    assert.throws(
      () => parseBsreV2SignResponse(200, new Headers({ 'content-type': 'application/json' }), answer),
      (e: unknown) => e instanceof ProviderError && e.code === 'provider-bad-response' && /not a PDF/.test(e.message),
    );
    await spool.dispose();
    assert.deepEqual(readdirSync(spool.dir), []);

    const good = await readJsonSettingAside(streamOf(new Uint8Array(Buffer.from(answers['as PHP writes it (\\/)']!)), []), undefined, spool);
    const { files } = parseBsreV2SignResponse(200, new Headers({ 'content-type': 'application/json' }), good);
    assert.ok(files[0] instanceof SpooledFile, 'the parser hands the file on, unread');
    assert.equal(sha(readFileSync(files[0].path)), sha(doc));
    await spool.dispose();
  });
});
