// Strict simulators: for each documented ambiguity, the sandbox accepts exactly the dialect the deployment
// selects (the seeds' tables by default) and answers the other with the provider's own error — so an
// adapter that drifts from the deployment's reading (issue #14: v2 sending `otp` where `totp` is expected)
// fails here, against the simulator, instead of on a first live signing. Each switch is tried four ways:
// {simulator default, simulator alternative} × {adapter default, adapter alternative}.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BsreCloudClient,
  BsreEsignClient,
  DEFAULT_DIALECTS,
  DIALECT_SWITCHES,
  DigisignClient,
  PeruriClient,
  type Dialects,
} from '../../../server/src/providers/adapters.js';
import { DEMO_PASSPHRASE } from '../src/state.js';
import { GEOMETRY_CASES } from '../../../test/fixtures/geometry-pdf.js';
import {
  CREDENTIALS,
  GREEN,
  RED,
  boundsOf,
  geometriesOf,
  geometryCasePdf,
  latestCode,
  rejects,
  removeDir,
  samplePdf,
  selectSettings,
  solidPng,
  startSandbox,
  type Sandbox,
} from './harness.js';

const BUDI = { nik: '3171000000000001', email: 'issue@bsre.sandbox.test' };
const SITI = 'siti@peruri.sandbox.test';
const SEAL = 'SANDBOX-SEAL-0001';
const FITRI = { email: 'fitri@digisign.sandbox.test', phone: '081400000003' };
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(200).fill(7), 0xff, 0xd9]);

let sb: Sandbox;
before(async () => {
  sb = await startSandbox('dialects');
});
after(async () => {
  await sb.close();
  removeDir(sb.dir);
});

type Patch = { [P in keyof Dialects]?: Partial<Dialects[P]> };
const dialects = (patch: Patch): Dialects => ({
  bsre: { ...DEFAULT_DIALECTS.bsre, ...patch.bsre },
  bsreCloud: { ...DEFAULT_DIALECTS.bsreCloud, ...patch.bsreCloud },
  peruri: { ...DEFAULT_DIALECTS.peruri, ...patch.peruri },
  digisign: { ...DEFAULT_DIALECTS.digisign, ...patch.digisign },
});

const bsre = (patch: Partial<Dialects['bsre']> = {}) =>
  new BsreEsignClient({ baseUrl: `${sb.base}/bsre`, username: CREDENTIALS.bsreUsername, password: CREDENTIALS.bsrePassword, ...patch }, { retries: 0 });
const cloud = (patch: Partial<Dialects['bsreCloud']> = {}) =>
  new BsreCloudClient(
    { baseUrl: `${sb.base}/bsre`, clientId: CREDENTIALS.bsreCloudClientId, clientSecret: CREDENTIALS.bsreCloudClientSecret, ...patch },
    { retries: 0 },
  );
const peruri = (patch: Partial<Dialects['peruri']> = {}) =>
  new PeruriClient({ baseUrl: `${sb.base}/peruri`, apiKey: CREDENTIALS.peruriApiKey, systemId: CREDENTIALS.peruriSystemId, ...patch }, { retries: 0 });
const digisign = (patch: Partial<Dialects['digisign']> = {}) =>
  new DigisignClient({ baseUrl: `${sb.base}/digisign`, token: CREDENTIALS.digisignToken, userid: CREDENTIALS.digisignUserId, ...patch }, { retries: 0 });

/**
 * One switch: `run(adapterPatch)` performs the operation with an adapter speaking that dialect;
 * `refusal(selected, sent)` is what the simulator answers when they differ.
 */
interface Case {
  variable: string;
  provider: keyof Dialects;
  setting: string;
  alternative: string;
  run: (adapter: Record<string, string>) => Promise<unknown>;
  refusal: (selected: string, sent: string) => Record<string, unknown>;
}

const cases: Case[] = [
  {
    variable: 'BSRE_SIGN_OTP_FIELD',
    provider: 'bsre',
    setting: 'signOtpField',
    alternative: 'otp',
    async run(adapter) {
      await bsre().requestSignTotp({ nik: BUDI.nik, fileCount: 1 });
      const totp = await latestCode(sb, BUDI.email);
      return bsre(adapter).signPdf({ signer: { nik: BUDI.nik }, credential: { totp }, files: [await samplePdf(1)], signatures: [{ visible: false }] });
    },
    refusal: (selected, sent) => ({ code: 'provider-rejected', providerCode: '2001', providerMessage: `Parameter ${sent} tidak dikenal, gunakan ${selected}` }),
  },
  {
    variable: 'BSRE_SEAL_TOTP_DATA_TYPE',
    provider: 'bsre',
    setting: 'sealTotpDataType',
    alternative: 'number',
    async run(adapter) {
      await bsre().sealActivation({ idSubscriber: SEAL });
      const activation = await latestCode(sb, 'segel@pemkot.sandbox.test');
      return bsre(adapter).requestSealTotp({ idSubscriber: SEAL, activationTotp: activation, fileCount: 2 });
    },
    refusal: (selected) => ({
      providerCode: '2001',
      providerMessage: selected === 'number' ? 'data harus berupa angka (jumlah file)' : 'data harus berupa string angka (jumlah file)',
    }),
  },
  {
    variable: 'BSRE_V1_USER_STATUS_PATH',
    provider: 'bsre',
    setting: 'v1UserStatusPath',
    alternative: '/esign/v1/status/{nik}/check',
    run: (adapter) => bsre(adapter).v1UserStatus({ nik: BUDI.nik }),
    refusal: () => ({ code: 'provider-http-error', providerCode: '404' }),
  },
  {
    variable: 'BSRE_CLOUD_TOKEN_PLACEMENT',
    provider: 'bsreCloud',
    setting: 'tokenPlacement',
    alternative: 'query',
    async run(adapter) {
      return cloud(adapter).verify({ pdf: await samplePdf(1) });
    },
    refusal: () => ({ httpStatus: 502, providerCode: '401' }),
  },
  {
    variable: 'PERURI_BULK_OTP_ORDER_ID_TYPE',
    provider: 'peruri',
    setting: 'bulkOtpOrderIdType',
    alternative: 'number',
    async run(adapter) {
      const pdf = await samplePdf(1);
      const { orderIds } = await peruri().sendDocumentBulk({
        email: SITI,
        files: [{ fileName: 'a.pdf', pdf }],
        placement: { boxes: [{ page: 1, x: 60, y: 60, width: 120, height: 50 }], pages: await geometriesOf(pdf) },
      });
      return peruri(adapter).getOtpBulk({ orderIds });
    },
    refusal: (selected) => ({
      code: 'provider-rejected',
      providerCode: '4001',
      providerMessage: `data[0].orderId harus berupa ${selected === 'number' ? 'angka' : 'string'}`,
    }),
  },
  {
    variable: 'PERURI_SET_SIGNATURE_SIGNER',
    provider: 'peruri',
    setting: 'setSignatureSigner',
    alternative: 'object',
    async run(adapter) {
      const pdf = await samplePdf(1);
      const { orderIds } = await peruri().sendDocumentBulk({ email: SITI, files: [{ fileName: 'b.pdf', pdf }] });
      return peruri(adapter).setSignature({
        orderId: orderIds[0]!,
        placement: { boxes: [{ page: 1, x: 60, y: 60, width: 120, height: 50 }], pages: await geometriesOf(pdf) },
      });
    },
    refusal: (selected) => ({ providerCode: '4001', providerMessage: `signer harus berupa ${selected === 'array' ? 'array' : 'objek'}` }),
  },
  {
    variable: 'PERURI_ORDER_TYPE_PLACEMENT',
    provider: 'peruri',
    setting: 'orderTypePlacement',
    alternative: 'payload',
    async run(adapter) {
      return peruri(adapter).sendDocument({ email: SITI, fileName: 'system.pdf', pdf: await samplePdf(1), orderType: 'SYSTEM' });
    },
    refusal: (selected) => ({ providerCode: '4001', providerMessage: `orderType tidak dikenal di ${selected === 'param' ? 'payload' : 'param'}` }),
  },
  {
    variable: 'DIGISIGN_METERAI_FIELD',
    provider: 'digisign',
    setting: 'meteraiField',
    alternative: 'meterai-positions',
    async run(adapter) {
      const pdf = await samplePdf(1);
      return digisign(adapter).sendDocument({
        documentId: `mt-${Math.random().toString(36).slice(2, 10)}`,
        pdf,
        signers: [{ name: 'Dewi', email: 'dewi@digisign.sandbox.test' }],
        placement: { boxes: [{ page: 1, x: 60, y: 60, width: 120, height: 50 }], pages: await geometriesOf(pdf) },
        meterai: { boxes: [{ page: 1, x: 300, y: 60, width: 90, height: 90 }], documentType: '2' },
      });
    },
    refusal: (selected, sent) => ({
      code: 'invalid-input',
      providerCode: '28',
      providerMessage: `Request API tidak lengkap. — ${sent} tidak dikenal, gunakan ${selected}`,
    }),
  },
  {
    variable: 'DIGISIGN_GENDER_CASE',
    provider: 'digisign',
    setting: 'genderCase',
    alternative: 'lower',
    async run(adapter) {
      const n = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
      return digisign(adapter).register({
        name: 'Warga Uji',
        phone: `0813${n}7`,
        birthDate: '1990-01-02',
        nik: `337400000${n}1`,
        placeOfBirth: 'Semarang',
        email: `warga-${n}@warga.sandbox.test`,
        gender: 'male',
        ktpPhoto: JPEG,
        selfie: JPEG,
      });
    },
    refusal: (selected) => ({
      code: 'invalid-input',
      providerCode: '28',
      providerMessage: `Request API tidak lengkap. — jenis_kelamin harus ${selected === 'capitalized' ? 'Laki-laki atau Perempuan' : 'laki-laki atau perempuan'}`,
    }),
  },
  {
    variable: 'DIGISIGN_CHANGE_CONTACT_URL',
    provider: 'digisign',
    setting: 'changeContactUrl',
    alternative: '', // set in before(): under this simulator, another path
    run: (adapter) => digisign(adapter).changeContact({ oldEmail: FITRI.email, newEmail: FITRI.email, oldPhone: FITRI.phone, newPhone: FITRI.phone }),
    refusal: () => ({ code: 'provider-http-error', providerCode: '404' }),
  },
];

describe('strict simulators: one dialect each, the one the deployment selects', () => {
  before(() => {
    cases.find((c) => c.variable === 'DIGISIGN_CHANGE_CONTACT_URL')!.alternative = `${sb.base}/digisign/ubah-kontak/UPDATE-EP.html`;
  });

  it('covers every documented ambiguity', () => {
    assert.deepEqual(cases.map((c) => c.variable).sort(), DIALECT_SWITCHES.map((s) => s.variable).sort());
    for (const c of cases) assert.equal(DIALECT_SWITCHES.find((s) => s.variable === c.variable)!.setting, c.setting);
  });

  for (const c of cases) {
    it(`${c.variable}: accepts the selected dialect only, refuses the other with the provider's error`, async () => {
      const defaultValue = String((DEFAULT_DIALECTS[c.provider] as unknown as Record<string, unknown>)[c.setting] ?? '');
      const alternative = c.alternative;
      // The deployment keeps the default: an adapter speaking the default works, the alternative is refused.
      await c.run({});
      await rejects(c.run({ [c.setting]: alternative }), c.refusal(defaultValue, alternative));
      // The deployment selects the alternative (config.ts builds both sides from it): the other way round.
      const undo = selectSettings(sb, { dialects: dialects({ [c.provider]: { [c.setting]: alternative } } as Patch) });
      try {
        await c.run({ [c.setting]: alternative });
        if (defaultValue) await rejects(c.run({ [c.setting]: defaultValue }), c.refusal(alternative, defaultValue));
        else await rejects(c.run({}), c.refusal(alternative, defaultValue));
      } finally {
        undo();
      }
    });
  }

  it("a v2 signing with the examples' `otp` never consumes the code: the schema's `totp` still signs with it", async () => {
    await bsre().requestSignTotp({ nik: BUDI.nik, fileCount: 1 });
    const totp = await latestCode(sb, BUDI.email);
    const pdf = await samplePdf(1);
    await rejects(bsre({ signOtpField: 'otp' }).signPdf({ signer: { nik: BUDI.nik }, credential: { totp }, files: [pdf], signatures: [{ visible: false }] }), {
      providerCode: '2001',
    });
    const { files } = await bsre().signPdf({ signer: { nik: BUDI.nik }, credential: { totp }, files: [pdf], signatures: [{ visible: false }] });
    assert.equal(files.length, 1);
    // …and the passphrase path is untouched by the switch.
    await bsre({ signOtpField: 'otp' }).signPdf({
      signer: { nik: BUDI.nik },
      credential: { passphrase: DEMO_PASSPHRASE },
      files: [pdf],
      signatures: [{ visible: false }],
    });
  });
});

describe('strict simulators: the coordinate profiles too', () => {
  it('BSRE_PROFILE_V2={"origin":"bottom-left"}: the simulator reads originY from the bottom; an adapter that agrees lands on the box, one that does not lands elsewhere', async () => {
    const { pdf, box, pages } = await geometryCasePdf(GEOMETRY_CASES[0]!);
    const sign = async (profile?: { origin: 'bottom-left' }) => {
      const client = new BsreEsignClient({
        baseUrl: `${sb.base}/bsre`,
        username: CREDENTIALS.bsreUsername,
        password: CREDENTIALS.bsrePassword,
        ...(profile ? { profileV2: profile } : {}),
      });
      const { files } = await client.signPdf({
        signer: { nik: BUDI.nik },
        credential: { passphrase: DEMO_PASSPHRASE },
        files: [pdf],
        signatures: [{ visible: true, image: solidPng(box.width, box.height, GREEN), box, pages }],
      });
      return boundsOf(sb.dir, files[0]!, 1, GREEN);
    };
    const red = await boundsOf(sb.dir, pdf, 1, RED);
    assert.ok(red);
    const near = (got: Awaited<ReturnType<typeof boundsOf>>) =>
      got !== undefined && (['left', 'top', 'right', 'bottom'] as const).every((k) => Math.abs(got[k] - red[k]) <= 1);
    assert.ok(near(await sign()), 'both on the default (top-left): on the box');
    const undo = selectSettings(sb, { profiles: { bsreV2: { origin: 'bottom-left' } } });
    try {
      assert.ok(near(await sign({ origin: 'bottom-left' })), 'both bottom-left: on the box');
      const drifted = await sign();
      assert.ok(drifted && !near(drifted), `an adapter still on top-left lands elsewhere (${JSON.stringify(drifted)} vs ${JSON.stringify(red)})`);
    } finally {
      undo();
    }
  });
});
