// Digisign's request builders (docs/providers/digisign.md §2–§9), pure: input checked, fields named as the
// document's tables say, boxes converted through the core's `digisign` profile.
import { isJpeg, isPng, optionalString, requireBytes, requireIsoDate, requireEmail, requireNik, requirePdf, requireString } from '../shared/check.js';
import { convertBoxes, type Placement } from '../shared/coordinates.js';
import { DEFAULT_DIGISIGN_DIALECT } from './dialect.js';
import { invalid } from '../shared/errors.js';
import type { MultipartFile, ProviderRequest } from '../shared/types.js';
import { digisignRequest, userid, documentId, type DigisignSettings } from './operations.js';

// §2 Register

export interface DigisignRegisterInput {
  name: string;
  /** `0812…`, `+62812…` or `62812…` (§2.2, result 28 otherwise). */
  phone: string;
  /** ISO `yyyy-mm-dd`; sent as `dd-MM-yyyy`. */
  birthDate: string;
  nik: string;
  placeOfBirth: string;
  email: string;
  gender: 'male' | 'female';
  province?: string;
  /** `kota`: in the example, not in the table (gap 7). */
  city?: string;
  /** Redirect to the partner page after activation (§2.2). */
  redirect?: boolean;
  /** KTP photo, JPEG or PNG, ≤ 4 MB. */
  ktpPhoto: Uint8Array;
  /** Live selfie, JPEG, ≤ 500 KB (§2.1; results 12 "Size foto selfie maksimal 500KB" / "harus JPEG"). */
  selfie: Uint8Array;
  /** Handwritten signature, PNG with white or transparent background, ≤ 4 MB. */
  specimen?: Uint8Array;
}

const MB4 = 4 * 1024 * 1024;
export const DIGISIGN_SELFIE_MAX_BYTES = 500 * 1024;

export function buildDigisignRegisterRequest(input: DigisignRegisterInput, settings: DigisignSettings): ProviderRequest {
  const name = requireString(input.name, 'name', 80);
  if (!/^[\p{L}\p{M} .,]+$/u.test(name)) invalid('name', 'name may only contain letters, spaces, "." and ",".');
  const phone = requireString(input.phone, 'phone', 15);
  if (!/^(\+62|62|08)\d+$/.test(phone) || phone.length < 8) invalid('phone', 'phone must start with 08, 62 or +62 and have at least 8 characters.');
  const [y, m, d] = requireIsoDate(input.birthDate, 'birthDate');
  if (input.gender !== 'male' && input.gender !== 'female') invalid('gender', 'gender must be "male" or "female".');
  const capital = (settings.genderCase ?? DEFAULT_DIGISIGN_DIALECT.genderCase) === 'capitalized';
  const gender = input.gender === 'male' ? (capital ? 'Laki-laki' : 'laki-laki') : capital ? 'Perempuan' : 'perempuan';
  const ktp = requireBytes(input.ktpPhoto, 'ktpPhoto');
  if (ktp.byteLength > MB4) invalid('ktpPhoto', 'ktpPhoto must be at most 4 MB.');
  if (!isJpeg(ktp) && !isPng(ktp)) invalid('ktpPhoto', 'ktpPhoto must be a JPEG or PNG image.');
  const selfie = requireBytes(input.selfie, 'selfie');
  if (!isJpeg(selfie)) invalid('selfie', 'selfie must be a JPEG image.');
  if (selfie.byteLength > DIGISIGN_SELFIE_MAX_BYTES) invalid('selfie', 'selfie must be at most 500 KB.');
  const province = optionalString(input.province, 'province');
  const city = optionalString(input.city, 'city');
  const json: Record<string, unknown> = {
    userid: userid(settings),
    jenis_kelamin: gender,
    ...(province !== undefined ? { provinsi: province } : {}),
    ...(city !== undefined ? { kota: city } : {}),
    nama: name,
    tlp: phone,
    tgl_lahir: `${d}-${m}-${y}`,
    idktp: requireNik(input.nik, 'nik'),
    tmp_lahir: requireString(input.placeOfBirth, 'placeOfBirth', 30),
    email: requireEmail(input.email, 'email', 80),
    redirect: input.redirect ?? false,
  };
  const files: MultipartFile[] = [
    { field: 'fotoktp', filename: isPng(ktp) ? 'ktp.png' : 'ktp.jpg', contentType: isPng(ktp) ? 'image/png' : 'image/jpeg', data: ktp },
    { field: 'fotodiri', filename: 'selfie.jpg', contentType: 'image/jpeg', data: selfie },
  ];
  if (input.specimen !== undefined) {
    const ttd = requireBytes(input.specimen, 'specimen');
    if (!isPng(ttd)) invalid('specimen', 'specimen must be a PNG image.');
    if (ttd.byteLength > MB4) invalid('specimen', 'specimen must be at most 4 MB.');
    files.push({ field: 'ttd', filename: 'ttd.png', contentType: 'image/png', data: ttd });
  }
  return digisignRequest('register', json, settings, files);
}

// §3 Activation link
export function buildDigisignActivationRequest(input: { email: string }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest('activation', { userid: userid(settings), email_user: requireEmail(input.email, 'email', 80) }, settings);
}

// ---------------------------------------------------------------------------------------------------
// §5 Send document

export interface DigisignSigner {
  name: string;
  email: string;
  /** `ttd1`, `ttd2`… (signature) or `prf1`… (initials). Default `ttd<n>` by position. */
  user?: string;
  /** Default true. */
  visible?: boolean;
  /** Index into `placement.boxes` of this signer's box. Default: the signer's own position. */
  box?: number;
}

export interface DigisignSendDocumentInput {
  documentId: string;
  pdf: Uint8Array;
  fileName?: string;
  signers: readonly DigisignSigner[];
  /** One box per signer (see `DigisignSigner.box`), in the neutral model. */
  placement: Placement;
  /** Users who may only view (`send-to`). */
  viewers?: readonly { name: string; email: string }[];
  /** `true`: signers sign in list order; each `req-sign` item then gets `signing_seq` 1, 2… */
  sequential?: boolean;
  /** `"2"` pay per signature; `"3"` (default) paid by the owner per document. */
  payment?: '2' | '3';
  branch?: string;
  /** e-meterai boxes and the stamp-duty document class (§5.5). */
  meterai?: { boxes: Placement['boxes']; documentType: '2' | '3' | '4a' | '4b' };
}

export function buildDigisignSendDocumentRequest(input: DigisignSendDocumentInput, settings: DigisignSettings): ProviderRequest {
  const pdf = requirePdf(input.pdf, 'pdf');
  if (!Array.isArray(input.signers) || input.signers.length === 0) invalid('signers', 'signers must list at least one signer (req-sign).');
  if (input.payment !== undefined && input.payment !== '2' && input.payment !== '3') invalid('payment', 'payment must be "2" or "3".');
  const placement = input.placement;
  if (!placement || !Array.isArray(placement.boxes)) invalid('placement', 'placement is required.');
  const meterai = input.meterai;
  if (meterai !== undefined) {
    if (!['2', '3', '4a', '4b'].includes(meterai.documentType)) invalid('meterai.documentType', 'meterai.documentType must be "2", "3", "4a" or "4b".');
    if (!Array.isArray(meterai.boxes) || meterai.boxes.length === 0) invalid('meterai.boxes', 'meterai.boxes must hold at least one box.');
  }
  // Signature and meterai boxes go through the core together: Digisign rejects any overlap (result 03),
  // and the `digisign` profile checks exactly that before we spend a call.
  const allBoxes = [...placement.boxes, ...(meterai?.boxes ?? [])];
  const converted = convertBoxes('digisign', { ...placement, boxes: allBoxes }, settings.profile, 'placement');
  const signatureFields = converted.slice(0, placement.boxes.length);
  const meteraiFields = converted.slice(placement.boxes.length);
  const used = new Set<number>();
  const reqSign = input.signers.map((s, i) => {
    const field = `signers[${i}]`;
    const user = s.user ?? `ttd${i + 1}`;
    if (!/^(ttd|prf)\d*$/i.test(user)) invalid(`${field}.user`, `${field}.user must be ttd<n> or prf<n>.`);
    const boxIndex = s.box ?? i;
    const f = signatureFields[boxIndex];
    if (!f) invalid(`${field}.box`, `${field} has no box in placement.boxes (index ${boxIndex}).`);
    used.add(boxIndex);
    return {
      name: requireString(s.name, `${field}.name`, 80),
      email: requireEmail(s.email, `${field}.email`, 80),
      user,
      page: f.page,
      llx: f.llx,
      lly: f.lly,
      urx: f.urx,
      ury: f.ury,
      visible: s.visible === false ? '0' : '1',
      // §5.2 lists `signing_seq` (int) under req-sign; sent only when the order matters (gap 4).
      ...(input.sequential ? { signing_seq: i + 1 } : {}),
    };
  });
  if (used.size !== signatureFields.length) invalid('placement.boxes', 'every signature box must belong to a signer.');
  const branch = optionalString(input.branch, 'branch');
  const json: Record<string, unknown> = {
    userid: userid(settings),
    document_id: documentId(input.documentId),
    payment: input.payment ?? '3',
    redirect: true, // must be true (§5.2); missing gives result 08
    ...(branch !== undefined ? { branch } : {}),
    sequence_option: input.sequential ?? false,
    ...(input.viewers && input.viewers.length
      ? {
          'send-to': input.viewers.map((v, i) => ({
            name: requireString(v.name, `viewers[${i}].name`, 80),
            email: requireEmail(v.email, `viewers[${i}].email`, 80),
          })),
        }
      : {}),
    'req-sign': reqSign,
  };
  if (meterai) {
    json[settings.meteraiField ?? DEFAULT_DIGISIGN_DIALECT.meteraiField] = meteraiFields.map((f) => ({
      llx: f.llx,
      lly: f.lly,
      urx: f.urx,
      ury: f.ury,
      page: f.page,
    }));
    json.document_type = meterai.documentType;
  }
  const name = optionalString(input.fileName, 'fileName') ?? `${input.documentId}.pdf`;
  return digisignRequest('sendDocument', json, settings, [{ field: 'file', filename: name, contentType: 'application/pdf', data: pdf }]);
}

// §6 Sign page link
export function buildDigisignSignPageRequest(input: { documentId: string; email: string; viewOnly?: boolean }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest(
    'signPage',
    {
      userid: userid(settings),
      email_user: requireEmail(input.email, 'email', 80),
      document_id: documentId(input.documentId),
      view_only: input.viewOnly ?? false,
    },
    settings,
  );
}

// §8 Downloads
export function buildDigisignDownloadPdfRequest(input: { documentId: string }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest('downloadPdf', { userid: userid(settings), document_id: documentId(input.documentId) }, settings);
}

export function buildDigisignDownloadBase64Request(input: { documentId: string }, settings: DigisignSettings): ProviderRequest {
  return digisignRequest('downloadBase64', { userid: userid(settings), document_id: documentId(input.documentId) }, settings);
}

// §9 Change e-mail or phone (users not yet activated only). Unchanged values are repeated, as in the example.
export interface DigisignChangeContactInput {
  oldEmail: string;
  newEmail: string;
  oldPhone: string;
  newPhone: string;
}

export function buildDigisignChangeContactRequest(input: DigisignChangeContactInput, settings: DigisignSettings): ProviderRequest {
  const phone = (v: unknown, f: string) => {
    const p = requireString(v, f, 15);
    if (!/^(\+62|62|08)\d+$/.test(p) || p.length < 8) invalid(f, `${f} must start with 08, 62 or +62 and have at least 8 characters.`);
    return p;
  };
  return digisignRequest(
    'changeContact',
    {
      userid: userid(settings),
      email_lama: requireEmail(input.oldEmail, 'oldEmail', 80),
      email_baru: requireEmail(input.newEmail, 'newEmail', 80),
      nohp_lama: phone(input.oldPhone, 'oldPhone'),
      nohp_baru: phone(input.newPhone, 'newPhone'),
    },
    settings,
  );
}
