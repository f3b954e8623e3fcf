// POST /api/verify's work: the server's own inspection of a signed PDF (@esign-kit/verify in an intake worker,
// server/src/pdf/inspect-task.ts) beside BSrE's verification, and where the two disagree (@esign-kit/verify's
// compareReports, the comparison <esign-verify> shows in the page). Both run at once; the provider's failure
// (not configured, refused, down) is answered beside the local result rather than instead of it, in the words
// the route would have answered it alone (http/errors.ts toErrorResponse).
import type { Request } from 'express';
import { compareReports } from '@esign-kit/verify/compare';
import type { VerificationReport } from '@esign-kit/core';
import type { AppContext } from '../http/context.js';
import { userOf } from '../http/auth.js';
import { HttpError, toErrorResponse } from '../http/errors.js';
import type { CheckedPdf } from '../http/pdf-input.js';
import { IntakeBusyError, type PdfIntake } from '../pdf/intake-pool.js';
import { tooComplex, type LocalInspection } from '../pdf/inspect-task.js';
import { ProviderError } from '../providers/adapters.js';
import { BsreService } from '../providers/bsre/service.js';
import type { ProviderErrorView, VerifyAnswer } from './answer.js';

export interface VerifyOptions {
  /** Trust anchors, PEM (GET /api/trust/roots's list). */
  trustedRoots: string[];
  password?: string | undefined;
  /** Inspect locally only: the file is not sent to the provider. */
  localOnly?: boolean;
}

export class VerificationService {
  readonly #bsre: BsreService;

  constructor(private readonly ctx: AppContext) {
    this.#bsre = new BsreService(ctx);
  }

  async verify(req: Request, pdf: CheckedPdf, options: VerifyOptions): Promise<VerifyAnswer> {
    const [local, provider] = await Promise.all([
      this.local(this.ctx.intake.as(userOf(req)), pdf, options),
      options.localOnly ? undefined : this.#provider(req, pdf, options.password),
    ]);
    if (!provider) return { local, disagreements: [] };
    if ('error' in provider) return { local, providerError: provider.error, disagreements: [] };
    return { local, provider: provider.report, disagreements: compareReports(local, provider.report) };
  }

  /**
   * The inspection in an intake worker (`intake`: the server's, as the portal user); a file it gives up on
   * (deadline, heap) is TOO_COMPLEX, never an error.
   */
  async local(intake: PdfIntake, pdf: CheckedPdf, options: VerifyOptions): Promise<LocalInspection> {
    let result;
    try {
      result = await intake.inspect(pdf.bytes, {
        trustedRoots: options.trustedRoots,
        ...(options.password !== undefined ? { password: options.password } : {}),
      });
    } catch (err) {
      if (err instanceof IntakeBusyError) throw Object.assign(new HttpError('busy', err.message, pdf.field), { retryAfterSeconds: err.retryAfterSeconds });
      throw err;
    }
    if (result.ok) return result.report;
    return tooComplex(pdf.bytes.byteLength, `Inspecting the signatures needs more than allowed: ${result.message}`);
  }

  async #provider(req: Request, pdf: CheckedPdf, password: string | undefined): Promise<{ report: VerificationReport } | { error: ProviderErrorView }> {
    try {
      return { report: await this.#bsre.verify(pdf, password) };
    } catch (err) {
      const { status, body } = toErrorResponse(err, req);
      // Logged as the error handler logs an error it answers (http/errors.ts).
      if (err instanceof ProviderError)
        this.ctx.logger.warn({ provider: err.provider, operation: err.operation, code: err.code, providerCode: err.providerCode, status }, 'provider error');
      else if (status >= 500) this.ctx.logger.error({ err }, 'verification by the provider failed');
      return { error: { status, ...body.error } };
    }
  }
}
