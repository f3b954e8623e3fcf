// Reconciliation: the flows left waiting for the signer (the browser closed, the phone asleep, the confirmation
// lost) finished on the server. Every RECONCILE_INTERVAL_SECONDS a worker reads the due flows (flow-index) and,
// for each it can lease (records.ts lease: one worker per flow across instances, the lease written by an atomic
// update of the flow's record), asks the provider:
//   Peruri signing    Check Document Status, then Download Document, stored by storeSigned — the very function
//                     the browser's confirmation calls, under the same lock, so the document is stored once;
//   Digisign signing  Download: stored when the document is complete — each signer's signature in the PDF, the
//                     e-meterai stamps ordered, no "waiting" redirect since (digisign/completion.ts), under the
//                     browser path's lock (digisign/service.ts settle); what is missing is the flow's lastError;
//   BSrE v1           a signing whose answer was unusable: the one download BSrE allows (bsre/service.ts);
//   Peruri activation Check Certificate.
// Not done yet: asked again after a back-off (the interval doubled per attempt, at most RECONCILE_MAX_BACKOFF_
// SECONDS). Still waiting FLOW_EXPIRY_HOURS after it began: expired (flow.expired). A provider's definite "no":
// failed (document.failed) — Digisign's "no such document" (its download's 404/403, result 05/12), Peruri's
// Check Document Status refusing an order whose signing it accepted (peruri/service.ts signingRefusal). Peruri's
// other refusals are no definite "no": seed 003 has no pending code, so before the signer signs Check Document
// Status refuses too, and Check Certificate checks "apakah sudah berhasil atau belum" (issued yet or not yet).
// Timeouts, HTTP errors and unreadable answers are never one.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../http/context.js';
import { BsreService } from '../providers/bsre/service.js';
import { DigisignService } from '../providers/digisign/service.js';
import { signingRefusal, storeSigned } from '../providers/peruri/service.js';
import { ProviderError } from '../providers/shared/errors.js';
import { FINAL_STATES, type Flow } from './model.js';

export interface ReconcileOptions {
  intervalMs: number;
  maxBackoffMs: number;
  expiryMs: number;
  /** How long a worker holds a flow while asking its provider. */
  leaseMs: number;
  holder?: string;
  now?: () => number;
}

/** The next check after `attempts` unfinished ones: the interval doubled each time, capped. Pure. */
export function backoffMs(attempts: number, intervalMs: number, maxMs: number): number {
  return Math.min(maxMs, intervalMs * 2 ** Math.min(30, Math.max(0, attempts)));
}

/** Codes that say the provider will never have this document signed. */
const GONE = new Set(['document-not-found', 'access-denied']);

export type CheckOutcome = 'finished' | 'waiting';
type Reason = { code: string; message: string };

export class Reconciler {
  readonly holder: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  readonly #digisign: DigisignService;
  readonly #bsre: BsreService;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: ReconcileOptions,
  ) {
    this.holder = options.holder ?? `reconciler-${randomUUID()}`;
    this.#digisign = new DigisignService(ctx);
    this.#bsre = new BsreService(ctx);
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.options.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  kick(): void {
    if (this.#running) return;
    this.#running = this.round()
      .then(() => undefined)
      .catch((err: Error) => this.ctx.logger.warn({ err: { message: err.message } }, 'reconciliation round failed'))
      .finally(() => {
        this.#running = undefined;
      });
  }

  /** One pass over the due flows; returns how many this worker finished. */
  async round(): Promise<number> {
    let finished = 0;
    for (const id of await this.ctx.flows.due(this.#now())) {
      if (this.#stopped && this.#timer !== undefined) break;
      const flow = await this.ctx.flows.lease(id, this.holder, this.options.leaseMs);
      if (!flow) {
        // Leased by another round, or no longer waiting (ended by a path that stopped before unlisting it).
        const current = await this.ctx.flows.get(id);
        if (!current || FINAL_STATES.includes(current.state)) await this.ctx.flows.schedule(id, null);
        continue;
      }
      if ((await this.reconcile(flow)) === 'finished') finished++;
    }
    return finished;
  }

  /** Asks the provider about one leased flow and records what it says. */
  async reconcile(flow: Flow): Promise<CheckOutcome> {
    const flows = this.ctx.flows;
    const ref = { kind: flow.kind, provider: flow.provider, reference: flow.reference, user: flow.user };
    let waiting: Reason | undefined;
    try {
      const checked = await this.check(flow);
      if (checked === 'finished') return 'finished';
      if (checked !== 'waiting' && 'fail' in checked) {
        await flows.failed(ref, { code: checked.fail.code, message: this.ctx.scrub(checked.fail.message) }, this.holder);
        return 'finished';
      }
      if (checked !== 'waiting') waiting = checked.wait;
    } catch (err) {
      if (err instanceof ProviderError && GONE.has(err.code)) {
        await flows.failed(ref, { code: err.code, message: this.ctx.scrub(err.message) }, this.holder);
        return 'finished';
      }
      const lastError =
        err instanceof ProviderError
          ? { code: err.code, message: this.ctx.scrub(err.providerMessage ? `${err.message} (${err.providerCode}: ${err.providerMessage})` : err.message) }
          : { code: 'internal', message: this.ctx.scrub((err as Error).message) };
      this.ctx.logger.info({ flow: flow.id, provider: flow.provider, code: lastError.code }, 'reconciliation: not finished yet');
      return this.#waitOrExpire(flow, lastError);
    }
    return this.#waitOrExpire(flow, waiting);
  }

  async #waitOrExpire(flow: Flow, lastError?: { code: string; message: string }): Promise<CheckOutcome> {
    const now = this.#now();
    if (now - Date.parse(flow.createdAt) >= this.options.expiryMs) {
      await this.ctx.flows.expired(flow, this.holder);
      return 'finished';
    }
    await this.ctx.flows.retryLater(
      flow.id,
      this.holder,
      now + backoffMs(flow.reconcile.attempts, this.options.intervalMs, this.options.maxBackoffMs),
      lastError,
    );
    return 'waiting';
  }

  /**
   * 'finished' when the flow reached its end (recorded by the service that stored it); else 'waiting', or why it
   * is still waiting (kept as the flow's lastError), or the provider's definite "no" (the flow fails).
   */
  async check(flow: Flow): Promise<CheckOutcome | { wait: Reason } | { fail: Reason }> {
    const { providers } = this.ctx;
    if (flow.kind === 'signing' && flow.provider === 'peruri') {
      if (!providers.peruri) return 'waiting';
      try {
        // Throws Peruri's answer when Check Document Status is not "0": not signed yet, or — for an order whose
        // signing Peruri accepted — never (peruri/service.ts signingRefusal).
        await storeSigned(this.ctx, providers.peruri.client, flow.reference, flow.user, false, this.holder);
        return 'finished';
      } catch (err) {
        const refused = signingRefusal(err, flow, this.#now(), this.options.intervalMs);
        if (refused) return { fail: refused };
        throw err;
      }
    }
    if (flow.kind === 'signing' && flow.provider === 'digisign') {
      if (!providers.digisign) return 'waiting';
      const settled = await this.#digisign.settle(flow.user, flow.reference, flow.signers, this.holder);
      return settled.stored ? 'finished' : { wait: { code: 'not-complete', message: `Digisign's document lacks ${settled.missing.join('; ')}.` } };
    }
    if (flow.kind === 'signing' && flow.provider === 'bsre') {
      // BSrE v1 signed but its answer was unusable (bsre/service.ts v1Sign): the one download BSrE allows.
      if (providers.bsre?.api !== 'v1') return 'waiting';
      await this.#bsre.downloadOnce(flow.reference, flow.user, this.holder);
      return 'finished';
    }
    if (flow.kind === 'activation' && flow.provider === 'peruri') {
      if (!providers.peruri) return 'waiting';
      await providers.peruri.client.checkCertificate({ email: flow.reference });
      await this.ctx.flows.activated({ provider: 'peruri', reference: flow.reference, user: flow.user }, this.holder);
      return 'finished';
    }
    // Digisign activations are known by their redirect only (no status API, docs/providers/digisign.md).
    const landed = flow.kind === 'activation' && flow.provider === 'digisign' ? await this.ctx.landings.find('activation', flow.reference) : undefined;
    if (landed) {
      await this.ctx.flows.activated({ provider: 'digisign', reference: flow.reference, user: flow.user }, this.holder);
      return 'finished';
    }
    return 'waiting';
  }
}
