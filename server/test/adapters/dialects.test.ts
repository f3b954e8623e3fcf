// Every documented ambiguity is a deployment setting: settable from the configuration, validated at start
// (one message per bad value), listed in docs/configuration.md with its default, evidence and alternative,
// and carried by the configured adapters onto the wire. One round trip per switch, default and alternative,
// through loadConfig → buildProviders → the client → msw (what the "provider" receives).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';
import { DEFAULT_DIALECTS, DIALECT_SWITCHES } from '../../src/providers/adapters.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log/logger.js';
import { buildProviders, type Providers } from '../../src/providers/index.js';
import { PDF, a4, mockProvider, see, type Seen } from './helpers.js';

const server = mockProvider();
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const ENV: Record<string, string> = {
  ESIGN_MODE: 'live',
  PUBLIC_URL: 'https://esign.portal.test',
  PORTAL_ORIGINS: 'https://portal.test',
  PORTAL_SECRET: 'a-portal-secret-of-at-least-32-bytes!!',
  BSRE_URL: 'https://bsre.test',
  BSRE_USERNAME: 'user',
  BSRE_PASSWORD: 'password',
  BSRE_CLOUD_URL: 'https://cloud.bsre.test',
  BSRE_CLOUD_CLIENT_ID: 'client',
  BSRE_CLOUD_CLIENT_SECRET: 'secret',
  PERURI_URL: 'https://peruri.test/gateway',
  PERURI_API_KEY: 'apikey',
  PERURI_SYSTEM_ID: 'SYS',
  DIGISIGN_URL: 'https://digisign.test',
  DIGISIGN_TOKEN: 'token',
  DIGISIGN_USERID: 'admin@partner.test',
};

function providers(extra: Record<string, string> = {}): Providers {
  const dir = mkdtempSync(join(tmpdir(), 'esign-dialects-'));
  dirs.push(dir);
  return buildProviders(loadConfig({ ...ENV, DATA_DIR: dir, ...extra }), { logger: createLogger({ level: 'silent' }), retries: 0 });
}

function record(method: 'get' | 'post', url: string, reply: () => Response): Seen[] {
  const seen: Seen[] = [];
  server.use(http[method](url, async ({ request }) => (seen.push(await see(request)), reply())));
  return seen;
}

const pdf64 = Buffer.from(PDF).toString('base64');
const peruriOk = (data?: unknown) => () => HttpResponse.json({ resultCode: '0', resultDesc: 'Success', ...(data !== undefined ? { data } : {}) });
const digisignOk =
  (fields: Record<string, unknown> = {}) =>
  () =>
    new HttpResponse(JSON.stringify({ JSONFile: { result: '00', notif: 'ok', ...fields } }), { headers: { 'content-type': 'text/html' } });
const jsonfield = (s: Seen | undefined) => (JSON.parse(s?.form?.get('jsonfield') as string) as { JSONFile: Record<string, unknown> }).JSONFile;
const jpeg = () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(60).fill(0)]);
const withJwt = () => record('post', 'https://peruri.test/gateway/jwt/1.0/getJsonWebToken/v1', peruriOk({ jwt: 'jwt' }));

/** For each switch: what the wire carries for a value (run through the configured adapters). */
const ROUND_TRIPS: Record<string, { values: [string, string]; wire: (p: Providers) => Promise<unknown> }> = {
  BSRE_SIGN_OTP_FIELD: {
    values: ['totp', 'otp'],
    async wire(p) {
      const seen = record('post', 'https://bsre.test/api/v2/sign/pdf', () => HttpResponse.json({ time: 1, file: [pdf64] }));
      await p.bsre!.client.signPdf({ signer: { nik: '3171000000000001' }, credential: { totp: '123456' }, files: [PDF], signatures: [{ visible: false }] });
      return Object.keys(seen[0]!.json as object).filter((k) => k === 'otp' || k === 'totp');
    },
  },
  BSRE_SEAL_TOTP_DATA_TYPE: {
    values: ['string', 'number'],
    async wire(p) {
      const seen = record('post', 'https://bsre.test/api/v2/seal/get/totp', () =>
        HttpResponse.json({ message: 'TOTP berhasil dibuat', totp: '1', result: true }),
      );
      await p.bsre!.client.requestSealTotp({ idSubscriber: 'SUB', activationTotp: 'ACT', fileCount: 2 });
      return typeof (seen[0]!.json as { data: unknown }).data;
    },
  },
  BSRE_V1_USER_STATUS_PATH: {
    values: ['/api/user/status/{nik}', '/esign/v1/status/{nik}/check'],
    async wire(p) {
      const seen = record('get', 'https://bsre.test/*', () => HttpResponse.json({ status: 'ISSUE' }));
      await p.bsre!.client.v1UserStatus({ nik: '3171000000000001' });
      return seen[0]!.url.pathname.replace('3171000000000001', '{nik}');
    },
  },
  BSRE_CLOUD_TOKEN_PLACEMENT: {
    values: ['header', 'query'],
    async wire(p) {
      record('post', 'https://cloud.bsre.test/oauth/token', () => HttpResponse.json({ access_token: 'tok-1', token_type: 'bearer', expires_in: 3599 }));
      const seen = record('post', 'https://cloud.bsre.test/api/v2/entity/verify/', () => HttpResponse.json({ summary: 'DOCUMENT VALID !!!', details: [] }));
      await p.bsreCloud!.client.verify({ pdf: PDF });
      const s = seen[0]!;
      return s.headers.get('authorization') === 'Bearer tok-1' ? 'header' : s.url.searchParams.get('access_token') === 'tok-1' ? 'query' : 'neither';
    },
  },
  PERURI_BULK_OTP_ORDER_ID_TYPE: {
    values: ['string', 'number'],
    async wire(p) {
      withJwt();
      const seen = record('post', 'https://peruri.test/gateway/digitalSignatureFullJwt/1.0/getOtpBulk/v1', peruriOk({ token: 't', orderIdBulk: '1' }));
      await p.peruri!.client.getOtpBulk({ orderIds: ['3845'] });
      return typeof (seen[0]!.json as { requestGetOtpBulk: { data: { orderId: unknown }[] } }).requestGetOtpBulk.data[0]!.orderId;
    },
  },
  PERURI_SET_SIGNATURE_SIGNER: {
    values: ['array', 'object'],
    async wire(p) {
      withJwt();
      const seen = record('post', 'https://peruri.test/gateway/digitalSignatureFullJwt/1.0/setSignature/v1', peruriOk());
      await p.peruri!.client.setSignature({ orderId: '7492', placement: { boxes: [{ page: 1, x: 454, y: 45, width: 75, height: 71 }], pages: a4() } });
      return Array.isArray((seen[0]!.json as { requestSetSignature: { signer: unknown } }).requestSetSignature.signer) ? 'array' : 'object';
    },
  },
  PERURI_ORDER_TYPE_PLACEMENT: {
    values: ['param', 'payload'],
    async wire(p) {
      withJwt();
      const seen = record('post', 'https://peruri.test/gateway/digitalSignatureFullJwt/1.0/sendDocument/v1', peruriOk({ orderId: '1' }));
      await p.peruri!.client.sendDocument({ email: 'a@b.id', fileName: 'x.pdf', pdf: PDF, orderType: 'SYSTEM' });
      const param = (seen[0]!.json as { param: { orderType?: string; payload: { orderType?: string } } }).param;
      return param.orderType === 'SYSTEM' ? 'param' : param.payload.orderType === 'SYSTEM' ? 'payload' : 'neither';
    },
  },
  DIGISIGN_METERAI_FIELD: {
    values: ['meterai_positions', 'meterai-positions'],
    async wire(p) {
      const seen = record('post', 'https://digisign.test/SendDocMitraAT.html', digisignOk());
      await p.digisign!.client.sendDocument({
        documentId: 'D-1',
        pdf: PDF,
        signers: [{ name: 'A', email: 'a@b.id' }],
        placement: { boxes: [{ page: 1, x: 50, y: 50, width: 100, height: 50 }], pages: a4() },
        meterai: { boxes: [{ page: 1, x: 300, y: 50, width: 90, height: 90 }], documentType: '2' },
      });
      return Object.keys(jsonfield(seen[0])).filter((k) => k.startsWith('meterai'));
    },
  },
  DIGISIGN_GENDER_CASE: {
    values: ['capitalized', 'lower'],
    async wire(p) {
      const seen = record('post', 'https://digisign.test/REG-MITRA.html', digisignOk({ kode_user: '1' }));
      await p.digisign!.client.register({
        name: 'Budi',
        phone: '081234567890',
        birthDate: '1990-01-02',
        nik: '3171000000000001',
        placeOfBirth: 'Jakarta',
        email: 'b@c.id',
        gender: 'male',
        ktpPhoto: jpeg(),
        selfie: jpeg(),
      });
      return jsonfield(seen[0]).jenis_kelamin;
    },
  },
  DIGISIGN_CHANGE_CONTACT_URL: {
    values: ['<DIGISIGN_URL>/UPDATE-EP.html', 'https://api.tandatangan.com/UPDATE-EP.html'],
    async wire(p) {
      const a = record('post', 'https://digisign.test/UPDATE-EP.html', digisignOk());
      const b = record('post', 'https://api.tandatangan.com/UPDATE-EP.html', digisignOk());
      await p.digisign!.client.changeContact({ oldEmail: 'a@b.id', newEmail: 'a@b.id', oldPhone: '081234567890', newPhone: '081234567891' });
      return a.length ? '<DIGISIGN_URL>/UPDATE-EP.html' : b.length ? 'https://api.tandatangan.com/UPDATE-EP.html' : 'neither';
    },
  },
};

/** What the wire shows for a value, in the form `wire` returns it. */
const expected: Record<string, (v: string) => unknown> = {
  BSRE_SIGN_OTP_FIELD: (v) => [v],
  BSRE_SEAL_TOTP_DATA_TYPE: (v) => v,
  BSRE_V1_USER_STATUS_PATH: (v) => v,
  BSRE_CLOUD_TOKEN_PLACEMENT: (v) => v,
  PERURI_BULK_OTP_ORDER_ID_TYPE: (v) => v,
  PERURI_SET_SIGNATURE_SIGNER: (v) => v,
  PERURI_ORDER_TYPE_PLACEMENT: (v) => v,
  DIGISIGN_METERAI_FIELD: (v) => [v],
  DIGISIGN_GENDER_CASE: (v) => (v === 'capitalized' ? 'Laki-laki' : 'laki-laki'),
  DIGISIGN_CHANGE_CONTACT_URL: (v) => v,
};

describe('documented ambiguities are deployment settings', () => {
  it('one round trip per switch: ten switches, each with a default from the seeds', () => {
    assert.deepEqual(DIALECT_SWITCHES.map((s) => s.variable).sort(), Object.keys(ROUND_TRIPS).sort());
    for (const s of DIALECT_SWITCHES) {
      const d = DEFAULT_DIALECTS[s.provider] as unknown as Record<string, unknown>;
      assert.ok(s.setting in d, `${s.variable} fills ${s.provider}.${s.setting}`);
      if (s.kind === 'enum') assert.equal(d[s.setting], s.default);
      assert.match(s.evidence, /seed 00[0-4]/, `${s.variable} cites its seed`);
      assert.match(s.alternative, /\S/);
    }
  });

  for (const s of DIALECT_SWITCHES) {
    const trip = ROUND_TRIPS[s.variable]!;
    it(`${s.variable}: default ${s.default}, alternative ${trip.values[1]}, carried onto the wire`, async () => {
      assert.equal(trip.values[0], s.default);
      assert.deepEqual(await trip.wire(providers()), expected[s.variable]!(trip.values[0]), 'unset: the default');
      assert.deepEqual(await trip.wire(providers({ [s.variable]: trip.values[1] })), expected[s.variable]!(trip.values[1]), 'set: the alternative');
      if (s.kind === 'enum')
        assert.deepEqual(await trip.wire(providers({ [s.variable]: trip.values[0] })), expected[s.variable]!(trip.values[0]), 'set: the default, explicitly');
    });
  }

  it('the ESIGN_CONFIG file sets them too; the configuration keeps them per provider', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esign-dialects-'));
    dirs.push(dir);
    const file = join(dir, 'esign.json');
    writeFileSync(file, JSON.stringify({ BSRE_SIGN_OTP_FIELD: 'otp', DIGISIGN_GENDER_CASE: 'lower' }));
    const c = loadConfig({ ...ENV, DATA_DIR: dir, ESIGN_CONFIG: file });
    assert.equal(c.providers.bsre?.dialect.signOtpField, 'otp');
    assert.equal(c.providers.digisign?.dialect.genderCase, 'lower');
    assert.deepEqual(c.providers.peruri?.dialect, DEFAULT_DIALECTS.peruri);
  });

  it('a bad value stops the start: one message per variable, naming it and the allowed values', () => {
    const bad: Record<string, string> = {
      BSRE_SIGN_OTP_FIELD: 'OTP',
      BSRE_SEAL_TOTP_DATA_TYPE: 'int',
      BSRE_V1_USER_STATUS_PATH: 'api/user/status',
      BSRE_CLOUD_TOKEN_PLACEMENT: 'cookie',
      PERURI_BULK_OTP_ORDER_ID_TYPE: 'integer',
      PERURI_SET_SIGNATURE_SIGNER: 'list',
      PERURI_ORDER_TYPE_PLACEMENT: 'signer',
      DIGISIGN_METERAI_FIELD: 'meterai',
      DIGISIGN_GENDER_CASE: 'upper',
      DIGISIGN_CHANGE_CONTACT_URL: 'http://api.tandatangan.com/UPDATE-EP.html',
    };
    const dir = mkdtempSync(join(tmpdir(), 'esign-dialects-'));
    dirs.push(dir);
    let problems: string[] = [];
    try {
      loadConfig({ ...ENV, DATA_DIR: dir, ...bad });
      assert.fail('expected a ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      problems = e.problems;
    }
    assert.equal(problems.length, Object.keys(bad).length, problems.join('\n'));
    for (const name of Object.keys(bad)) assert.equal(problems.filter((p) => p.startsWith(name)).length, 1, `one message for ${name}`);
    assert.ok(
      problems.some((p) => p === 'BSRE_SIGN_OTP_FIELD must be "totp" or "otp" (got "OTP").'),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => /^BSRE_V1_USER_STATUS_PATH .*\{nik\}/.test(p)));
    assert.ok(problems.some((p) => p === 'DIGISIGN_CHANGE_CONTACT_URL must be an https URL in live mode.'));
    // A provider that is not configured still has its switches checked: a typo is never ignored.
    const { BSRE_URL: _u, BSRE_USERNAME: _n, BSRE_PASSWORD: _p, ...withoutBsre } = ENV;
    assert.throws(
      () => loadConfig({ ...withoutBsre, DATA_DIR: dir, BSRE_SIGN_OTP_FIELD: 'otpp' }),
      (e: unknown) => e instanceof ConfigError && e.problems.length === 1,
    );
  });

  it('docs/configuration.md lists every switch with its default, its evidence and the alternative', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url)), 'utf8');
    for (const s of DIALECT_SWITCHES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${s.variable}\``));
      assert.ok(row, `a table row for ${s.variable}`);
      assert.ok(row.includes(`\`${s.default}\``), `${s.variable}: its default ${s.default}`);
      assert.ok(row.includes(s.evidence), `${s.variable}: its evidence, as dialects.ts words it`);
      assert.ok(row.includes(s.alternative), `${s.variable}: its alternative, as dialects.ts words it`);
    }
  });
});
