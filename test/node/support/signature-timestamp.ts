// An RFC 3161 signature timestamp added to a signed PDF's CMS (its unsigned attributes) in the same /Contents hole,
// made with pkijs by any key and certificate the test gives: a real TSA's, or a certificate that is not a TSA's.
import assert from 'node:assert/strict';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** The byte range and /Contents hole of every signature, in file order. */
export function holes(pdf: Uint8Array): { byteRange: number[]; hexStart: number; hexEnd: number }[] {
  return [...latin1(pdf).matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].map((m) => {
    const byteRange = [m[1], m[2], m[3], m[4]].map(Number);
    return { byteRange, hexStart: byteRange[1]! + 1, hexEnd: byteRange[2]! - 1 };
  });
}

/**
 * Adds an RFC 3161 signature timestamp (unsigned attribute) made by `tsa` to the first signature's CMS and
 * writes it back into the same /Contents hole: the signed bytes do not change.
 */
export async function addTimestamp(pdf: Uint8Array, tsa: { certificatePem: string; privateKeyPem: string }, genTime: Date): Promise<Uint8Array> {
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: globalThis.crypto });
  const [hole] = holes(pdf);
  assert.ok(hole);
  const der = Buffer.from(latin1(pdf.subarray(hole.hexStart, hole.hexEnd)), 'hex');
  const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  const signerInfo = signedData.signerInfos[0]!;
  const imprint = await crypto.subtle.digest('SHA-256', signerInfo.signature.valueBlock.valueHexView as Uint8Array<ArrayBuffer>);
  const tstInfo = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.99999.1',
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    serialNumber: new asn1js.Integer({ value: 7 }),
    genTime,
  });
  const tstDer = tstInfo.toSchema().toBER(false);
  const tsaCert = pkijs.Certificate.fromBER(new Uint8Array(Buffer.from(tsa.certificatePem.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
  const token = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.9.16.1.4', eContent: new asn1js.OctetString({ valueHex: tstDer }) }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: tsaCert.issuer, serialNumber: tsaCert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.16.1.4' })] }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.4',
              values: [new asn1js.OctetString({ valueHex: await crypto.subtle.digest('SHA-256', tstDer) })],
            }),
          ],
        }),
      }),
    ],
    certificates: [tsaCert],
  });
  const key = await crypto.subtle.importKey(
    'pkcs8',
    new Uint8Array(Buffer.from(tsa.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  await token.sign(key, 0, 'SHA-256', undefined, engine);
  const tokenInfo = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: token.toSchema(true) });
  signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [new pkijs.Attribute({ type: '1.2.840.113549.1.9.16.2.14', values: [tokenInfo.toSchema()] })],
  });
  const rewritten = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) });
  const hex = Buffer.from(rewritten.toSchema().toBER(false)).toString('hex');
  assert.ok(hex.length <= hole.hexEnd - hole.hexStart, 'the timestamped CMS fits in the hole');
  const out = new Uint8Array(pdf);
  out.set(Buffer.from(hex.padEnd(hole.hexEnd - hole.hexStart, '0'), 'latin1'), hole.hexStart);
  return out;
}
