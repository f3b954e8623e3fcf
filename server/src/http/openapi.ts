// The HTTP API, described in OpenAPI 3.1 and served at GET /api/openapi.json. Kept beside the routers;
// a test checks that every route the app answers is listed here and nothing listed is missing.
type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: Json, required = true) => ({ required, content: { 'application/json': { schema } } });
const multipartBody = (schema: Json) => ({ required: true, content: { 'multipart/form-data': { schema } } });
const both = (schema: Json) => ({ required: true, content: { 'application/json': { schema }, 'multipart/form-data': { schema } } });
const ok = (description: string, schema: Json = { type: 'object' }, status = '200') => ({ [status]: { description, content: { 'application/json': { schema } } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]));
const op = (summary: string, tag: string, extra: Json) => ({ summary, tags: [tag], ...extra });
const str = (extra: Json = {}) => ({ type: 'string', ...extra });
const obj = (properties: Json, required: string[] = []) => ({ type: 'object', properties, ...(required.length ? { required } : {}) });
const pdfPart = { type: 'string', contentMediaType: 'application/pdf', description: 'The PDF (or give documentId of an uploaded document).' };

export const OPENAPI_ROUTES = [
  'GET /api/health',
  'GET /api/openapi.json',
  'GET /api/calibration.pdf',
  'POST /api/tokens',
  'GET /api/traces/{id}',
  'GET /api/providers',
  'POST /api/documents',
  'GET /api/documents/{id}',
  'GET /api/documents/{id}/meta',
  'POST /api/bsre/users/status',
  'POST /api/bsre/users',
  'POST /api/bsre/totp',
  'POST /api/bsre/signatures',
  'POST /api/bsre/downloads',
  'POST /api/bsre/signatures/bulk',
  'POST /api/bsre/seals/activation',
  'POST /api/bsre/seals/activation/refresh',
  'POST /api/bsre/seals/activation/revoke',
  'POST /api/bsre/seals/totp',
  'POST /api/bsre/seals',
  'POST /api/peruri/users',
  'POST /api/peruri/users/specimen',
  'POST /api/peruri/users/certificate',
  'POST /api/peruri/users/activation',
  'POST /api/peruri/documents',
  'POST /api/peruri/documents/{orderId}/otp',
  'POST /api/peruri/documents/{orderId}/signatures',
  'GET /api/peruri/documents/{orderId}/status',
  'GET /api/peruri/documents/{orderId}',
  'POST /api/peruri/users/video',
  'POST /api/peruri/tiers',
  'POST /api/peruri/tiers/{orderId}/signatures',
  'POST /api/peruri/documents/bulk',
  'POST /api/peruri/documents/{orderId}/placement',
  'POST /api/peruri/batches',
  'POST /api/peruri/batches/{batchId}/signatures',
  'POST /api/peruri/system/key',
  'POST /api/peruri/system/signatures',
  'POST /api/digisign/users',
  'POST /api/digisign/users/contact',
  'POST /api/digisign/documents',
  'POST /api/digisign/documents/{digisignDocumentId}/download',
  'POST /api/webviews',
  'POST /api/webviews/confirmations',
  'POST /api/verify',
  'GET /api/trust/roots',
  'GET /callback/digisign',
  'GET /callback/digisign/{flow}',
] as const;

export function openApiDocument(version: string): Json {
  const docResult = obj({ document: ref('StoredDocument') }, ['document']);
  const docList = { type: 'array', items: ref('StoredDocument') };
  const pdfsPart = { type: 'array', maxItems: 10, items: { type: 'string', contentMediaType: 'application/pdf' }, description: 'The PDFs as repeated multipart parts "files" (or give documentIds); at most 10 in all.' };
  const documentIds = { type: 'array', maxItems: 10, items: str({ pattern: '^[0-9a-f]{32}$' }), description: 'Stored documents (POST /api/documents), after any uploaded files.' };
  const idSubscriber = str({ pattern: '^[\\x21-\\x7e]{1,100}$', description: 'The seal subscriber id BSrE gave the agency' });
  const orderIdList = { type: 'array', minItems: 1, maxItems: 50, items: str({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) };
  const perOrder = { type: 'array', items: obj({ orderId: str(), document: { oneOf: [ref('StoredDocument'), { type: 'null' }] }, error: obj({ code: str(), message: str() }) }, ['orderId', 'document']) };
  const peruriPlacementFields = { certificateLevel: str({ enum: ['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED'] }), location: str({ maxLength: 100 }), reason: str({ maxLength: 100 }), profile: ref('ProfileOverrides') };
  const orderId = { name: 'orderId', in: 'path', required: true, schema: str({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'esign-kit companion server',
      version,
      description:
        'Holds every provider credential and talks to BSrE, Peruri and Digisign for the portal. Every /api route except /api/health, /api/trust/roots (and the sandbox-only, loopback-only POST /api/tokens) needs `Authorization: Bearer <token>`: a JWT signed with PORTAL_SECRET (HS256) or the portal\'s key (PORTAL_PUBLIC_KEY or PORTAL_JWKS_URL: RS256, PS256, ES256/384/512, EdDSA), `sub` = the portal user, `exp` at most 15 minutes ahead; `esign:nik` and `esign:email` (a string or an array) name the provider identities the user may act as, and `scope: "esign:org"` allows organisation-level operations (the BSrE seal, Peruri signing system, bulk). Errors are `{ error: { code, message, field?, provider?: { code, message } } }`; 4xx is the caller\'s input (400 invalid input naming the field, also for unknown fields; 401 token with field `authorization`; 403 an `Origin` outside PORTAL_ORIGINS with field `origin`, an identity the token does not name (`identity-not-allowed`, field = the body field) or a missing scope (`scope-required`); 429 `too-many-attempts` with Retry-After after 5 wrong OTPs, TOTPs or passphrases for one target; 413 too large; 415 a body that is neither JSON nor multipart), 502/504 a provider failure. Boxes are neutral: `{page (1-based), x, y, width, height}` in PDF user units from the lower-left corner.',
    },
    servers: [{ url: '/' }],
    security: [{ portalToken: [] }],
    tags: [{ name: 'system' }, { name: 'documents' }, { name: 'bsre' }, { name: 'peruri' }, { name: 'digisign' }, { name: 'webviews' }],
    paths: {
      '/api/health': { get: op('Liveness and mode', 'system', { security: [], responses: ok('Up', obj({ status: str({ const: 'ok' }), mode: str({ enum: ['sandbox', 'live'] }), version: str(), uptimeSeconds: { type: 'integer' } })) }) },
      '/api/openapi.json': { get: op('This document', 'system', { responses: ok('OpenAPI 3.1') }) },
      '/api/calibration.pdf': {
        get: op('The calibration sheet: a labelled grid on a page of each geometry, to sign once on a live provider', 'system', {
          responses: { '200': { description: 'The PDF', content: { 'application/pdf': { schema: str({ contentMediaType: 'application/pdf' }) } } }, ...errors(401) },
        }),
      },
      '/api/tokens': {
        post: op('Sandbox only: a development token for a loopback client (404 in live mode)', 'system', {
          security: [],
          requestBody: jsonBody(obj({ sub: str({ maxLength: 256 }) }), false),
          responses: { ...ok('A token valid 15 minutes', obj({ token: str(), tokenType: str({ const: 'Bearer' }), expiresIn: { type: 'integer' } }), '201'), ...errors(403, 404) },
        }),
      },
      '/api/traces/{id}': {
        get: op('Sandbox only: the provider requests one API call made (named by its X-Esign-Trace header), redacted; for the user who made the call', 'system', {
          parameters: [{ name: 'id', in: 'path', required: true, schema: str({ format: 'uuid' }) }],
          responses: {
            ...ok(
              'Each provider request: method, URL, headers and body, and the answer; credentials, one-time codes and documents redacted',
              obj({ id: str(), method: str(), path: str(), startedAt: str(), exchanges: { type: 'array', items: { type: 'object' } } }),
            ),
            ...errors(401, 404),
          },
        }),
      },
      '/api/providers': {
        get: op('Configured providers, their API and web-view origins (no secrets)', 'system', {
          responses: { ...ok('Providers', obj({ mode: str(), providers: obj({ bsre: { type: 'object' }, peruri: { type: 'object' }, digisign: { type: 'object' } }) })), ...errors(401) },
        }),
      },
      '/api/documents': {
        post: op('Upload a PDF (checked: magic and full parse) and store it', 'documents', {
          requestBody: multipartBody(obj({ file: pdfPart }, ['file'])),
          responses: { ...ok('Stored', obj({ document: ref('StoredDocument') }), '201'), ...errors(400, 401, 413) },
        }),
      },
      '/api/documents/{id}': {
        get: op('A stored PDF (checked against its SHA-256)', 'documents', {
          parameters: [{ name: 'id', in: 'path', required: true, schema: str({ pattern: '^[0-9a-f]{32}$' }) }],
          responses: { '200': { description: 'The PDF; X-Checksum-Sha256 holds its SHA-256', content: { 'application/pdf': { schema: str({ contentMediaType: 'application/pdf' }) } } }, ...errors(400, 401, 404) },
        }),
      },
      '/api/documents/{id}/meta': {
        get: op('A stored document\'s metadata', 'documents', {
          parameters: [{ name: 'id', in: 'path', required: true, schema: str({ pattern: '^[0-9a-f]{32}$' }) }],
          responses: { ...ok('Metadata', obj({ document: ref('StoredDocument') })), ...errors(400, 401, 404) },
        }),
      },
      '/api/bsre/users/status': {
        post: op('BSrE certificate status of a user (v2: nik or email; v1: nik)', 'bsre', {
          requestBody: jsonBody(ref('Signer')),
          responses: { ...ok('Status', obj({ status: str(), canSign: { type: 'boolean' }, message: str() })), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/bsre/users': {
        post: op('Register a user at BSrE (v2)', 'bsre', { requestBody: jsonBody(obj({ name: str(), email: str({ format: 'email' }) }, ['name', 'email'])), responses: { ...ok('Registered', { type: 'object' }, '201'), ...errors(400, 401, 502, 503) } }),
      },
      '/api/bsre/totp': {
        post: op('Send a signing TOTP to the signer\'s e-mail (v2); the code is never returned', 'bsre', {
          requestBody: jsonBody(obj({ nik: str({ pattern: '^\\d{16}$' }), email: str({ format: 'email' }), fileCount: { type: 'integer', minimum: 1 } })),
          responses: { ...ok('Sent', obj({ sent: { type: 'boolean' }, message: str() }), '201'), ...errors(400, 401, 502, 503) },
        }),
      },
      '/api/bsre/signatures': {
        post: op('Sign a PDF at BSrE and store the signed PDF', 'bsre', {
          requestBody: both(
            obj({
              file: pdfPart,
              documentId: str(),
              service: str({ enum: ['esign-client', 'cloud'] }),
              nik: str({ pattern: '^\\d{16}$' }),
              email: str({ format: 'email' }),
              passphrase: str({ writeOnly: true }),
              totp: str({ writeOnly: true }),
              appearance: str({ enum: ['invisible', 'image', 'qr'] }),
              box: ref('Box'),
              image: str({ contentMediaType: 'image/png', description: 'Specimen (PNG or JPEG) for appearance "image" (Esign Client only: the cloud service draws the specimen BSrE holds, and refuses an image)' }),
              linkQR: str({ format: 'uri', description: 'For appearance "qr" (API v2: rendered to a PNG by this server)' }),
              tag: str({ minLength: 1, maxLength: 1, description: 'tag_koordinat: sign at this marker character in the text, instead of box (Esign Client only)' }),
              tagSize: obj({ width: { type: 'number', exclusiveMinimum: 0 }, height: { type: 'number', exclusiveMinimum: 0 } }, ['width', 'height']),
              reason: str(),
              location: str(),
              text: str({ maxLength: 200, description: 'API v1 only: `text`, free text of the signature (seed 002 §5.2 field 17)' }),
              pdfPassword: str({ writeOnly: true, description: 'API v2 only: the password of an encrypted PDF (`signatureProperties[].pdfPassword`, seed 002 §6.2 field 16)' }),
              addressee: str({ maxLength: 200, description: 'Cloud only: `tujuan` (seed 000 SEND_SIGN_REQUEST)' }),
              subject: str({ maxLength: 200, description: 'Cloud only: `perihal`' }),
              info: str({ maxLength: 200, description: 'Cloud only: `info`' }),
              documentType: str({ maxLength: 100, description: 'Cloud only: `jenis_dokumen`' }),
              documentNumber: str({ maxLength: 100, description: 'Cloud only: `nomor`' }),
              approvedInfo: str({ maxLength: 200, description: 'Cloud only: `approved_info` of the signing (seed 000 SIGN DOKUMEN)' }),
              profile: ref('ProfileOverrides'),
            }),
          ),
          responses: { ...ok('Signed and stored', obj({ document: ref('StoredDocument'), provider: str(), api: str(), providerDocumentId: str() }), '201'), ...errors(400, 401, 404, 409, 413, 422, 502, 503, 504) },
        }),
      },
      '/api/bsre/downloads': {
        post: op('BSrE v1 download-once: fetched and stored; repeated requests come from the store. Needed when a v1 signing named its document (id_dokumen) but its answer was unusable and the immediate download failed too: the signing error names the id', 'bsre', {
          requestBody: jsonBody(obj({ documentId: str() }, ['documentId'])),
          responses: { ...ok('Already stored', obj({ document: ref('StoredDocument'), fromStore: { type: 'boolean' } })), ...ok('Downloaded and stored', docResult, '201'), ...errors(400, 401, 404, 502, 503) },
        }),
      },
      '/api/bsre/signatures/bulk': {
        post: op('Sign several PDFs in one BSrE v2 call (one signer, one credential); every signed PDF is stored', 'bsre', {
          requestBody: both(
            obj({
              files: pdfsPart,
              documentIds,
              nik: str({ pattern: '^\\d{16}$' }),
              email: str({ format: 'email' }),
              passphrase: str({ writeOnly: true }),
              totp: str({ writeOnly: true, description: 'From POST /api/bsre/totp with fileCount = the number of files' }),
              signatures: {
                type: 'array',
                minItems: 1,
                maxItems: 10,
                description: 'One appearance for all files, or exactly one per file (by position); default one invisible',
                items: obj({ appearance: str({ enum: ['invisible', 'image'] }), box: ref('Box'), reason: str({ maxLength: 100 }), location: str({ maxLength: 100 }), pdfPassword: str({ writeOnly: true }) }),
              },
              image: str({ contentMediaType: 'image/png', description: 'Specimen (PNG or JPEG) for the visible signatures' }),
              profile: ref('ProfileOverrides'),
            }),
          ),
          responses: { ...ok('Signed and stored, in input order', obj({ documents: docList, provider: str(), api: str({ const: 'v2' }) }), '201'), ...errors(400, 401, 404, 413, 422, 502, 503, 504) },
        }),
      },
      '/api/bsre/seals/activation': {
        post: op('Seal (v2 D.3): request the activation TOTP, sent to the agency\'s registered e-mail', 'bsre', {
          requestBody: jsonBody(obj({ idSubscriber }, ['idSubscriber'])),
          responses: { ...ok('Requested', obj({ requested: { type: 'boolean' }, message: str() }), '201'), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/bsre/seals/activation/refresh': {
        post: op('Seal (v2 D.3): extend the activation TOTP\'s validity; the TOTP is never echoed', 'bsre', {
          requestBody: jsonBody(obj({ idSubscriber, totp: str({ writeOnly: true }) }, ['idSubscriber', 'totp'])),
          responses: { ...ok('Refreshed', obj({ refreshed: { type: 'boolean' }, message: str(), expires: str() })), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/bsre/seals/activation/revoke': {
        post: op('Seal (v2 D.3): revoke the activation', 'bsre', {
          requestBody: jsonBody(obj({ idSubscriber, totp: str({ writeOnly: true }) }, ['idSubscriber', 'totp'])),
          responses: { ...ok('Revoked', obj({ revoked: { type: 'boolean' }, message: str() })), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/bsre/seals/totp': {
        post: op('Seal (v2 D.4): request the seal OTP with the activation TOTP; an OTP BSrE returns in its body is kept on the server for the next seal (held), never returned', 'bsre', {
          requestBody: jsonBody(obj({ idSubscriber, activationTotp: str({ writeOnly: true }), fileCount: { type: 'integer', minimum: 1, maximum: 10 } }, ['idSubscriber', 'activationTotp'])),
          responses: { ...ok('Requested', obj({ sent: { type: 'boolean' }, message: str(), expires: str(), held: { type: 'boolean' }, fileCount: { type: 'integer' } }), '201'), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/bsre/seals': {
        post: op('Seal (v2 D.5): seal one or more PDFs with the organisation\'s seal (invisible); every sealed PDF is stored before the answer', 'bsre', {
          requestBody: both(obj({ file: pdfPart, files: pdfsPart, documentId: str(), documentIds, idSubscriber, totp: str({ writeOnly: true, description: 'The seal OTP; omit to use the one the server holds' }), reason: str({ maxLength: 100 }), location: str({ maxLength: 100 }) }, ['idSubscriber'])),
          responses: { ...ok('Sealed and stored, in input order', obj({ documents: docList, provider: str(), api: str({ const: 'v2' }), sealed: { type: 'integer' } }), '201'), ...errors(400, 401, 404, 413, 422, 502, 503, 504) },
        }),
      },
      '/api/peruri/users': {
        post: op('Register a user at Peruri (KTP photo JPEG/PNG, optional NPWP)', 'peruri', {
          requestBody: multipartBody(
            obj(
              { name: str(), phone: str(), email: str({ format: 'email' }), password: str({ writeOnly: true }), nik: str({ pattern: '^\\d{16}$' }), ktpPhoto: str({ contentMediaType: 'image/jpeg' }), npwp: str(), npwpPhoto: str({ contentMediaType: 'image/jpeg' }), address: str(), city: str(), province: str(), gender: str({ enum: ['M', 'F'] }), placeOfBirth: str(), dateOfBirth: str({ format: 'date' }), orgUnit: str(), workUnit: str(), position: str() },
              ['name', 'phone', 'email', 'nik', 'ktpPhoto', 'address', 'city', 'province', 'gender', 'placeOfBirth', 'dateOfBirth'],
            ),
          ),
          responses: { ...ok('Registered', obj({ registered: { type: 'boolean' }, resultDesc: str() }), '201'), ...errors(400, 401, 413, 502, 503, 504) },
        }),
      },
      '/api/peruri/users/specimen': {
        post: op('Store the user\'s signature specimen at Peruri', 'peruri', {
          requestBody: multipartBody(obj({ email: str({ format: 'email' }), specimen: str({ contentMediaType: 'image/png' }) }, ['email', 'specimen'])),
          responses: { ...ok('Stored', obj({ stored: { type: 'boolean' }, resultDesc: str() }), '201'), ...errors(400, 401, 413, 502, 503) },
        }),
      },
      '/api/peruri/users/certificate': {
        post: op('Peruri certificate status: issued on resultCode "0"; any other code is a 422 with Peruri\'s code and text (seed 003: "0" = Sukses, Selain "0" = Gagal)', 'peruri', { requestBody: jsonBody(obj({ email: str({ format: 'email' }) }, ['email'])), responses: { ...ok('Issued', obj({ issued: { type: 'boolean', const: true }, resultCode: str({ const: '0' }), resultDesc: str() })), ...errors(400, 401, 422, 502, 503) } }),
      },
      '/api/peruri/users/activation': {
        post: op('Start Peruri activation for a user', 'peruri', { requestBody: jsonBody(obj({ email: str({ format: 'email' }) }, ['email'])), responses: { ...ok('Requested', { type: 'object' }, '201'), ...errors(400, 401, 502, 503) } }),
      },
      '/api/peruri/documents': {
        post: op('Send a document to Peruri with signer boxes', 'peruri', {
          requestBody: both(obj({ file: pdfPart, documentId: str(), email: str({ format: 'email' }), boxes: { type: 'array', items: ref('Box') }, visible: { type: 'boolean' }, certificateLevel: str({ enum: ['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED'] }), location: str(), reason: str(), fileName: str(), profile: ref('ProfileOverrides'), orderType: str({ enum: ['SYSTEM'], description: 'Route to Signing System (§8)' }) }, ['email'])),
          responses: { ...ok('Sent', obj({ orderId: str(), orderType: str() }), '201'), ...errors(400, 401, 413, 422, 502, 503, 504) },
        }),
      },
      '/api/peruri/documents/{orderId}/otp': {
        post: op('Send the signing OTP to the signer\'s phone, for a single or a tier order (the OTP session token stays on the server)', 'peruri', { parameters: [orderId], responses: { ...ok('Sent', obj({ sent: { type: 'boolean' }, phone: str() }), '201'), ...errors(400, 401, 502, 503) } }),
      },
      '/api/peruri/documents/{orderId}/signatures': {
        post: op('Sign with the OTP (§5.4), with the placement when Send Document had none; then Check Document Status and the download, stored before the answer (a failure there: signed, document null, the error)', 'peruri', {
          parameters: [orderId],
          requestBody: jsonBody(obj({ otpCode: str({ pattern: '^\\d{6}$', writeOnly: true }), boxes: { type: 'array', minItems: 1, items: ref('Box') }, visible: { type: 'boolean' }, certificateLevel: str({ enum: ['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED'] }), location: str({ maxLength: 100 }), profile: ref('ProfileOverrides') }, ['otpCode'])),
          responses: { ...ok('Signed (and stored, or the error that kept it from the store)', obj({ signed: { type: 'boolean' }, orderId: str(), document: { oneOf: [ref('StoredDocument'), { type: 'null' }] }, error: obj({ code: str(), message: str(), provider: obj({ code: str(), message: str() }) }) }), '201'), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/peruri/documents/{orderId}/status': {
        get: op('Signed when Check Document Status answers "0": the PDF is then downloaded, stored and named; any other code is a 422 with Peruri\'s code and text, never "not signed yet"', 'peruri', { parameters: [orderId], responses: { ...ok('Signed and stored', obj({ orderId: str(), signed: { type: 'boolean', const: true }, document: ref('StoredDocument') })), ...errors(400, 401, 404, 422, 502, 503) } }),
      },
      '/api/peruri/documents/{orderId}': {
        get: op('View Document (§5.2): whether the order has its signature placement, and the PDF\'s page count and SHA-256 as Peruri holds it', 'peruri', {
          parameters: [orderId],
          responses: { ...ok('The order', obj({ orderId: str(), coordinatesSet: { type: 'boolean' }, pages: { type: 'integer' }, size: { type: 'integer' }, sha256: str() })), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/peruri/users/video': {
        post: op('Video e-KYC (§4.3): compare the user\'s face video with the civil registry', 'peruri', {
          requestBody: multipartBody(obj({ email: str({ format: 'email' }), video: str({ contentMediaType: 'video/mp4', description: 'MP4/QuickTime or WebM, at most MAX_PDF_BYTES' }) }, ['email', 'video'])),
          responses: { ...ok('Verified', obj({ verified: { type: 'boolean' }, resultDesc: str() })), ...errors(400, 401, 413, 502, 503, 504) },
        }),
      },
      '/api/peruri/tiers': {
        post: op('Tier signing (§6): send a document with its signers in order → orderId', 'peruri', {
          requestBody: both(obj({ file: pdfPart, documentId: str(), uploader: str({ format: 'email' }), signers: { type: 'array', minItems: 1, maxItems: 20, items: str({ format: 'email' }) }, fileName: str() }, ['uploader', 'signers'])),
          responses: { ...ok('Sent', obj({ orderId: str(), provider: str(), signers: { type: 'integer' } }), '201'), ...errors(400, 401, 413, 502, 503, 504) },
        }),
      },
      '/api/peruri/tiers/{orderId}/signatures': {
        post: op('Tier signing (§6.2): this signer signs with the OTP (from …/documents/{orderId}/otp) and boxes; once the last signer is done the PDF is stored', 'peruri', {
          parameters: [orderId],
          requestBody: jsonBody(obj({ otpCode: str({ pattern: '^\\d{6}$', writeOnly: true }), boxes: { type: 'array', minItems: 1, items: ref('Box') }, certificateLevel: str({ enum: ['NOT_CERTIFIED', 'NO_CHANGES_ALLOWED'] }), location: str({ maxLength: 100 }), profile: ref('ProfileOverrides') }, ['otpCode', 'boxes', 'location'])),
          responses: { ...ok('Signed; complete and stored when Check Document Status answers "0", else statusCheck is Peruri\'s answer', obj({ signed: { type: 'boolean' }, orderId: str(), complete: { type: 'boolean' }, document: ref('StoredDocument'), statusCheck: obj({ code: str(), message: str(), provider: obj({ code: str(), message: str() }) }) }), '201'), ...errors(400, 401, 422, 502, 503, 504) },
        }),
      },
      '/api/peruri/documents/bulk': {
        post: op('Bulk (§7.1): send several PDFs for one signer, optionally with one placement for all → orderIds', 'peruri', {
          requestBody: both(obj({ files: pdfsPart, documentIds, email: str({ format: 'email' }), boxes: { type: 'array', items: ref('Box') }, visible: { type: 'boolean' }, ...peruriPlacementFields }, ['email'])),
          responses: { ...ok('Sent', obj({ orderIds: { type: 'array', items: str() }, provider: str(), fileNames: { type: 'array', items: str() } }), '201'), ...errors(400, 401, 404, 413, 422, 502, 503, 504) },
        }),
      },
      '/api/peruri/documents/{orderId}/placement': {
        post: op('Bulk (§7.2 Set Signature): the placement of an order sent without boxes (one box, or visible: false)', 'peruri', {
          parameters: [orderId],
          requestBody: jsonBody(obj({ box: ref('Box'), visible: { type: 'boolean' }, ...peruriPlacementFields })),
          responses: { ...ok('Placed', obj({ placed: { type: 'boolean' }, orderId: str(), resultDesc: str() })), ...errors(400, 401, 422, 502, 503, 504) },
        }),
      },
      '/api/peruri/batches': {
        post: op('Bulk (§7.3 Get OTP Bulk): one OTP for several ready orders → batchId; the bulk token stays on the server', 'peruri', {
          requestBody: jsonBody(obj({ orderIds: orderIdList }, ['orderIds'])),
          responses: { ...ok('OTP sent', obj({ batchId: str(), orderIds: { type: 'array', items: str() }, sent: { type: 'boolean' }, phone: str() }), '201'), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/peruri/batches/{batchId}/signatures': {
        post: op('Bulk (§7.4 Signing Bulk): sign the batch with the OTP; each order of the batch this user created (only those) is confirmed, downloaded and stored', 'peruri', {
          parameters: [{ name: 'batchId', in: 'path', required: true, schema: str({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) }],
          requestBody: jsonBody(obj({ otpCode: str({ pattern: '^\\d{6}$', writeOnly: true }) }, ['otpCode'])),
          responses: { ...ok('Signed; per order the stored document, or null with the download error', obj({ signed: { type: 'boolean' }, batchId: str(), documents: perOrder }), '201'), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/peruri/system/key': {
        post: op('Signing System (§8.1 Set Key): register the HMAC key (generated when omitted); it stays on this server, never returned', 'peruri', {
          requestBody: jsonBody(obj({ minutes: { type: 'integer', minimum: 1, maximum: 10080 }, key: str({ writeOnly: true, minLength: 6, maxLength: 100 }) }, ['minutes'])),
          responses: { ...ok('Set', obj({ set: { type: 'boolean' }, generated: { type: 'boolean' }, expiresAt: str({ format: 'date-time' }), expiredDate: str() }), '201'), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/peruri/system/signatures': {
        post: op('Signing System (§8.3): sign orders sent with orderType SYSTEM, no OTP (session = HMAC-SHA256 of the ids); each signed PDF is stored', 'peruri', {
          requestBody: jsonBody(obj({ orderIds: orderIdList }, ['orderIds'])),
          responses: { ...ok('Signed; per order the stored document, or null with the download error', obj({ signed: { type: 'boolean' }, resultDesc: str(), documents: perOrder }), '201'), ...errors(400, 401, 502, 503, 504) },
        }),
      },
      '/api/digisign/users': {
        post: op('Register a user at Digisign (KTP photo, selfie JPEG ≤ 500 KB, optional PNG specimen)', 'digisign', {
          requestBody: multipartBody(
            obj(
              { name: str(), phone: str(), birthDate: str({ format: 'date' }), nik: str({ pattern: '^\\d{16}$' }), placeOfBirth: str(), email: str({ format: 'email' }), gender: str({ enum: ['male', 'female'] }), province: str(), city: str(), ktpPhoto: str({ contentMediaType: 'image/jpeg' }), selfie: str({ contentMediaType: 'image/jpeg', maxLength: 512000 }), specimen: str({ contentMediaType: 'image/png' }) },
              ['name', 'phone', 'birthDate', 'nik', 'placeOfBirth', 'email', 'gender', 'ktpPhoto', 'selfie'],
            ),
          ),
          responses: { ...ok('Registered', obj({ status: str(), userCode: str(), activationUrl: str() }), '201'), ...errors(400, 401, 409, 413, 422, 429, 502, 503, 504) },
        }),
      },
      '/api/digisign/users/contact': {
        post: op('Change the e-mail or phone of a user who has not activated yet', 'digisign', {
          requestBody: jsonBody(obj({ oldEmail: str({ format: 'email' }), newEmail: str({ format: 'email' }), oldPhone: str(), newPhone: str() }, ['oldEmail', 'newEmail', 'oldPhone', 'newPhone'])),
          responses: { ...ok('Changed', obj({ changed: { type: 'boolean' }, notif: str() })), ...errors(400, 401, 404, 409, 422, 502, 503) },
        }),
      },
      '/api/digisign/documents': {
        post: op('Send a document to Digisign with signers, boxes and e-meterai', 'digisign', {
          requestBody: both(
            obj(
              {
                file: pdfPart,
                documentId: str(),
                digisignDocumentId: str({ pattern: '^[A-Za-z0-9_-]{1,20}$' }),
                signers: { type: 'array', items: obj({ name: str(), email: str({ format: 'email' }), user: str(), visible: { type: 'boolean' }, box: { type: 'integer' } }, ['name', 'email']) },
                boxes: { type: 'array', items: ref('Box') },
                viewers: { type: 'array', items: obj({ name: str(), email: str() }) },
                sequential: { type: 'boolean' },
                payment: str({ enum: ['2', '3'] }),
                branch: str({ maxLength: 100, description: '`branch`: the branch name (seed 004 API Send Document, optional)' }),
                meterai: obj({ boxes: { type: 'array', items: ref('Box') }, documentType: str({ enum: ['2', '3', '4a', '4b'] }) }),
                fileName: str(),
                profile: ref('ProfileOverrides'),
              },
              ['signers', 'boxes'],
            ),
          ),
          responses: { ...ok('Sent', obj({ digisignDocumentId: str(), refTrx: str() }), '201'), ...errors(400, 401, 409, 413, 422, 502, 503, 504) },
        }),
      },
      '/api/digisign/documents/{digisignDocumentId}/download': {
        post: op('Download the signed PDF from Digisign and store it', 'digisign', {
          parameters: [{ name: 'digisignDocumentId', in: 'path', required: true, schema: str({ pattern: '^[A-Za-z0-9_-]{1,20}$' }) }],
          requestBody: jsonBody(obj({ format: str({ enum: ['pdf', 'base64'], description: '"base64" uses DWMITRA64 (answers with a result code); default "pdf" (DWMITRA)' }) }), false),
          responses: { ...ok('Stored', docResult, '201'), ...errors(400, 401, 403, 404, 502, 503) },
        }),
      },
      '/api/webviews': {
        post: op('A web-view URL for a flow (Peruri activation/signing, Digisign activation/signing)', 'webviews', {
          requestBody: jsonBody({
            oneOf: [
              obj({ provider: str({ const: 'peruri' }), flow: str({ const: 'activation' }), email: str({ format: 'email' }) }, ['provider', 'flow', 'email']),
              obj({ provider: str({ const: 'peruri' }), flow: str({ const: 'signing' }), orderId: str() }, ['provider', 'flow', 'orderId']),
              obj({ provider: str({ const: 'digisign' }), flow: str({ enum: ['activation', 'signing'] }), email: str({ format: 'email' }), digisignDocumentId: str(), viewOnly: { type: 'boolean', description: 'signing flow: the user may view but not sign (§6.1 view_only)' } }, ['provider', 'flow', 'email']),
            ],
          }),
          responses: { ...ok('The web view', obj({ url: str({ format: 'uri' }), origin: str() }), '201'), ...errors(400, 401, 403, 404, 502, 503) },
        }),
      },
      '/api/webviews/confirmations': {
        post: op("The server's confirmation of a finished web-view flow for the signer it was opened for (what <esign-webview> fires esign-complete with): Peruri signing (the order's status; the signed PDF stored), Peruri activation (certificate issued), Digisign signing and activation (a redirect this server decrypted that names this signer and document; for signing, the PDF downloaded and stored)", 'webviews', {
          requestBody: jsonBody({
            oneOf: [
              obj({ provider: str({ const: 'peruri' }), flow: str({ const: 'signing' }), orderId: str(), email: str({ format: 'email', description: 'the signer the element was opened for; must be the order\'s signer' }) }, ['provider', 'flow', 'orderId']),
              obj({ provider: str({ const: 'peruri' }), flow: str({ const: 'activation' }), email: str({ format: 'email' }) }, ['provider', 'flow', 'email']),
              obj({ provider: str({ const: 'digisign' }), flow: str({ const: 'signing' }), email: str({ format: 'email' }), digisignDocumentId: str() }, ['provider', 'flow', 'email', 'digisignDocumentId']),
              obj({ provider: str({ const: 'digisign' }), flow: str({ const: 'activation' }), email: str({ format: 'email' }) }, ['provider', 'flow', 'email']),
            ],
          }),
          responses: {
            ...ok('Confirmed (`confirmed: true` with the result), or not yet (`confirmed: false`: ask again shortly)', obj({ confirmed: { type: 'boolean' }, result: { type: 'object' }, resultCode: str(), resultDesc: str() }, ['confirmed'])),
            ...errors(400, 401, 403, 404, 409, 502, 503, 504),
          },
        }),
      },
      '/api/verify': {
        post: op('Verify a signed PDF\'s signatures (BSrE)', 'documents', {
          requestBody: both(obj({ file: pdfPart, documentId: str(), password: str({ writeOnly: true }), provider: str({ enum: ['bsre', 'peruri', 'digisign'] }) })),
          responses: {
            ...ok(
              'One verification model for BSrE v2, v1 and cloud; the conclusion is derived from the integrity and trust BSrE reports per signature, with its own words and raw answer beside it',
              obj({
                provider: str({ const: 'bsre' }),
                api: str({ enum: ['v1', 'v2', 'cloud'] }),
                conclusion: str({ enum: ['valid', 'valid-untrusted', 'invalid', 'no-signature', 'unknown'] }),
                providerConclusion: str(),
                signatureCount: { type: 'integer' },
                signatures: {
                  type: 'array',
                  items: obj({ field: str(), signer: str(), signerDn: str(), issuer: str(), signedAt: str(), reason: str(), location: str(), integrity: { type: 'boolean' }, trusted: { type: 'boolean' }, timestamp: { type: ['string', 'boolean'] } }),
                },
                notes: { type: 'array', items: str() },
                raw: { type: 'object', description: "BSrE's answer as sent" },
              }, ['provider', 'api', 'conclusion', 'signatureCount', 'signatures', 'notes', 'raw']),
            ),
            ...errors(400, 401, 413, 502, 503, 504),
          },
        }),
      },
      '/api/trust/roots': {
        get: op('The certificates this server trusts as roots when signatures are checked locally (public: root certificates are public data)', 'system', {
          security: [],
          responses: ok(
            'In sandbox mode the sandbox CA root first, then every CA certificate of TRUSTED_ROOTS',
            obj({
              roots: {
                type: 'array',
                items: obj({
                  pem: str({ description: 'The certificate, PEM' }),
                  subject: str({ description: 'Most specific first: CN=…, O=…, C=ID' }),
                  fingerprint: str({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the DER' }),
                  source: str({ enum: ['sandbox', 'config'] }),
                }, ['pem', 'subject', 'fingerprint', 'source']),
              },
            }, ['roots']),
          ),
        }),
      },
      '/callback/digisign': {
        get: op('Digisign redirect landing for either flow (one redirect link for both): decrypts msg, posts the typed result to the portal window', 'digisign', {
          security: [],
          parameters: [{ name: 'msg', in: 'query', required: true, schema: str() }],
          responses: { '200': { description: 'HTML page that posts an esign-kit/callback message (@esign-kit/bridge LandingMessage, with the channel read from the frame name) to PORTAL_ORIGINS', content: { 'text/html': {} } }, '400': { description: 'HTML page that posts a LandingMessage with ok: false and the error', content: { 'text/html': {} } } },
        }),
      },
      '/callback/digisign/{flow}': {
        get: op('Digisign redirect landing: decrypts msg, posts the typed result to the portal window', 'digisign', {
          security: [],
          parameters: [
            { name: 'flow', in: 'path', required: true, schema: str({ enum: ['activation', 'signing'] }) },
            { name: 'msg', in: 'query', required: true, schema: str() },
          ],
          responses: { '200': { description: 'HTML page that posts an esign-kit/callback message (@esign-kit/bridge LandingMessage, with the channel read from the frame name) to PORTAL_ORIGINS', content: { 'text/html': {} } }, '400': { description: 'HTML page that posts `{type, ok: false, error: {code, message}}`', content: { 'text/html': {} } } },
        }),
      },
    },
    components: {
      securitySchemes: { portalToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Box: obj({ page: { type: 'integer', minimum: 1 }, x: { type: 'number' }, y: { type: 'number' }, width: { type: 'number', exclusiveMinimum: 0 }, height: { type: 'number', exclusiveMinimum: 0 } }, ['page', 'x', 'y', 'width', 'height']),
        Signer: obj({ nik: str({ pattern: '^\\d{16}$' }), email: str({ format: 'email' }) }),
        ProfileOverrides: obj({ origin: str({ enum: ['bottom-left', 'top-left'] }), encoding: str({ enum: ['corners', 'size'] }), space: str({ enum: ['visual', 'user'] }), rounding: str({ enum: ['nearest', 'outward', 'inward'] }), decimals: { type: 'integer' }, units: str({ enum: ['user', 'points'] }), pageBase: { enum: [0, 1] }, minSize: { type: 'number' } }),
        StoredDocument: obj({ id: str({ pattern: '^[0-9a-f]{32}$' }), sha256: str(), size: { type: 'integer' }, source: str(), createdAt: str({ format: 'date-time' }), fileName: str(), url: str() }, ['id', 'sha256', 'size', 'url']),
        Error: obj(
          { error: obj({ code: str(), message: str(), field: str(), provider: obj({ code: str(), message: str() }), retryable: { type: 'boolean' } }, ['code', 'message']) },
          ['error'],
        ),
      },
      responses: Object.fromEntries(
        [400, 401, 403, 404, 409, 413, 422, 429, 502, 503, 504].map((s) => [`E${s}`, { description: `Error ${s}`, content: { 'application/json': { schema: ref('Error') } } }]),
      ),
    },
  };
}
