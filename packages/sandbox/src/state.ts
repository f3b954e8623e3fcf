// The sandbox providers' state: demo users, passphrases, one-time codes, the OTP inbox, documents, orders,
// tiers, bulk batches and signing-system keys. Kept as one JSON file under DATA_DIR/sandbox (written
// atomically after every change) with the PDFs beside it, so that a restart keeps everything.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

export const BSRE_STATUSES = ['ISSUE', 'EXPIRED', 'RENEW', 'WAITING_FOR_VERIFICATION', 'NEW', 'NO_CERTIFICATE', 'NOT_REGISTERED', 'SUSPEND', 'REVOKE'] as const;
export type BsreStatus = (typeof BSRE_STATUSES)[number];

export interface SandboxUser {
  name: string;
  email: string;
  nik: string;
  phone: string;
  /** BSrE certificate status (D.6); only ISSUE can sign. */
  bsreStatus: BsreStatus;
  /** BSrE passphrase. */
  passphrase: string;
  /** Peruri certificate flow (§4): registered → activated → e-KYC → specimen → certificate. */
  peruri?: { activated: boolean; kyc: boolean; specimen: boolean; certificate: boolean };
  /** Digisign (§2–§4): registered, then activated through the activation page. */
  digisign?: {
    activated: boolean;
    kodeUser: string;
    password?: string;
    /** Register `redirect` (§2.2): redirect to the partner after activation, else a notice. Default true. */ redirect?: boolean;
  };
  /** The handwritten signature (PNG, base64) drawn in visible stamps when the provider uses the stored specimen. */
  specimenPng?: string;
}

export interface InboxMessage {
  id: string;
  at: string;
  provider: 'bsre' | 'peruri' | 'digisign';
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  text: string;
  /** The code "sent", when the message carries one. */
  code?: string;
}

export interface OneTimeCode {
  code: string;
  /** Epoch ms. */
  expiresAt: number;
  /** What the code unlocks (`bsre-sign:<nik>`, `peruri-order:<id>`…). */
  purpose: string;
  /** Extra data bound to the code (file count, order ids, token…). */
  data?: Record<string, unknown>;
}

/** A signer's box as the sandbox stores it: already read into the neutral model by the provider's reader. */
export interface StoredBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PeruriSignerEntry {
  visible: boolean;
  box?: StoredBox;
  certificateLevel: string;
  location?: string;
  reason?: string;
}

export interface PeruriOrder {
  orderId: string;
  email: string;
  fileName: string;
  file: string;
  signers?: PeruriSignerEntry[];
  /** `failed`: Signing was accepted but the signature never affixed (the `gagal-` file-name trigger). */
  status: 'waiting' | 'signed' | 'failed';
  orderType?: 'SYSTEM';
  /** Tiered signing (§6): e-mails in order and how many have signed. */
  tier?: { emails: string[]; next: number; uploader: string };
  locked?: boolean;
}

export interface DigisignSignerEntry {
  name: string;
  email: string;
  user: string;
  box: StoredBox;
  visible: boolean;
  seq: number;
  signed: boolean;
}

export interface DigisignDocument {
  documentId: string;
  owner: string;
  file: string;
  signers: DigisignSignerEntry[];
  sequential: boolean;
  meterai: StoredBox[];
  /** The e-meterai stamped in its boxes (with the first signing). */
  meteraiStamped?: boolean;
  viewers: { name: string; email: string }[];
}

export interface StateData {
  version: 1;
  secret: string;
  users: SandboxUser[];
  inbox: InboxMessage[];
  codes: Record<string, OneTimeCode>;
  bsre: {
    v1Documents: Record<string, { file: string; downloaded: boolean }>;
    cloudTokens: Record<string, number>;
    cloudRequests: Record<string, { signer: string; file: string; params: Record<string, string>; signed: boolean }>;
    seals: Record<string, { organisation: string; email: string; activationTotp?: string; activationExpires?: number; revoked?: boolean }>;
  };
  peruri: {
    nextOrderId: number;
    nextBulkId: number;
    orders: Record<string, PeruriOrder>;
    bulks: Record<string, { orderIds: string[]; email: string; signed: boolean }>;
    keys: Record<string, { key: string; expiresAt: number }>;
  };
  digisign: {
    documents: Record<string, DigisignDocument>;
    /** Web-view links: token → what it opens. */
    links: Record<string, { kind: 'activation' | 'sign' | 'view'; email: string; documentId?: string; expiresAt: number }>;
  };
}

const DAY = 24 * 60 * 60 * 1000;

/** A solid specimen scribble (PNG) for the demo users: a dark blue signature stroke on white. */
export function demoSpecimenPng(seed: number): Uint8Array {
  const width = 160;
  const height = 60;
  const raw = Buffer.alloc((width * 3 + 1) * height, 0xff);
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0;
  const put = (x: number, y: number) => {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= width || py >= height) continue;
        const i = py * (width * 3 + 1) + 1 + px * 3;
        raw[i] = 0x10;
        raw[i + 1] = 0x20;
        raw[i + 2] = 0x90;
      }
    }
  };
  for (let t = 0; t < 600; t++) {
    const x = 10 + (t / 600) * 140;
    put(x, 30 + 18 * Math.sin((t / 600) * (6 + (seed % 4)) * Math.PI) * Math.cos(t / 90));
  }
  return png(width, height, raw);
}

function png(width: number, height: number, raw: Buffer): Uint8Array {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (table[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** The passphrase of every seeded BSrE demo user. */
export const DEMO_PASSPHRASE = 'Sandbox#2024';

const BSRE_NAMES: Record<BsreStatus, string> = {
  ISSUE: 'Budi Santoso',
  EXPIRED: 'Citra Lestari',
  RENEW: 'Dedi Kurniawan',
  WAITING_FOR_VERIFICATION: 'Endang Wulandari',
  NEW: 'Fajar Nugroho',
  NO_CERTIFICATE: 'Gita Permata',
  NOT_REGISTERED: 'Hadi Prasetyo',
  SUSPEND: 'Indah Sari',
  REVOKE: 'Joko Widodo Susanto',
};

/** The seeded users (documented in README.md). NIKs 3171 0000 0000 0001…0009 are the BSrE statuses in order. */
export function seedUsers(): SandboxUser[] {
  const bsre = BSRE_STATUSES.map((status, i): SandboxUser => ({
    name: BSRE_NAMES[status],
    email: `${status.toLowerCase().replace(/_/g, '-')}@bsre.sandbox.test`,
    nik: `317100000000000${i + 1}`,
    phone: `08120000000${i + 1}`,
    bsreStatus: status,
    passphrase: DEMO_PASSPHRASE,
    specimenPng: Buffer.from(demoSpecimenPng(i)).toString('base64'),
  }));
  const person = (name: string, email: string, nik: string, phone: string, extra: Partial<SandboxUser>, seed: number): SandboxUser => ({
    name,
    email,
    nik,
    phone,
    bsreStatus: 'ISSUE',
    passphrase: DEMO_PASSPHRASE,
    specimenPng: Buffer.from(demoSpecimenPng(seed)).toString('base64'),
    ...extra,
  });
  return [
    ...bsre,
    person(
      'Siti Rahayu',
      'siti@peruri.sandbox.test',
      '3273000000000001',
      '081300000001',
      { peruri: { activated: true, kyc: true, specimen: true, certificate: true } },
      11,
    ),
    person(
      'Rina Marlina',
      'rina@peruri.sandbox.test',
      '3273000000000002',
      '081300000002',
      { peruri: { activated: true, kyc: true, specimen: true, certificate: true } },
      12,
    ),
    person(
      'Andi Wijaya',
      'andi@peruri.sandbox.test',
      '3273000000000003',
      '081300000003',
      { peruri: { activated: false, kyc: false, specimen: false, certificate: false } },
      13,
    ),
    person(
      'Dewi Anggraini',
      'dewi@digisign.sandbox.test',
      '3578000000000001',
      '081400000001',
      { digisign: { activated: true, kodeUser: '230500000000101', password: DEMO_PASSPHRASE } },
      21,
    ),
    person(
      'Eko Saputra',
      'eko@digisign.sandbox.test',
      '3578000000000002',
      '081400000002',
      { digisign: { activated: true, kodeUser: '230500000000102', password: DEMO_PASSPHRASE } },
      22,
    ),
    person(
      'Fitri Handayani',
      'fitri@digisign.sandbox.test',
      '3578000000000003',
      '081400000003',
      { digisign: { activated: false, kodeUser: '230500000000103' } },
      23,
    ),
  ];
}

export const SEAL_SUBSCRIBER = { idSubscriber: 'SANDBOX-SEAL-0001', organisation: 'Pemerintah Kota Sandbox', email: 'segel@pemkot.sandbox.test' };

function fresh(): StateData {
  return {
    version: 1,
    secret: randomBytes(32).toString('hex'),
    users: seedUsers(),
    inbox: [],
    codes: {},
    bsre: {
      v1Documents: {},
      cloudTokens: {},
      cloudRequests: {},
      seals: { [SEAL_SUBSCRIBER.idSubscriber]: { organisation: SEAL_SUBSCRIBER.organisation, email: SEAL_SUBSCRIBER.email } },
    },
    peruri: { nextOrderId: 3001, nextBulkId: 201, orders: {}, bulks: {}, keys: {} },
    digisign: { documents: {}, links: {} },
  };
}

export class SandboxState {
  readonly dir: string;
  readonly data: StateData;
  readonly #path: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(join(dir, 'files'), { recursive: true, mode: 0o700 });
    this.#path = join(dir, 'state.json');
    this.data = existsSync(this.#path) ? (JSON.parse(readFileSync(this.#path, 'utf8')) as StateData) : fresh();
    if (!existsSync(this.#path)) this.save();
  }

  /** Writes the state atomically (a temporary file renamed over the old one). */
  save(): void {
    const tmp = `${this.#path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    renameSync(tmp, this.#path);
  }

  putFile(bytes: Uint8Array): string {
    const name = `${randomUUID()}.pdf`;
    writeFileSync(join(this.dir, 'files', name), bytes, { mode: 0o600 });
    return name;
  }

  getFile(name: string): Uint8Array {
    if (!/^[0-9a-f-]+\.pdf$/.test(name)) throw new Error('bad file name');
    return new Uint8Array(readFileSync(join(this.dir, 'files', name)));
  }

  userByNik(nik: string): SandboxUser | undefined {
    // Users registered by e-mail only (BSrE D.7) have no NIK: an empty NIK finds nobody.
    return nik ? this.data.users.find((u) => u.nik === nik) : undefined;
  }

  userByEmail(email: string): SandboxUser | undefined {
    const e = email.trim().toLowerCase();
    return this.data.users.find((u) => u.email.toLowerCase() === e);
  }

  /** "Sends" a message: it lands in the sandbox inbox (page and JSON route). */
  deliver(message: Omit<InboxMessage, 'id' | 'at'>): InboxMessage {
    const m: InboxMessage = { id: randomUUID(), at: new Date().toISOString(), ...message };
    this.data.inbox.unshift(m);
    if (this.data.inbox.length > 500) this.data.inbox.length = 500;
    this.save();
    return m;
  }

  /** A new numeric one-time code for `key` (replacing an earlier one). */
  issueCode(key: string, purpose: string, lifetimeMs: number, data?: Record<string, unknown>): OneTimeCode {
    const code: OneTimeCode = {
      code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      expiresAt: Date.now() + lifetimeMs,
      purpose,
      ...(data ? { data } : {}),
    };
    this.data.codes[key] = code;
    this.save();
    return code;
  }

  /** Checks and consumes a code: one use only, within its lifetime. */
  takeCode(key: string, code: string): OneTimeCode | undefined {
    const c = this.data.codes[key];
    if (!c || c.code !== code || c.expiresAt < Date.now()) return undefined;
    delete this.data.codes[key];
    this.save();
    return c;
  }

  token(bytes = 16): string {
    return randomBytes(bytes).toString('hex');
  }
}

export const LIFETIME = { otp: 5 * 60 * 1000, day: DAY };
