// @esign-kit/verify's Web Worker in real Chromium, on real files (test/corpus/verify-peer): the inspection runs
// in a worker (the page never runs it), can be cancelled, and gives the same answers as in Node; an algorithm
// Chromium's WebCrypto lacks (Ed448) is "cannot be checked", never invalid; <esign-verify> shows a document
// timestamp as its own card, the PAdES level and long-term validation.
import { expect, fixture, html } from '@open-wc/testing';
import { inspectInWorker } from '@esign-kit/verify/worker';
import '../../packages/elements/src/esign-verify.js';
import type { EsignVerify } from '../../packages/elements/src/esign-verify.js';
import type { EsignVerifiedDetail } from '../../packages/elements/src/verify/events.js';

const CORPUS = '/test/corpus/verify-peer';
const LTA = 'pyhanko/internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__pades-lta-dss-indirect-arrs-test.pdf';
const ED448 = 'pyhanko/internal__common-test-utils__src__pyhanko_testing_commons__test_data__data__pdf__ed448-shake256-nolen.pdf';
const ENCRYPTED_EMPTY_PASSWORD = 'pdfjs/test__pdfs__issue17069.pdf';

async function corpusFile(name: string): Promise<Uint8Array> {
  const res = await fetch(`${CORPUS}/files/${name}`);
  expect(res.ok, name).to.equal(true);
  return new Uint8Array(await res.arrayBuffer());
}

/** Every Worker the page starts, and whether its script failed to load. */
const started: { url: string; failed: boolean }[] = [];
const RealWorker = window.Worker;
class SpyWorker extends RealWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    const record = { url: String(url), failed: false };
    started.push(record);
    this.addEventListener('error', () => (record.failed = true));
  }
}

describe('@esign-kit/verify in a Web Worker, in Chromium', function () {
  this.timeout(60000);
  before(() => {
    window.Worker = SpyWorker as typeof Worker;
  });
  after(() => {
    window.Worker = RealWorker;
  });

  it('a PAdES-LTA file: the inspection runs in a worker, with the same answers as in Node', async () => {
    const count = started.length;
    const report = await inspectInWorker(await corpusFile(LTA));
    expect(started.length).to.equal(count + 1);
    expect(started.at(-1)!.url).to.contain('verify-worker');
    expect(started.at(-1)!.failed).to.equal(false);
    expect(report.signatures.map((s) => [s.kind, s.verdict])).to.deep.equal([
      ['signature', 'valid-untrusted'],
      ['document-timestamp', 'valid-untrusted'],
    ]);
    const [sig, stamp] = report.signatures;
    expect(sig!.level).to.equal('B-LTA');
    expect(sig!.changesAllowed).to.equal(true);
    expect(stamp!.timestamp?.imprintMatches).to.equal(true);
    expect(stamp!.signer?.subject.commonName).to.equal('Time Stamping Authority');
    expect(stamp!.timestamp?.time).to.be.instanceOf(Date);
  });

  it('cancelled: rejects with an AbortError, and the worker is ended', async () => {
    const bytes = await corpusFile(LTA);
    const controller = new AbortController();
    const pending = inspectInWorker(bytes, { signal: controller.signal });
    controller.abort();
    const error = await pending.then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(error?.name).to.equal('AbortError');
    const already = await inspectInWorker(bytes, { signal: AbortSignal.abort() }).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(already?.name).to.equal('AbortError');
  });

  it('Ed448 (which Chromium’s WebCrypto lacks): its bytes are "cannot be checked", never invalid', async () => {
    // At a time its (long expired) test certificate was valid, so that only the algorithm is in question.
    const report = await inspectInWorker(await corpusFile(ED448), { validationTime: new Date('2021-06-01T00:00:00Z') });
    const [s] = report.signatures;
    expect(s!.digest.algorithm).to.equal('SHAKE256');
    expect(s!.digest.matches).to.equal(true);
    expect(s!.problems).not.to.include('SIGNATURE_INVALID');
    expect(s!.problems).not.to.include('DIGEST_MISMATCH');
    if (s!.integrity === 'unknown') {
      expect(s!.verdict).to.equal('unknown');
      expect(s!.problems).to.include('ALGORITHM_UNSUPPORTED');
    } else {
      // A Chromium with Ed448 checks it.
      expect(s!.integrity).to.equal('intact');
    }
  });

  it('an AES-128 file whose user password is empty opens without one, as viewers do', async () => {
    const report = await inspectInWorker(await corpusFile(ENCRYPTED_EMPTY_PASSWORD));
    expect(report.status).to.equal('signed');
    expect(report.encrypted).to.equal(true);
    expect(report.signatures.map((s) => s.fieldName)).to.deep.equal(['SBKrAnB9R3g9']);
    expect(report.signatures[0]!.integrity).to.equal('intact');
  });

  it('trusted roots that are not certificates: a TypeError from the worker too', async () => {
    const error = await inspectInWorker(await corpusFile(LTA), { trustedRoots: [new Uint8Array([1, 2, 3])] }).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(error).to.be.instanceOf(TypeError);
  });
});

describe('@esign-kit/verify in a Web Worker: when the worker fails', function () {
  this.timeout(60000);
  afterEach(() => {
    window.Worker = RealWorker;
  });

  it('a worker that crashes after it started: the call rejects, and the hostile file is not run again on the page', async () => {
    let crashed = 0;
    class CrashingWorker extends RealWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        // Soon after the worker's first message (it has started), it dies, as a worker out of memory does: an
        // error event.
        this.addEventListener(
          'message',
          () => {
            setTimeout(() => {
              crashed++;
              this.terminate();
              this.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught RangeError: out of memory' }));
            }, 0);
          },
          { once: true },
        );
      }
    }
    window.Worker = CrashingWorker as typeof Worker;
    const error = await inspectInWorker(await corpusFile(LTA)).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(crashed).to.equal(1);
    expect(error, 'rejected, not inspected again on the main thread').to.be.instanceOf(Error);
    expect(error!.message).to.contain('out of memory');
  });

  it('a worker that cannot start (its script blocked): the inspection runs on the page instead', async () => {
    class BlockedWorker extends RealWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        // Before the worker says anything: its script never loaded.
        queueMicrotask(() => {
          this.terminate();
          this.dispatchEvent(new ErrorEvent('error', { message: 'blocked' }));
        });
      }
    }
    window.Worker = BlockedWorker as typeof Worker;
    const report = await inspectInWorker(await corpusFile(LTA));
    expect(report.signatures.map((s) => s.verdict)).to.deep.equal(['valid-untrusted', 'valid-untrusted']);
  });

  it('from another origin (a blob: module that imports the worker): the blob URL is revoked once done', async () => {
    const created: string[] = [];
    const revoked: string[] = [];
    const { createObjectURL, revokeObjectURL } = URL;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      const url = createObjectURL(blob);
      created.push(url);
      return url;
    };
    URL.revokeObjectURL = (url: string) => {
      revoked.push(url);
      revokeObjectURL(url);
    };
    class CrossOriginWorker extends RealWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        // As for a worker script on the companion server's origin: only a same-origin (blob:) module may start.
        if (!String(url).startsWith('blob:')) throw new DOMException('The script is on another origin.', 'SecurityError');
        super(url, options);
      }
    }
    window.Worker = CrossOriginWorker as typeof Worker;
    try {
      const report = await inspectInWorker(await corpusFile(LTA));
      expect(report.signatures).to.have.length(2);
      expect(created).to.have.length(1);
      expect(revoked).to.deep.equal(created);
    } finally {
      URL.createObjectURL = createObjectURL;
      URL.revokeObjectURL = revokeObjectURL;
    }
  });
});

describe('<esign-verify>: document timestamps, levels and long-term validation', function () {
  this.timeout(60000);

  it('a PAdES-LTA file with its root trusted: a timestamp card, the level, long-term validity, the DSS revocation data', async () => {
    const root = await (await fetch(`${CORPUS}/roots/pyhanko.pem`)).text();
    const el = await fixture<EsignVerify>(html`<esign-verify lang="en" local-only></esign-verify>`);
    el.trustedRoots = [root];
    const detail = (await el.verify(await corpusFile(LTA))) as EsignVerifiedDetail;
    expect(detail.local.signatures.map((s) => s.verdict)).to.deep.equal(['valid', 'valid']);
    await el.updateComplete;
    const cards = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part=card]')];
    expect(cards.map((c) => c.dataset.kind)).to.deep.equal(['signature', 'document-timestamp']);
    expect(cards[0]!.dataset.level).to.equal('B-LTA');
    expect(cards[0]!.dataset.longTerm).to.equal('true');
    expect(cards[0]!.textContent).to.contain('PAdES B-LTA');
    expect(cards[0]!.textContent).to.contain('Stays verifiable after its certificates expire.');
    expect(cards[1]!.querySelector('.signer')!.textContent).to.equal('Document timestamp by Time Stamping Authority');
    expect(cards[1]!.textContent).to.contain('Timestamp');
    // The details: the chain checked at the time the signature timestamp proves, with the DSS's OCSP/CRL.
    const details = cards[0]!.querySelector('details')!.textContent!;
    expect(details).to.contain('the time a signature timestamp proves');
    expect(details).to.match(/not revoked \((OCSP response|CRL) in the document security store\)/);
    expect(details).to.contain('long-term validation data');
  });

  it('in Indonesian, a file whose signature cannot be checked here', async () => {
    const el = await fixture<EsignVerify>(html`<esign-verify lang="id" local-only></esign-verify>`);
    el.trustedRoots = [];
    const detail = (await el.verify(await corpusFile(ED448))) as EsignVerifiedDetail;
    const [s] = detail.local.signatures;
    await el.updateComplete;
    const card = el.shadowRoot!.querySelector<HTMLElement>('[part=card]')!;
    expect(card.dataset.verdict).to.equal(s!.verdict);
    if (s!.integrity === 'unknown') expect(card.textContent).to.contain('tidak dapat diperiksa peramban ini');
  });

  it('reset() while checking ends the worker: no result, no esign-verified', async () => {
    const el = await fixture<EsignVerify>(html`<esign-verify lang="en" local-only></esign-verify>`);
    el.trustedRoots = [];
    let verified = 0;
    el.addEventListener('esign-verified', () => verified++);
    const pending = el.verify(await corpusFile(LTA));
    await new Promise((r) => setTimeout(r, 0));
    el.reset();
    expect(await pending).to.equal(null);
    expect(el.status).to.equal('idle');
    await new Promise((r) => setTimeout(r, 200));
    expect(verified).to.equal(0);
    expect(el.report).to.equal(null);
  });
});
