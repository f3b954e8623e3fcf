// Digisign's request contracts, written from seed 004 ("Digisign API EXT-AT Document", SNI Projects 3.0.4,
// May 2023). The document names its sections (page numbers from its table of contents). Every call is a
// multipart POST with `Authorization: Bearer <token>` (section Header, p. 7); the JSON travels as the
// multipart field `jsonfield`, wrapped in `JSONFile`; files are their own parts. Fields marked `*` "must be
// filled", "(conditional)" must be filled when their condition holds, the others may be left out.
import type { Field, Header, Operation } from './schema.js';

const BEARER: Header = { name: 'Authorization', value: /^Bearer \S+$/, source: '004 Header (p. 7): Authorization "Bearer <token>"' };
const userid = (where: string): Field => ({
  path: 'userid',
  type: 'string',
  required: true,
  maxLength: 80,
  source: `004 ${where}: userid* String 80 "Email admin partner"`,
});
const documentId = (where: string): Field => ({
  path: 'document_id',
  type: 'string',
  required: true,
  maxLength: 20,
  source: `004 ${where}: document_id* String 20 "Partner document id (unique)"`,
});

function api(name: string, path: string, where: string, fields: Field[], extra: Partial<Operation> = {}): Operation {
  return { id: `digisign.${name}`, source: `004 ${where}`, method: 'POST', path, body: 'jsonfield', wrapper: 'JSONFile', headers: [BEARER], fields, ...extra };
}

const reg = 'API Register (p. 8)';
const register = api(
  'register',
  '/REG-MITRA.html',
  `${reg}, link https://api.tandatanganku.com/REG-MITRA.html`,
  [
    userid(reg),
    { path: 'provinsi', type: 'string', required: false, source: `004 ${reg}: provinsi String (province)` },
    { path: 'kota', type: 'string', required: false, source: `004 ${reg}: the example sends "kota": "pekalongan"`, note: 'in the example, not in the table' },
    {
      path: 'nama',
      type: 'string',
      required: true,
      maxLength: 80,
      pattern: /^[\p{L}\p{M} .,]+$/u,
      source: `004 ${reg}: nama* String 80 "only periods (.) and commas (,) are allowed"`,
    },
    {
      path: 'tlp',
      type: 'string',
      required: true,
      maxLength: 15,
      pattern: /^(\+62|62|08)\d+$/,
      source: `004 ${reg}: tlp* String 15 "Example : 0812..., +62812..., 62812.."`,
    },
    {
      path: 'tgl_lahir',
      type: 'string',
      required: true,
      maxLength: 10,
      pattern: /^\d{2}-\d{2}-\d{4}$/,
      source: `004 ${reg}: tgl_lahir* String 10 "dd-MM-yyyy"`,
    },
    { path: 'idktp', type: 'string', required: true, maxLength: 16, pattern: /^\d{16}$/, source: `004 ${reg}: idktp* String 16 "NIK KTP"` },
    { path: 'tmp_lahir', type: 'string', required: true, maxLength: 30, source: `004 ${reg}: tmp_lahir* String 30` },
    { path: 'email', type: 'string', required: true, maxLength: 80, source: `004 ${reg}: email* String 80` },
    { path: 'redirect', type: 'boolean', required: false, source: `004 ${reg}: redirect Boolean "default : false"` },
  ],
  {
    files: [
      {
        path: 'fotoktp',
        type: 'file',
        required: true,
        contentTypes: ['image/jpeg', 'image/png'],
        source: `004 ${reg} Multipart Field: fotoktp* File Max 4MB (id card photo)`,
      },
      {
        path: 'fotodiri',
        type: 'file',
        required: true,
        contentTypes: ['image/jpeg'],
        source: `004 ${reg} Multipart Field: fotodiri* File Max 500KB "Format JPEG/JPG"`,
      },
      { path: 'ttd', type: 'file', required: false, contentTypes: ['image/png'], source: `004 ${reg} Multipart Field: ttd File Max 4MB "Format png"` },
    ],
    readings: {
      DIGISIGN_GENDER_CASE: {
        capitalized: {
          fields: [
            {
              path: 'jenis_kelamin',
              type: 'string',
              required: true,
              maxLength: 10,
              values: ['Laki-laki', 'Perempuan'],
              source: `004 ${reg}: jenis_kelamin* String 10 "You must input : Laki-laki for male Perempuan for female"`,
            },
          ],
          source: 'the Json Field table',
        },
        lower: {
          fields: [
            {
              path: 'jenis_kelamin',
              type: 'string',
              required: true,
              maxLength: 10,
              values: ['laki-laki', 'perempuan'],
              source: `004 ${reg}: the example "jenis_kelamin": "laki-laki"`,
            },
          ],
          source: 'the example',
        },
      },
    },
  },
);

const act = 'API Activation (p. 12)';
const activation = api('activation', '/gen/genACTPage.html', `${act}, link https://api.tandatanganku.com/gen/genACTPage.html`, [
  userid(act),
  { path: 'email_user', type: 'string', required: true, maxLength: 80, source: `004 ${act}: email_user* String 80 "User Email will activation"` },
]);

const send = 'API Send Document (p. 14)';
const meterai = (key: string, source: string): Field[] => [
  { path: key, type: 'array', required: false, source },
  ...['llx', 'lly', 'urx', 'ury', 'page'].map((k): Field => ({
    path: `${key}[].${k}`,
    type: 'string',
    required: true,
    pattern: /^-?\d+(\.\d+)?$/,
    source: `${source} "(include: llx, lly, urx, ury, page)"`,
  })),
];
const corner = (name: string): Field => ({
  path: `req-sign[].${name}`,
  type: 'string',
  required: true,
  maxLength: 30,
  pattern: /^-?\d+(\.\d+)?$/,
  source: `004 ${send}: ${name}* String 30; "The type is float" (p. 14)`,
});
const sendDocument = api(
  'sendDocument',
  '/SendDocMitraAT.html',
  `${send}, link https://api.tandatanganku.com/SendDocMitraAT.html`,
  [
    userid(send),
    documentId(send),
    {
      path: 'payment',
      type: 'string',
      required: false,
      maxLength: 1,
      values: ['2', '3'],
      source: `004 ${send}: payment String 1 "2 = Pay each time you sign … 3 = Paid document owner … Default 3."`,
    },
    { path: 'redirect', type: 'boolean', required: true, values: [true], source: `004 ${send}: redirect* boolean "Must be set true"` },
    { path: 'branch', type: 'string', required: false, source: `004 ${send}: branch (optional) String "Branch name"` },
    { path: 'sequence_option', type: 'boolean', required: true, source: `004 ${send}: sequence_option* boolean "Default false"` },
    { path: 'send-to', type: 'array', required: false, source: `004 ${send}: send-to Array[json string] "List of users view document."` },
    { path: 'send-to[].name', type: 'string', required: true, source: `004 ${send}: the example's send-to items { "name", "email" }` },
    { path: 'send-to[].email', type: 'string', required: true, source: `004 ${send}: the example's send-to items { "name", "email" }` },
    { path: 'req-sign', type: 'array', required: true, source: `004 ${send}: req-sign* Array[json string] "List of users sign document and view document"` },
    { path: 'req-sign[].name', type: 'string', required: true, maxLength: 80, source: `004 ${send}: name* String 80` },
    { path: 'req-sign[].email', type: 'string', required: true, maxLength: 80, source: `004 ${send}: email* String 80` },
    {
      path: 'req-sign[].user',
      type: 'string',
      required: true,
      maxLength: 30,
      pattern: /^(ttd|prf)\d*$/i,
      source: `004 ${send}: user* String 30 "ttd1, ttd2, .. Prf1, prf2, .. Default \\"ttd\\""`,
    },
    corner('llx'),
    corner('lly'),
    corner('urx'),
    corner('ury'),
    { path: 'req-sign[].page', type: 'string', required: true, maxLength: 3, pattern: /^\d{1,3}$/, source: `004 ${send}: page* String 3 "Halaman ttd"` },
    {
      path: 'req-sign[].visible',
      type: 'string',
      required: true,
      maxLength: 1,
      values: ['0', '1'],
      source: `004 ${send}: visible* String 1 "0=false (hidden) 1=true (visible)"`,
    },
    {
      path: 'req-sign[].signing_seq',
      type: 'integer',
      required: { root: 'sequence_option', equals: true },
      source: `004 ${send}: signing_seq (conditional) int "Default 0 Sequence of signing process"`,
      note: 'the condition is read as sequence_option true',
    },
    {
      path: 'document_type',
      type: 'string',
      required: false,
      values: ['2', '3', '4a', '4b'],
      source: `004 ${send}: document_type (conditional) String 1 "2 = Dokumen Transaksi … 4b" (4a/4b are 2 characters despite the length 1)`,
    },
  ],
  {
    files: [{ path: 'file', type: 'file', required: true, contentTypes: ['application/pdf'], source: `004 ${send} Multipart Field: file* File "Format pdf"` }],
    readings: {
      DIGISIGN_METERAI_FIELD: {
        meterai_positions: {
          fields: meterai('meterai_positions', `004 ${send}: meterai_positions (optional) Array[json string] "List of e-meterai locations"`),
          source: 'the Json Field table',
        },
        'meterai-positions': {
          fields: meterai('meterai-positions', '004 API Send Document with e-Meterai (p. 18): both examples and the request log send "meterai-positions"'),
          source: 'the examples',
        },
      },
    },
  },
);

const sign = 'API Sign Document (p. 21)';
const signPage = api('signPage', '/gen/genSignPage.html', `${sign}, link https://api.tandatanganku.com/gen/genSignPage.html`, [
  userid(sign),
  documentId(sign),
  { path: 'email_user', type: 'string', required: true, maxLength: 80, source: `004 ${sign}: email_user* String 80 "User Email will sign"` },
  { path: 'view_only', type: 'boolean', required: false, source: `004 ${sign}: view_only (optional) boolean` },
]);

const dl = 'API Download file (p. 29)';
const downloadPdf = api('downloadPdf', '/DWMITRA.html', `${dl}, link https://api.tandatanganku.com/DWMITRA.html`, [userid(dl), documentId(dl)]);
const dl64 = 'API Download File Base64 (p. 30)';
const downloadBase64 = api('downloadBase64', '/DWMITRA64.html', `${dl64}, link https://api.tandatanganku.com/DWMITRA64.html`, [userid(dl64), documentId(dl64)]);

const change = 'API Change Email or No Handphone (p. 32)';
const changeContact: Operation = {
  ...api('changeContact', '', change, [
    userid(change),
    { path: 'email_lama', type: 'string', required: true, maxLength: 80, source: `004 ${change}: email_lama* String 80 "Old email"` },
    { path: 'email_baru', type: 'string', required: true, maxLength: 80, source: `004 ${change}: email_baru* String 80 "New email"` },
    { path: 'nohp_lama', type: 'string', required: true, maxLength: 15, source: `004 ${change}: nohp_lama* String 15 "Old no_handphone"` },
    { path: 'nohp_baru', type: 'string', required: true, maxLength: 15, source: `004 ${change}: nohp_baru* String 15 "New no_handphone"` },
  ]),
  readings: {
    DIGISIGN_CHANGE_CONTACT_URL: {
      '<DIGISIGN_URL>/UPDATE-EP.html': {
        path: /^\/UPDATE-EP\.html$/,
        source: '004: every other endpoint is under api.tandatanganku.com; the path /UPDATE-EP.html under the configured base',
      },
      'https://api.tandatangan.com/UPDATE-EP.html': {
        path: /^\/UPDATE-EP\.html$/,
        origin: 'https://api.tandatangan.com',
        source: `004 ${change}: link https://api.tandatangan.com/UPDATE-EP.html`,
      },
    },
  },
};

export const DIGISIGN_CONTRACTS: readonly Operation[] = [register, activation, sendDocument, signPage, downloadPdf, downloadBase64, changeContact];
