// What <esign-verify> shows once a file is checked: the summary (the document's conclusion, the trust list, the
// provider's word and where it disagrees) and one card per signature with its details. Templates of the
// element's shadow root, from the reports and the element's strings: no state of their own.
import { html, nothing, type TemplateResult } from 'lit';
import type { CertificateInfo, SignatureReport } from '@esign-kit/verify';
import { localConclusion, providerVerdict, type ProviderReport, type ProviderSignature } from './compare.js';
import type { DescribedDisagreement, EsignVerifiedDetail } from './events.js';
import { providerName } from './provider.js';
import { reasonsFor, type VerifyStrings } from './strings.js';
import type { TrustInfo } from './trust-roots.js';

/** What the templates read of the element. */
export interface ReportView {
  t: VerifyStrings;
  /** A date in the element's language ('' for none). */
  date(d: Date | string | undefined): string;
  /** The provider's report, when it answered (names the provider on every card). */
  provider: ProviderReport | undefined;
  trust: TrustInfo | null;
  /** The provider is still being asked. */
  asking: boolean;
  /** Whether the file is uploaded to the provider (false: checked here only). */
  uploads: boolean;
}

const GLYPH: Record<string, string> = { valid: '✓', 'valid-untrusted': '!', 'modified-after-signing': '✎', invalid: '✗', unknown: '?', 'no-signature': '–' };

/** A date in a language: long date and time, as people read them. */
export function formatDate(lang: 'en' | 'id', d: Date | string | undefined): string {
  if (d === undefined) return '';
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return String(d);
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'long', timeStyle: 'long' }).format(date);
}

/** The document's conclusion, the trust list, and the provider's word (or why there is none). */
export function renderSummary(v: ReportView, { local, provider, providerError, disagreements }: EsignVerifiedDetail): TemplateResult {
  const t = v.t;
  const conclusion = localConclusion(local)!;
  const name = providerName(provider);
  const trust = v.trust;
  let providerLine: unknown = nothing;
  if (provider) {
    const word = t.word[provider.conclusion];
    providerLine = html`<p class="provider" data-agree=${disagreements.length ? 'false' : 'true'}>
        ${disagreements.length ? t.disagrees(name, word) : t.agrees(name, word)}
      </p>
      ${disagreements.length ? html`<ul part="disagreements" class="disagreements">${disagreements.map((d) => html`<li>${d.message}</li>`)}</ul>` : nothing}
      ${provider.notes.length ? html`<p class="provider">${t.providerNotes(name)}: ${provider.notes.join(' ')}</p>` : nothing}`;
  } else if (providerError) {
    providerLine = html`<p class="provider error">${t.providerFailed(name)} ${providerError.message}</p>`;
  } else if (v.asking) {
    providerLine = html`<p class="provider" aria-busy="true">${t.asking(name)}</p>`;
  } else if (!v.uploads) {
    providerLine = html`<p class="provider">${t.localOnly} ${t.notUploaded}</p>`;
  }
  return html`<section class="summary" part="summary" data-verdict=${conclusion}>
    <p class="headline">${badge(v, conclusion)} <span>${t.headline(conclusion, local.signatures.length)}</span></p>
    ${
      trust && local.status === 'signed'
        ? html`<p class="trust ${trust.failed ? 'error' : ''}">${trust.failed ? t.trustListFailed : t.trustList(trust.count, trust.source)}</p>`
        : nothing
    }
    ${providerLine}
  </section>`;
}

/** A verdict as text and colour (and a glyph, hidden from screen readers: never colour only). */
export function badge(v: ReportView, verdict: string): TemplateResult {
  const t = v.t;
  return html`<span class="badge" part="badge" data-verdict=${verdict}><span aria-hidden="true">${GLYPH[verdict]}</span>${t.badge[verdict as keyof VerifyStrings['badge']]}</span>`;
}

/** One signature: who, the verdict and its reasons, the provider's word on it, and the technical details. */
export function renderCard(v: ReportView, s: SignatureReport, p: ProviderSignature | undefined, disagreements: DescribedDisagreement[]): TemplateResult {
  const t = v.t;
  const signer = s.signer;
  const mine = disagreements.filter((d) => (d.kind === 'verdict' || d.kind === 'signer') && d.index === s.index);
  const stated = s.signingTime.cms ?? s.signingTime.dictionary;
  const row = (label: string, value: unknown) => (value === undefined || value === '' ? nothing : html`<dt>${label}</dt><dd>${value}</dd>`);
  const stamp = s.kind === 'document-timestamp';
  const time = stamp
    ? s.timestamp
      ? v.date(s.timestamp.time)
      : undefined
    : s.timestamp
      ? html`${v.date(s.timestamp.time)} <span class="marker">(${t.timestampFrom(s.timestamp.tsa ?? '?')})</span>`
      : stated
        ? html`${v.date(stated)} <span class="marker">(${t.statedBySigner})</span>`
        : undefined;
  const title = stamp
    ? t.documentTimestamp(signer?.subject.commonName ?? s.timestamp?.tsa ?? t.unknownSigner)
    : (signer?.subject.commonName ?? s.name ?? t.unknownSigner);
  const name = providerName(v.provider);
  const ltv = s.ltv;
  const missing = ltv ? ltv.missing.map((m) => t.missing[m]).join(', ') : '';
  return html`<li class="card" part="card" data-verdict=${s.verdict} data-kind=${s.kind} data-level=${s.level ?? nothing}
      data-long-term=${ltv ? String(ltv.longTerm) : nothing}>
    <div class="card-head">
      <span class="signer">${title}</span>
      ${badge(v, s.verdict)}
    </div>
    <ul class="reasons">${reasonsFor(s, t).map((r) => html`<li>${r}</li>`)}</ul>
    <dl>
      ${row(t.labels.organisation, signer?.subject.organisation)}
      ${row(t.labels.issuer, signer ? (signer.issuer.commonName ?? signer.issuer.text) : undefined)}
      ${row(stamp ? t.labels.timestamp : t.labels.signed, time)}
      ${row(t.labels.level, s.level ? html`<span class="level">${t.level(s.level)}</span> <span class="marker">${t.levelMeaning[s.level]}</span>` : undefined)}
      ${row(t.labels.longTerm, ltv && s.integrity !== 'broken' ? t.longTerm(ltv.longTerm, missing) : undefined)}
      ${row(t.labels.reason, s.reason)}
      ${row(t.labels.location, s.location)}
      ${row(t.labels.field, s.fieldName)}
    </dl>
    ${
      p
        ? html`<p class="provider" part="provider" data-agree=${mine.length ? 'false' : 'true'}>${t.providerSays(name, t.word[providerVerdict(p)])}</p>`
        : nothing
    }
    ${mine.map((d) => html`<p class="disagreement">${d.message}</p>`)}
    ${details(v, s)}
  </li>`;
}

/** A signature's certificate, coverage, revocation data, changes after signing and findings. */
function details(v: ReportView, s: SignatureReport): TemplateResult {
  const t = v.t;
  const signer = s.signer;
  const cert = (c: CertificateInfo) => html`<li>${c.subject.text} <span class="marker">← ${c.issuer.text}</span></li>`;
  const algorithms = [s.subFilter, s.digest.algorithm, s.signatureAlgorithm].filter(Boolean).join(', ');
  const ltv = s.ltv;
  return html`<details part="details">
    <summary>${t.labels.details}</summary>
    <dl>
      ${
        signer
          ? html`<dt>${t.labels.serial}</dt><dd><code>${signer.serialNumber}</code></dd>
            <dt>${t.labels.validity}</dt><dd>${t.validity(v.date(signer.notBefore), v.date(signer.notAfter))}</dd>
            <dt>${t.labels.fingerprint}</dt><dd><code>${signer.fingerprint}</code></dd>`
          : nothing
      }
      ${algorithms ? html`<dt>${t.labels.algorithms}</dt><dd>${algorithms}</dd>` : nothing}
      <dt>${t.labels.coverage}</dt><dd>${t.coversWholeFile(s.coversWholeFile)}${s.byteRange ? html` <code>[${s.byteRange.join(' ')}]</code>` : nothing}</dd>
      ${
        s.kind === 'signature' && (s.signingTime.dictionary || s.signingTime.cms)
          ? html`<dt>${t.labels.signed}</dt><dd>${v.date(s.signingTime.cms ?? s.signingTime.dictionary)} <span class="marker">(${t.statedBySigner})</span></dd>`
          : nothing
      }
      <dt>${t.labels.chain}</dt>
      <dd>${s.chain.length ? html`<ol>${s.chain.map(cert)}</ol>` : t.labels.none}</dd>
      ${
        ltv
          ? html`<dt>${t.labels.revocation}</dt>
            <dd>
              <p>${t.checkedAt(v.date(ltv.validationTime), ltv.timeSource)}</p>
              <ul class="revocation">${ltv.chain.map(
                (c) =>
                  html`<li data-status=${c.status}>${c.certificate.subject.commonName ?? c.certificate.subject.text}: ${t.revocation[c.status]}${c.via && c.source ? html` <span class="marker">(${t.revocationSource(c.via, c.source)})</span>` : nothing}</li>`,
              )}</ul>
            </dd>`
          : nothing
      }
      <dt>${t.labels.changes}</dt>
      <dd>
        ${
          s.changes.length
            ? html`<ul>${s.changes.map(
                (c) =>
                  html`<li data-allowed=${String(c.allowed)}>${t.change[c.kind]}${c.action ? html` ${t.action[c.action]}` : nothing}${c.object !== undefined ? html` <code>#${c.object}</code>` : nothing}${c.field ? html` <span class="marker">${c.field}</span>` : nothing} (${t.allowed(c.allowed)})</li>`,
              )}</ul>`
            : t.labels.none
        }
      </dd>
      <dt>${t.labels.findings}</dt>
      <dd>${s.problems.length ? html`<ul>${s.problems.map((code) => html`<li><code>${code}</code> ${t.problem[code]}</li>`)}</ul>` : t.labels.none}</dd>
    </dl>
  </details>`;
}
