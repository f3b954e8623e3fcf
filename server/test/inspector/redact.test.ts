import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, redactHeaders, redactJson, redactUrl, requestBody, textBody } from '../../src/inspector/redact.js';

const BASE64_PDF = Buffer.alloc(3000, 7).toString('base64');

describe('inspector redaction', () => {
  it('hides credentials and one-time codes in JSON, at any depth, and keeps the rest', () => {
    const out = redactJson({
      nik: '3171000000000001',
      passphrase: 'Sandbox#2024',
      signatureProperties: [{ tampilan: 'VISIBLE', page: 1, originX: 10 }],
      param: { email: 'siti@peruri.sandbox.test', otpCode: '123456', systemId: 'PORTAL-SYS' },
      JSONFile: { userid: 'admin@partner.test', token: 'digisign-token' },
    });
    assert.deepEqual(out, {
      nik: '3171000000000001',
      passphrase: REDACTED,
      signatureProperties: [{ tampilan: 'VISIBLE', page: 1, originX: 10 }],
      param: { email: 'siti@peruri.sandbox.test', otpCode: REDACTED, systemId: 'PORTAL-SYS' },
      JSONFile: { userid: 'admin@partner.test', token: REDACTED },
    });
  });

  it('summarises base64 documents and images instead of printing them', () => {
    assert.deepEqual(redactJson({ file: [BASE64_PDF], imageBase64: 'abc' }), { file: ['[base64, 2.9 KB]'], imageBase64: 'abc' });
  });

  it('keeps an empty secret field visible: sending it empty is the lesson, not a secret', () => {
    assert.deepEqual(redactJson({ passphrase: '', totp: null }), { passphrase: '', totp: null });
  });

  it('keeps the authentication scheme of a header and hides the credential', () => {
    assert.deepEqual(
      redactHeaders([
        ['Authorization', 'Basic YnNyZTpwYXNz'],
        ['x-api-key', 'k-123'],
        ['Content-Type', 'application/json'],
      ]),
      {
        authorization: `Basic ${REDACTED}`,
        'x-api-key': REDACTED,
        'content-type': 'application/json',
      },
    );
  });

  it('hides secret query parameters (the BSrE cloud service takes them in the URL)', () => {
    assert.equal(redactUrl('https://cloud.test/api/sign?client_secret=s3cr3t&id=5'), `https://cloud.test/api/sign?client_secret=${REDACTED}&id=5`);
    assert.equal(redactUrl('not a url'), '[unreadable URL]');
  });

  it('lists a multipart body field by field, files by name, type and size', () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(1234)], { type: 'application/pdf' }), 'a.pdf');
    form.append('nik', '3171000000000001');
    form.append('passphrase', 'Sandbox#2024');
    form.append('profile', '{"tampilan":"visible","password":"x"}');
    assert.deepEqual(requestBody(form, ''), {
      kind: 'form',
      fields: [
        { name: 'file', file: { name: 'a.pdf', type: 'application/pdf', size: 1234 } },
        { name: 'nik', value: '3171000000000001' },
        { name: 'passphrase', value: REDACTED },
        { name: 'profile', value: { tampilan: 'visible', password: REDACTED } },
      ],
    });
  });

  it('shows bytes by size, text that is not JSON as text, and nothing as nothing', () => {
    assert.deepEqual(requestBody(new Uint8Array(10), 'application/pdf'), { kind: 'binary', type: 'application/pdf', size: 10 });
    assert.deepEqual(requestBody(undefined, ''), { kind: 'none' });
    assert.deepEqual(textBody('{broken', 'application/json'), { kind: 'text', text: '{broken' });
    assert.deepEqual(requestBody(new URLSearchParams({ grant_type: 'x', client_secret: 'y' }), ''), {
      kind: 'form',
      fields: [
        { name: 'grant_type', value: 'x' },
        { name: 'client_secret', value: REDACTED },
      ],
    });
  });
});
