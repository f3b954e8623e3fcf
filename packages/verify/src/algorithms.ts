// Digests and signature checks for every algorithm a PDF signature, certificate, CRL, OCSP response or timestamp
// may name. WebCrypto does the work wherever it can (SHA-1/2, RSA PKCS#1 v1.5, RSA-PSS, ECDSA on P-256/384/521,
// Ed25519, and Ed448 where the platform has it); SHA-3 and SHAKE digests come from @noble/hashes (WebCrypto has
// none). An algorithm neither offers (DSA, GOST, brainpool curves, RSA or ECDSA over SHA-3, RSA-PSS whose MGF hash
// differs from its message hash…) is 'unsupported': "cannot be checked", never "invalid".
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128, shake256 } from '@noble/hashes/sha3.js';
import { parseDer } from './der.js';

/** Digest algorithm names: WebCrypto's for SHA-1/2, and the SHA-3 family computed with @noble/hashes. */
export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-224' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512' | 'SHAKE128' | 'SHAKE256';

/** Digest algorithm OIDs (RFC 3370, RFC 5754, RFC 8702 for SHA-3 and SHAKE in CMS). */
const DIGESTS: Record<string, DigestName> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
  '2.16.840.1.101.3.4.2.7': 'SHA3-224',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
  '2.16.840.1.101.3.4.2.11': 'SHAKE128',
  '2.16.840.1.101.3.4.2.12': 'SHAKE256',
  // id-shake128-len / id-shake256-len (RFC 8419 §2.1.1): the output length is a parameter, checked below.
  '2.16.840.1.101.3.4.2.17': 'SHAKE128',
  '2.16.840.1.101.3.4.2.18': 'SHAKE256',
};

const WEBCRYPTO_DIGESTS = new Set<DigestName>(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

/**
 * Signature algorithm OIDs: what they sign with and over which hash. `hash: undefined` means the hash comes from
 * elsewhere (rsaEncryption and id-ecPublicKey name none: the CMS digest algorithm gives it); `hash: null` means
 * none is applied (pure EdDSA signs the message itself).
 */
interface SignatureAlgorithm {
  name: string;
  family: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'ed448' | 'unsupported';
  hash: DigestName | undefined | null;
}
const SIGNATURES: Record<string, SignatureAlgorithm> = {
  '1.2.840.113549.1.1.1': { name: 'RSA', family: 'rsa', hash: undefined },
  '1.2.840.113549.1.1.4': { name: 'RSA-MD5', family: 'unsupported', hash: undefined },
  '1.2.840.113549.1.1.5': { name: 'RSA-SHA1', family: 'rsa', hash: 'SHA-1' },
  '1.3.14.3.2.29': { name: 'RSA-SHA1', family: 'rsa', hash: 'SHA-1' },
  '1.2.840.113549.1.1.10': { name: 'RSA-PSS', family: 'rsa-pss', hash: undefined },
  '1.2.840.113549.1.1.11': { name: 'RSA-SHA256', family: 'rsa', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'RSA-SHA384', family: 'rsa', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'RSA-SHA512', family: 'rsa', hash: 'SHA-512' },
  '1.2.840.113549.1.1.14': { name: 'RSA-SHA224', family: 'unsupported', hash: undefined },
  '2.16.840.1.101.3.4.3.13': { name: 'RSA-SHA3-224', family: 'unsupported', hash: 'SHA3-224' },
  '2.16.840.1.101.3.4.3.14': { name: 'RSA-SHA3-256', family: 'unsupported', hash: 'SHA3-256' },
  '2.16.840.1.101.3.4.3.15': { name: 'RSA-SHA3-384', family: 'unsupported', hash: 'SHA3-384' },
  '2.16.840.1.101.3.4.3.16': { name: 'RSA-SHA3-512', family: 'unsupported', hash: 'SHA3-512' },
  '1.2.840.10045.2.1': { name: 'ECDSA', family: 'ecdsa', hash: undefined },
  '1.2.840.10045.4.1': { name: 'ECDSA-SHA1', family: 'ecdsa', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ECDSA-SHA224', family: 'unsupported', hash: undefined },
  '1.2.840.10045.4.3.2': { name: 'ECDSA-SHA256', family: 'ecdsa', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA-SHA384', family: 'ecdsa', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA-SHA512', family: 'ecdsa', hash: 'SHA-512' },
  '2.16.840.1.101.3.4.3.9': { name: 'ECDSA-SHA3-224', family: 'unsupported', hash: 'SHA3-224' },
  '2.16.840.1.101.3.4.3.10': { name: 'ECDSA-SHA3-256', family: 'unsupported', hash: 'SHA3-256' },
  '2.16.840.1.101.3.4.3.11': { name: 'ECDSA-SHA3-384', family: 'unsupported', hash: 'SHA3-384' },
  '2.16.840.1.101.3.4.3.12': { name: 'ECDSA-SHA3-512', family: 'unsupported', hash: 'SHA3-512' },
  '1.3.101.112': { name: 'Ed25519', family: 'ed25519', hash: null },
  '1.3.101.113': { name: 'Ed448', family: 'ed448', hash: null },
  '1.2.840.10040.4.1': { name: 'DSA', family: 'unsupported', hash: undefined },
  '1.2.840.10040.4.3': { name: 'DSA-SHA1', family: 'unsupported', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.1': { name: 'DSA-SHA224', family: 'unsupported', hash: undefined },
  '2.16.840.1.101.3.4.3.2': { name: 'DSA-SHA256', family: 'unsupported', hash: 'SHA-256' },
  '1.2.643.2.2.3': { name: 'GOST R 34.10-2001', family: 'unsupported', hash: undefined },
  '1.2.643.7.1.1.3.2': { name: 'GOST R 34.10-2012 (256)', family: 'unsupported', hash: undefined },
  '1.2.643.7.1.1.3.3': { name: 'GOST R 34.10-2012 (512)', family: 'unsupported', hash: undefined },
  '1.2.156.10197.1.501': { name: 'SM2-SM3', family: 'unsupported', hash: undefined },
};

/** The named curves WebCrypto offers (SEC 2 / RFC 5480 OIDs); brainpool and others are not among them. */
const CURVES: Record<string, { name: 'P-256' | 'P-384' | 'P-521'; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};
const CURVE_NAMES: Record<string, string> = {
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
  '1.3.132.0.10': 'secp256k1',
  '1.2.156.10197.1.301': 'SM2',
};

export const digestName = (oid: string): DigestName | undefined => DIGESTS[oid];

/**
 * The digest algorithm an AlgorithmIdentifier names. Lenient as poppler and Acrobat are: a signature algorithm
 * OID given as the digest algorithm (sha256WithRSAEncryption instead of sha256) names its hash.
 */
export function digestOf(algorithm: pkijs.AlgorithmIdentifier): DigestName | undefined {
  const oid = algorithm.algorithmId;
  const direct = DIGESTS[oid];
  if (direct) {
    if (oid.endsWith('.17') || oid.endsWith('.18')) {
      // id-shakeNNN-len carries its output length in bits; only the standard lengths are accepted.
      const bits = (algorithm.algorithmParams as asn1js.Integer | undefined)?.valueBlock?.valueDec;
      if (bits !== (direct === 'SHAKE128' ? 256 : 512)) return undefined;
    }
    return direct;
  }
  const hash = SIGNATURES[oid]?.hash;
  return hash ?? undefined;
}

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURES[oid]?.name ?? oid;
}

/** A digest algorithm that can be computed here (WebCrypto or @noble/hashes). */
export function isDigestSupported(name: DigestName): boolean {
  return WEBCRYPTO_DIGESTS.has(name) || name.startsWith('SHA3-') || name.startsWith('SHAKE');
}

/** An incremental hash of the SHA-3 family (WebCrypto's digests are one-shot). */
export function noblehash(name: DigestName): { update(data: Uint8Array): unknown; digest(): Uint8Array } {
  switch (name) {
    case 'SHA3-224':
      return sha3_224.create();
    case 'SHA3-256':
      return sha3_256.create();
    case 'SHA3-384':
      return sha3_384.create();
    case 'SHA3-512':
      return sha3_512.create();
    // RFC 8702 §3.1: SHAKE128 gives 256 bits and SHAKE256 512 bits when used as a CMS digest algorithm.
    case 'SHAKE128':
      return shake128.create({ dkLen: 32 });
    case 'SHAKE256':
      return shake256.create({ dkLen: 64 });
    default:
      throw new Error(`${name} is computed with WebCrypto`);
  }
}

export function isWebCryptoDigest(name: DigestName): boolean {
  return WEBCRYPTO_DIGESTS.has(name);
}

/**
 * Up to this size a SHA-1/2 digest is computed in place (@noble/hashes, a few microseconds for a certificate)
 * rather than by WebCrypto, whose every call is a round trip through a worker thread and the event loop: an
 * inspection asks for dozens of small digests (fingerprints, OCSP CertIDs, message digests of attributes and
 * tokens), one after another, and on a busy machine each round trip waits for a thread.
 */
const IN_PLACE_DIGEST_BYTES = 64 * 1024;

/** SHA-1/2 of a small input, computed synchronously (see IN_PLACE_DIGEST_BYTES). */
export function smallDigest(name: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512', data: Uint8Array): Uint8Array {
  switch (name) {
    case 'SHA-1':
      return sha1(data);
    case 'SHA-256':
      return sha256(data);
    case 'SHA-384':
      return sha384(data);
    case 'SHA-512':
      return sha512(data);
  }
}

/** One-shot digest of `data`. */
export async function digest(name: DigestName, data: Uint8Array): Promise<Uint8Array> {
  if (WEBCRYPTO_DIGESTS.has(name) && data.length <= IN_PLACE_DIGEST_BYTES) return smallDigest(name as Parameters<typeof smallDigest>[0], data);
  if (WEBCRYPTO_DIGESTS.has(name)) return new Uint8Array(await globalThis.crypto.subtle.digest(name, data as Uint8Array<ArrayBuffer>));
  const h = noblehash(name);
  h.update(data);
  return h.digest();
}

export type CheckResult = 'valid' | 'invalid' | 'unsupported';

export interface SignatureCheck {
  result: CheckResult;
  /** The algorithm as people name it (`RSA-SHA256`, `ECDSA-SHA384 (P-384)`, `Ed25519`…). */
  algorithm: string;
  /** Why it cannot be checked, when `result` is 'unsupported'. */
  unsupported?: string;
}

const unsupported = (algorithm: string, why: string): SignatureCheck => ({ result: 'unsupported', algorithm, unsupported: why });

function bytesOf(view: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  const b = view instanceof Uint8Array ? view : new Uint8Array(view);
  return new Uint8Array(b) as Uint8Array<ArrayBuffer>;
}

/** The DER of a SubjectPublicKeyInfo (kept as read when pkijs parsed it, else re-encoded). */
function spkiDer(spki: pkijs.PublicKeyInfo): Uint8Array<ArrayBuffer> {
  return bytesOf(spki.toSchema().toBER(false));
}

/** An RSA-PSS key (id-RSASSA-PSS SPKI) re-labelled rsaEncryption: WebCrypto (Chromium) imports only the latter. */
function rsaEncryptionSpki(spki: pkijs.PublicKeyInfo): Uint8Array<ArrayBuffer> {
  if (spki.algorithm.algorithmId === '1.2.840.113549.1.1.1') return spkiDer(spki);
  const relabelled = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.1', algorithmParams: new asn1js.Null() }),
    subjectPublicKey: spki.subjectPublicKey,
  });
  return bytesOf(relabelled.toSchema().toBER(false));
}

/** An ECDSA signature as DER SEQUENCE { r, s } → the fixed-size r‖s WebCrypto verifies. */
function ecdsaRaw(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | undefined {
  const parsed = parseDer(der);
  if (!parsed || !(parsed instanceof asn1js.Sequence)) return undefined;
  const [r, s] = parsed.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer) || parsed.valueBlock.value.length !== 2) return undefined;
  const out = new Uint8Array(size * 2);
  for (const [i, n] of [r, s].entries()) {
    let v = n.valueBlock.valueHexView;
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if (v.length > size) return undefined;
    out.set(v, i * size + size - v.length);
  }
  return out;
}

/** The RSASSA-PSS parameters (RFC 4055 §3.1), or why WebCrypto cannot check them. */
function pssParameters(params: unknown): { hash: DigestName; saltLength: number } | string {
  let p: pkijs.RSASSAPSSParams;
  try {
    p = params instanceof asn1js.Sequence ? new pkijs.RSASSAPSSParams({ schema: params }) : new pkijs.RSASSAPSSParams();
  } catch {
    return 'malformed RSASSA-PSS parameters';
  }
  const hash = DIGESTS[p.hashAlgorithm.algorithmId];
  if (!hash || !WEBCRYPTO_DIGESTS.has(hash)) return `RSA-PSS over ${hash ?? p.hashAlgorithm.algorithmId}`;
  if (p.maskGenAlgorithm.algorithmId !== '1.2.840.113549.1.1.8') return 'RSA-PSS with a mask generation function other than MGF1';
  let mgfHash: string | undefined;
  try {
    mgfHash = DIGESTS[new pkijs.AlgorithmIdentifier({ schema: p.maskGenAlgorithm.algorithmParams }).algorithmId];
  } catch {
    mgfHash = undefined;
  }
  if (mgfHash !== hash) return `RSA-PSS whose MGF1 hash (${mgfHash ?? 'unknown'}) differs from its message hash (${hash})`;
  if ((p.trailerField ?? 1) !== 1) return 'RSA-PSS with a trailer field other than 1';
  return { hash, saltLength: p.saltLength };
}

/**
 * Verifies `signature` over `data` with the key in `spki`, as `algorithm` says. `fallbackHash` is the hash for
 * algorithms that name none (rsaEncryption, id-ecPublicKey: the CMS digest algorithm). Never throws.
 */
export async function verifySignature(
  spki: pkijs.PublicKeyInfo,
  algorithm: pkijs.AlgorithmIdentifier,
  data: Uint8Array,
  signature: Uint8Array,
  fallbackHash?: DigestName,
): Promise<SignatureCheck> {
  const known = SIGNATURES[algorithm.algorithmId];
  if (!known) return unsupported(algorithm.algorithmId, `the signature algorithm ${algorithm.algorithmId} is not known here`);
  const subtle = globalThis.crypto.subtle;
  const message = bytesOf(data);
  const value = bytesOf(signature);
  const keyAlgorithm = spki.algorithm.algorithmId;
  try {
    switch (known.family) {
      case 'unsupported':
        return unsupported(known.name, `${known.name} cannot be checked with WebCrypto`);
      case 'rsa': {
        const hash = known.hash ?? fallbackHash;
        if (!hash || !WEBCRYPTO_DIGESTS.has(hash)) return unsupported(known.name, `RSA over ${hash ?? 'an unknown hash'}`);
        if (keyAlgorithm !== '1.2.840.113549.1.1.1' && keyAlgorithm !== '1.2.840.113549.1.1.10') return { result: 'invalid', algorithm: known.name };
        const name = known.hash ? known.name : `RSA-${hash.replace('-', '')}`;
        const key = await subtle.importKey('spki', rsaEncryptionSpki(spki), { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
        return { result: (await subtle.verify('RSASSA-PKCS1-v1_5', key, value, message)) ? 'valid' : 'invalid', algorithm: name };
      }
      case 'rsa-pss': {
        const p = pssParameters(algorithm.algorithmParams);
        if (typeof p === 'string') return unsupported('RSA-PSS', p);
        if (keyAlgorithm !== '1.2.840.113549.1.1.1' && keyAlgorithm !== '1.2.840.113549.1.1.10') return { result: 'invalid', algorithm: 'RSA-PSS' };
        const key = await subtle.importKey('spki', rsaEncryptionSpki(spki), { name: 'RSA-PSS', hash: p.hash }, false, ['verify']);
        const ok = await subtle.verify({ name: 'RSA-PSS', saltLength: p.saltLength }, key, value, message);
        return { result: ok ? 'valid' : 'invalid', algorithm: `RSA-PSS-${p.hash.replace('-', '')}` };
      }
      case 'ecdsa': {
        const hash = known.hash ?? fallbackHash;
        const curveOid = (spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.() ?? '';
        const curve = CURVES[curveOid];
        const label = `${known.hash ? known.name : `ECDSA-${(hash ?? '?').replace('-', '')}`}`;
        if (keyAlgorithm !== '1.2.840.10045.2.1') return { result: 'invalid', algorithm: label };
        if (!curve) return unsupported(label, `ECDSA on ${CURVE_NAMES[curveOid] ?? curveOid} cannot be checked with WebCrypto`);
        if (!hash || !WEBCRYPTO_DIGESTS.has(hash)) return unsupported(label, `ECDSA over ${hash ?? 'an unknown hash'}`);
        const raw = ecdsaRaw(value, curve.size);
        if (!raw) return { result: 'invalid', algorithm: `${label} (${curve.name})` };
        const key = await subtle.importKey('spki', spkiDer(spki), { name: 'ECDSA', namedCurve: curve.name }, false, ['verify']);
        const ok = await subtle.verify({ name: 'ECDSA', hash }, key, raw, message);
        return { result: ok ? 'valid' : 'invalid', algorithm: `${label} (${curve.name})` };
      }
      case 'ed25519':
      case 'ed448': {
        const name = known.family === 'ed25519' ? 'Ed25519' : 'Ed448';
        if (keyAlgorithm !== algorithm.algorithmId) return { result: 'invalid', algorithm: name };
        let key: CryptoKey;
        try {
          key = await subtle.importKey('spki', spkiDer(spki), { name }, false, ['verify']);
        } catch (err) {
          // Browsers without Ed448 (or an old one without Ed25519) say NotSupportedError: not checkable here.
          if ((err as Error)?.name === 'NotSupportedError' || /not supported|unrecognized|unknown/i.test(String((err as Error)?.message))) {
            return unsupported(name, `${name} is not available in this platform's WebCrypto`);
          }
          return { result: 'invalid', algorithm: name };
        }
        return { result: (await subtle.verify({ name }, key, value, message)) ? 'valid' : 'invalid', algorithm: name };
      }
    }
  } catch (err) {
    // A key WebCrypto refuses to import is a broken key (or one it cannot use at all).
    if ((err as Error)?.name === 'NotSupportedError') return unsupported(known.name, String((err as Error).message));
    return { result: 'invalid', algorithm: known.name };
  }
}
