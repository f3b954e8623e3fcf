// <esign-verify> in English: statuses, the plain-language reason for each verdict and finding, and the sentences
// describing a disagreement with the provider. Pure data (and the functions that word a number or a finding).
import type { VerifyStrings } from './strings-types.js';

const problems: VerifyStrings['problem'] = {
  SIGNATURE_DICTIONARY_MISSING: 'The signature’s data is missing from the file.',
  BYTE_RANGE_INVALID: 'The record of which bytes the signature covers is damaged, so the signature cannot be checked.',
  BYTE_RANGE_NOT_CONTENTS: 'The signature does not cover the document the way a PDF signature must.',
  RANGE_NOT_REVISION_END: 'The signature stops before the end of the version it signs: part of what it claims to sign is not signed.',
  CONTENTS_MISSING: 'The signature value is missing.',
  CMS_UNPARSABLE: 'The signature cannot be read: it is damaged or in an unknown format.',
  CMS_NOT_SIGNED_DATA: 'The signature cannot be read: it is damaged or in an unknown format.',
  CMS_NO_SIGNER: 'The signature names no signer.',
  SIGNER_CERTIFICATE_MISSING: 'The signer’s certificate is not included in the signature.',
  UNSUPPORTED_DIGEST_ALGORITHM: 'The signature uses a hash algorithm this check does not support: it cannot be checked here.',
  ALGORITHM_UNSUPPORTED: 'The signature uses an algorithm this browser cannot check: it is neither confirmed nor refuted.',
  MESSAGE_DIGEST_MISSING: 'The signature does not record what it signed.',
  DIGEST_MISMATCH: 'The document was changed after it was signed.',
  SIGNATURE_INVALID: 'The signature value does not match the signer’s certificate: it was forged or damaged.',
  MODIFIED_AFTER_SIGNING: 'The document was changed after it was signed, in a way the signature does not allow; the signed version itself is intact.',
  NOT_TOTAL_DOCUMENT: 'The signature does not cover the whole file (later additions are listed under changes).',
  TIMESTAMP_INVALID: 'The timestamp attached to the signature is not valid.',
  CHANGES_NOT_CHECKED: 'The changes made after signing are too complex to examine here.',
  SIGNATURE_UNREADABLE: 'The signature cannot be read: it is damaged or in an unknown format.',
  CHAIN_TO_TRUSTED_ROOT: 'The certificate comes from a trusted authority.',
  NO_TRUSTED_ROOTS: 'No trusted root certificates were given, so no certificate can be trusted.',
  ROOT_NOT_TRUSTED: 'The authority that issued the certificate is not in the trusted list.',
  CHAIN_INCOMPLETE: 'The chain from the certificate to a trusted authority is incomplete.',
  CHAIN_SIGNATURE_INVALID: 'A certificate in the chain is not validly signed by its issuer.',
  CHAIN_ALGORITHM_UNSUPPORTED: 'A certificate in the chain uses an algorithm this browser cannot check.',
  CERTIFICATE_EXPIRED: 'A certificate in the chain has expired.',
  CERTIFICATE_REVOKED: 'A certificate in the chain was revoked, according to the revocation data in the document.',
  CERTIFICATE_NOT_YET_VALID: 'A certificate in the chain is not valid yet.',
  KEY_USAGE_NOT_SIGNING: 'The signer’s certificate is not meant for signing documents.',
  NOT_CHECKED: 'The certificate could not be checked.',
};

export const en: VerifyStrings = {
  badge: {
    valid: 'Valid',
    'valid-untrusted': 'Valid but untrusted',
    'modified-after-signing': 'Modified after signing',
    invalid: 'Invalid',
    unknown: 'Cannot be checked',
    'no-signature': 'No signature',
  },
  word: {
    valid: 'valid',
    'valid-untrusted': 'valid but untrusted',
    'modified-after-signing': 'modified after signing',
    invalid: 'invalid',
    'no-signature': 'not signed',
    unknown: 'undetermined',
  },
  verdictReason: {
    valid: 'The signature is valid and the certificate comes from a trusted authority.',
    'valid-untrusted': 'The signature is intact, but the certificate is not from a trusted authority.',
    'modified-after-signing': problems.MODIFIED_AFTER_SIGNING,
    invalid: 'The signature is not valid.',
    unknown: 'This signature cannot be checked here: nothing is claimed about it, either way.',
  },
  headline: (c, n) => {
    const all = n === 1 ? 'The signature' : `All ${n} signatures`;
    switch (c) {
      case 'valid':
        return n === 1 ? 'The signature is valid.' : `${all} are valid.`;
      case 'valid-untrusted':
        return n === 1
          ? 'The signature is intact, but its certificate is not from a trusted authority.'
          : 'The signatures are intact, but not every certificate is from a trusted authority.';
      case 'modified-after-signing':
        return 'The document was changed after it was signed; the signed version is intact.';
      case 'invalid':
        return n === 1 ? 'The signature is not valid.' : 'At least one signature is not valid.';
      case 'unknown':
        return n === 1 ? 'The signature cannot be checked here.' : 'At least one signature cannot be checked here.';
      case 'no-signature':
        return 'This PDF is not signed.';
    }
  },
  problem: problems,
  change: {
    signature: 'a signature',
    'signature-field': 'a signature field',
    form: 'the form',
    'form-field': 'a form field',
    annotation: 'an annotation (comment, drawing, link…)',
    page: 'page properties',
    'page-content': 'page content',
    appearance: 'an appearance',
    catalog: 'the document catalogue',
    metadata: 'metadata',
    other: 'other objects',
    unreadable: 'parts that cannot be read',
    'trailing-bytes': 'bytes after the end of the file',
    'document-timestamp': 'a document timestamp',
    dss: 'long-term validation data (certificates, revocation data)',
  },
  action: { added: 'added', changed: 'changed', removed: 'removed' },
  changesAfter: (kinds) => `Added, changed or removed after signing: ${kinds}.`,
  documentTimestamp: (tsa) => `Document timestamp by ${tsa}`,
  level: (level) => `PAdES ${level}`,
  levelMeaning: {
    'B-B': 'a basic signature: no timestamp proves when it was made',
    'B-T': 'a timestamp proves when it was made',
    'B-LT': 'timestamped, and the document holds the certificates and revocation data to check it later',
    'B-LTA': 'timestamped, with validation data, and a document timestamp protects them for the long term',
  },
  longTerm: (yes, missing) => (yes ? 'Stays verifiable after its certificates expire.' : `Will not stay verifiable once its certificates expire (${missing}).`),
  missing: { timestamp: 'no timestamp', chain: 'incomplete certificate chain', 'revocation-data': 'revocation data missing' },
  checkedAt: (time, source) =>
    source === 'now'
      ? `Certificates checked now (${time}).`
      : source === 'option'
        ? `Certificates checked at ${time}, as requested.`
        : `Certificates checked at ${time}, the time a ${source === 'signature-timestamp' ? 'signature' : 'document'} timestamp proves.`,
  revocation: { good: 'not revoked', revoked: 'revoked', unknown: 'revocation status unknown', 'trust-anchor': 'root' },
  revocationSource: (via, source) =>
    `${via === 'ocsp' ? 'OCSP response' : 'CRL'} ${source === 'dss' ? 'in the document security store' : source === 'adobe-archival' ? 'archived in the signature' : 'in the signature'}`,
  fact: {
    integrity: 'they disagree on whether the signed content is intact',
    trust: 'they disagree on whether the certificate is trusted',
    'changes-after-signing': 'the provider does not report the changes made after signing',
  },
  disagreement: (d, p) => {
    switch (d.kind) {
      case 'verdict': {
        const facts = d.facts.map((f) => en.fact[f]).join('; ');
        return `${en.signatureName(d.index, d.field)}: ${p} says ${en.word[d.provider]}, the local check says ${en.word[d.local]}${facts ? ` (${facts})` : ''}.`;
      }
      case 'signer':
        return `${en.signatureName(d.index, d.field)}: ${p} names the signer “${d.provider}”, the local check “${d.local}”.`;
      case 'conclusion':
        return `${p} says the document is ${en.word[d.provider]}, the local check says it is ${en.word[d.local]}.`;
      case 'count':
        return `${p} counts ${d.provider} signature${d.provider === 1 ? '' : 's'}, the local check ${d.local}.`;
      case 'unmatched':
        return d.side === 'local'
          ? `${en.signatureName(d.index, d.field ?? '')} is missing from ${p}’s answer.`
          : `${p} lists a signature the local check did not find${d.field || d.signer ? ` (${[d.field, d.signer].filter(Boolean).join(', ')})` : ''}.`;
    }
  },
  errors: {
    'not-a-pdf': 'This file is not a PDF.',
    truncated: 'This PDF is incomplete (cut short): download or copy it again.',
    damaged: 'This PDF is damaged and cannot be read.',
    'invalid-input': 'Give a PDF file (a File, Blob, ArrayBuffer or Uint8Array).',
    'password-required': 'This PDF is protected with a password. Enter it to check the signatures.',
    'password-incorrect': 'The password is not correct.',
    'encryption-unsupported': 'This PDF is encrypted with a method this check does not support.',
    'too-complex': 'This PDF is too complex to check here (it may have been made to exhaust the checker).',
    'invalid-trusted-roots': 'A trusted root certificate given to the element is not a certificate.',
    'inspect-failed': 'The signatures could not be checked.',
    'http-error': 'The file could not be loaded.',
    'network-error': 'The server could not be reached.',
    'provider-error': 'The provider could not verify the document.',
    'provider-not-configured': 'No verification provider is configured on the server.',
  },
  httpStatus: (s) => `(HTTP ${s})`,
  dropzone: 'Drop a signed PDF here, or choose a file',
  choose: 'Choose a PDF',
  checking: 'Checking the signatures…',
  asking: (p) => `Asking ${p}…`,
  agrees: (p, w) => `${p} agrees: ${w}.`,
  disagrees: (p, w) => `${p} says ${w}, and disagrees with the local check:`,
  providerSays: (p, w) => `${p}: ${w}`,
  providerFailed: (p) => `${p} could not be asked:`,
  providerNotes: (p) => `${p}’s notes`,
  localOnly: 'Checked in this browser only.',
  notUploaded: 'The file was not uploaded.',
  trustList: (n, source) =>
    source === 'none'
      ? 'Trusted roots: none, so no certificate can be trusted.'
      : `Trusted roots: ${n} (${source === 'server' ? 'from the server' : 'given by the page'}).`,
  trustListFailed: 'The trusted roots could not be loaded from the server: certificates are shown as untrusted.',
  signatureName: (i, field) => `Signature ${i + 1}${field ? ` (${field})` : ''}`,
  unknownSigner: 'Unknown signer',
  labels: {
    signer: 'Signer',
    organisation: 'Organisation',
    issuer: 'Issued by',
    signed: 'Signed',
    reason: 'Reason',
    location: 'Location',
    field: 'Field',
    details: 'Details',
    serial: 'Serial number',
    validity: 'Certificate validity',
    algorithms: 'Algorithms',
    chain: 'Certificate chain',
    changes: 'Changes after signing',
    none: 'None',
    fingerprint: 'SHA-256 fingerprint',
    coverage: 'Coverage',
    findings: 'Findings',
    password: 'Password',
    submit: 'Check',
    level: 'Level',
    longTerm: 'Long-term validation',
    timestamp: 'Timestamp',
    revocation: 'Revocation',
  },
  statedBySigner: 'as stated by the signer',
  timestampFrom: (tsa) => `timestamp from ${tsa}`,
  validity: (from, to) => `${from} to ${to}`,
  coversWholeFile: (yes) => (yes ? 'the whole file' : 'not the whole file'),
  allowed: (yes) => (yes ? 'allowed' : 'not allowed'),
};
