// The token-minting snippets of docs/configuration.md (*Portal tokens*), run as a portal's backend would run
// them — Node with jose, PHP and Java when their runtimes are installed (skipped with the reason otherwise) —
// and each token they print checked by the server's own verifier (jose) and identity reading: HS256 with the
// secret, and the asymmetric variant with the public key the server would be configured with.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { grantOf } from '../../server/src/auth/identity.js';
import { PortalTokenVerifier } from '../../server/src/auth/jwt.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
const SECRET = 'portal-secret-for-the-snippets-0123456789';
const NIK = '3171000000000001';
const EMAIL = 'budi@instansi.go.id';

/** The first fenced block of `language` after the paragraph starting with `lead`. */
function snippet(lead: string, language: string): string {
  const at = DOC.indexOf(`\n${lead}`);
  assert.ok(at >= 0, `no "${lead}" in docs/configuration.md`);
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(DOC.slice(at));
  assert.ok(block, `no ${language} block after "${lead}"`);
  return block[1]!;
}

const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0 || spawnSync(cmd, ['-version'], { stdio: 'ignore' }).status === 0;

/** The server's reading of a token: verified with `keys`, then its identities and scope. */
async function readToken(token: string, keys: { secret?: string; publicKey?: string }) {
  const claims = await new PortalTokenVerifier(keys).verify(token.trim());
  const grant = grantOf(claims, true);
  return { sub: claims.sub, niks: [...grant.niks], emails: [...grant.emails], scopes: [...grant.scopes] };
}

describe('the token snippets of docs/configuration.md', { timeout: 120_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'esign-snippets-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPrivate = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const expected = { sub: 'portal-user-7', niks: [NIK], emails: [EMAIL], scopes: ['esign:org'] };

  it("Node (jose): HS256 with the secret and ES256 with the portal's private key", async () => {
    const dir = join(work, 'node');
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', 'jose'), join(dir, 'node_modules', 'jose'));
    writeFileSync(join(dir, 'esign-token.mjs'), snippet('Node (with [jose]', 'js'));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(
      join(dir, 'main.mjs'),
      `import { importPKCS8 } from 'jose';
import { esignToken } from './esign-token.mjs';
const user = { id: 'portal-user-7', niks: ['${NIK}'], emails: ['${EMAIL}'], org: true };
console.log(await esignToken(user, new TextEncoder().encode(process.env.SECRET)));
console.log(await esignToken(user, await importPKCS8(process.env.EC_KEY, 'ES256'), 'ES256'));
`,
    );
    const [hs, es] = execFileSync(process.execPath, [join(dir, 'main.mjs')], {
      env: { ...process.env, SECRET, EC_KEY: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    assert.deepEqual(await readToken(hs!, { secret: SECRET }), expected);
    assert.deepEqual(await readToken(es!, { publicKey: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString() }), expected);
  });

  it('PHP: HS256 and RS256', async (t) => {
    if (!has('php')) return t.skip('php is not installed');
    const file = join(work, 'token.php');
    writeFileSync(
      file,
      `${snippet('PHP (no dependency', 'php')}
echo esign_token('portal-user-7', ['${NIK}'], ['${EMAIL}'], true, getenv('SECRET')), "\\n";
echo esign_token('portal-user-7', ['${NIK}'], ['${EMAIL}'], true, getenv('RSA_KEY'), 'RS256'), "\\n";
`,
    );
    const [hs, rs] = execFileSync('php', [file], { env: { ...process.env, SECRET, RSA_KEY: rsaPrivate }, encoding: 'utf8' })
      .trim()
      .split('\n');
    assert.deepEqual(await readToken(hs!, { secret: SECRET }), expected);
    assert.deepEqual(await readToken(rs!, { publicKey: rsaPublic }), expected);
  });

  it('Java: HS256 and RS256', async (t) => {
    if (!has('javac') || !has('java')) return t.skip('a JDK is not installed');
    const dir = join(work, 'java');
    mkdirSync(dir);
    writeFileSync(join(dir, 'EsignToken.java'), snippet('Java (JDK 11+', 'java').replace(/^\/\/ connection\..*$/m, ''));
    writeFileSync(
      join(dir, 'Main.java'),
      `import java.util.List;
public class Main {
  public static void main(String[] args) throws Exception {
    System.out.println(EsignToken.hs256("portal-user-7", List.of("${NIK}"), List.of("${EMAIL}"), true, System.getenv("SECRET")));
    System.out.println(EsignToken.rs256("portal-user-7", List.of("${NIK}"), List.of("${EMAIL}"), true, System.getenv("RSA_KEY")));
  }
}
`,
    );
    execFileSync('javac', ['-d', dir, join(dir, 'EsignToken.java'), join(dir, 'Main.java')]);
    const [hs, rs] = execFileSync('java', ['-cp', dir, 'Main'], { env: { ...process.env, SECRET, RSA_KEY: rsaPrivate }, encoding: 'utf8' })
      .trim()
      .split('\n');
    assert.deepEqual(await readToken(hs!, { secret: SECRET }), expected);
    assert.deepEqual(await readToken(rs!, { publicKey: rsaPublic }), expected);
  });
});
