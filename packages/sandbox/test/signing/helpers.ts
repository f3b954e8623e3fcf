// Test helpers for the sandbox signing engine: poppler's pdfsig and pdftoppm as independent judges, an NSS db
// that trusts the sandbox root, a tiny PNG writer for solid specimen images, and signature extraction.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';

const run = promisify(execFile);

export interface PdfsigSignature {
  index: number;
  fieldName: string;
  commonName: string;
  subFilter: string;
  /** The "Signature Validation:" text, e.g. "Signature is Valid." or "Digest Mismatch." */
  validation: string;
  /** The "Certificate Validation:" text, e.g. "Certificate is Trusted." */
  certificate: string;
  /** "Total document signed" (true) or "Not total document signed" (false). */
  total: boolean;
}

export interface PdfsigReport {
  signatures: PdfsigSignature[];
  stdout: string;
}

/** Runs `pdfsig` (poppler) on a file, with `nssDir` as its certificate store when given, and parses what it prints. */
export async function verifyWithPdfsig(pdfPath: string, nssDir?: string): Promise<PdfsigReport> {
  const args = nssDir ? ['-nssdir', `sql:${nssDir}`, pdfPath] : [pdfPath];
  let stdout: string;
  try {
    ({ stdout } = await run('pdfsig', args, { encoding: 'utf8' }));
  } catch (err) {
    // pdfsig exits non-zero when a signature does not validate; its report is still on stdout.
    const failed = err as { stdout?: string; stderr?: string };
    if (typeof failed.stdout !== 'string' || !failed.stdout.includes('Signature #')) throw err;
    stdout = failed.stdout;
  }
  const signatures: PdfsigSignature[] = [];
  for (const block of stdout.split(/^Signature #/m).slice(1)) {
    const field = (label: string) => new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
    signatures.push({
      index: Number(/^(\d+):/.exec(block)?.[1]),
      fieldName: field('Signature Field Name'),
      commonName: field('Signer Certificate Common Name'),
      subFilter: field('Signature Type'),
      validation: field('Signature Validation'),
      certificate: field('Certificate Validation'),
      total: /^\s*- Total document signed$/m.test(block),
    });
  }
  return { signatures, stdout };
}

/** Creates an NSS db in `dir` that trusts `rootPem` for signing (`CT,C,C`); returns `dir`. */
export async function createTrustedNssDb(dir: string, rootPem: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await run('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`]);
  const pemPath = join(dir, 'sandbox-root.pem');
  writeFileSync(pemPath, rootPem);
  await run('certutil', ['-A', '-n', 'esign-kit sandbox root', '-t', 'CT,C,C', '-i', pemPath, '-d', `sql:${dir}`]);
  return dir;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export type Rgb = readonly [number, number, number];

/** An RGB PNG of `width × height` whose pixel colours come from `colourAt(x, y)` (y from the top). */
export function pngImage(width: number, height: number, colourAt: (x: number, y: number) => Rgb): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colourAt(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

export interface RgbImage {
  width: number;
  height: number;
  /** RGB triplets, row by row from the top. */
  data: Uint8Array;
}

/** Renders one page with poppler at 72 dpi, clipped to the CropBox: one pixel per point, as a person sees it. */
export async function renderPage(pdfPath: string, page: number, workDir: string): Promise<RgbImage> {
  const prefix = join(workDir, `render-${page}-${Date.now()}`);
  await run('pdftoppm', ['-r', '72', '-cropbox', '-f', String(page), '-l', String(page), '-singlefile', pdfPath, prefix]);
  const file = readFileSync(`${prefix}.ppm`);
  rmSync(`${prefix}.ppm`, { force: true });
  // P6 header: "P6\n<width> <height>\n<maxval>\n" then binary RGB.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(file.subarray(0, 64).toString('latin1'));
  if (!header?.[0]) throw new Error('pdftoppm did not write a P6 image');
  return { width: Number(header[1]), height: Number(header[2]), data: file.subarray(header[0].length) };
}

export interface PixelBounds {
  left: number;
  top: number;
  /** Exclusive. */
  right: number;
  bottom: number;
  count: number;
}

/**
 * The bounding rectangle of the pixels close to `colour` (each channel within `tolerance`), optionally only
 * among the pixels of `region` (`[left, top, right, bottom)`, pixels).
 */
export function colourBounds(
  image: RgbImage,
  colour: Rgb,
  tolerance = 40,
  region: readonly [number, number, number, number] = [0, 0, image.width, image.height],
): PixelBounds | undefined {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  let count = 0;
  const [x0, y0, x1, y1] = region.map(Math.round) as [number, number, number, number];
  for (let y = Math.max(0, y0); y < Math.min(image.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(image.width, x1); x++) {
      const i = (y * image.width + x) * 3;
      if (
        Math.abs((image.data[i] as number) - colour[0]) <= tolerance &&
        Math.abs((image.data[i + 1] as number) - colour[1]) <= tolerance &&
        Math.abs((image.data[i + 2] as number) - colour[2]) <= tolerance
      ) {
        count++;
        left = Math.min(left, x);
        top = Math.min(top, y);
        right = Math.max(right, x + 1);
        bottom = Math.max(bottom, y + 1);
      }
    }
  }
  return count ? { left, top, right, bottom, count } : undefined;
}

/** The CMS (DER, trailing zero padding included) of every signature, in file order, with its byte range. */
export function extractSignatures(
  pdf: Uint8Array,
): { byteRange: [number, number, number, number]; cms: Uint8Array<ArrayBuffer>; signedBytes: Uint8Array<ArrayBuffer> }[] {
  const text = Buffer.from(pdf).toString('latin1');
  const result = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    const hex = text.slice(b + 1, c - 1);
    result.push({
      byteRange: [a, b, c, d] as [number, number, number, number],
      cms: new Uint8Array(Buffer.from(hex, 'hex')),
      signedBytes: new Uint8Array(Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)])),
    });
  }
  return result;
}
