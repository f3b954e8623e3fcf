// The provider's word on a file: uploaded to the companion server (POST api/verify, multipart), which asks the
// configured provider and answers in the kit's one verification model (@esign-kit/core's VerificationReport).
import type { ErrorEnvelope } from '@esign-kit/core';
import { ServerError, type ServerClient } from '../internal/server-client.js';
import type { ProviderReport } from './compare.js';
import type { Source } from './input.js';

/** Why POST api/verify has no provider report: the error envelope's fields and the status it would have had. */
type VerifyProviderError = Partial<ErrorEnvelope['error']> & { status?: number };

export async function askProvider(server: ServerClient, source: Source, password: string | undefined, signal: AbortSignal): Promise<ProviderReport> {
  const form = new FormData();
  form.append('file', new Blob([source.bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), source.name);
  if (password !== undefined) form.append('password', password);
  // The server answers its own inspection too (`local`); the element has checked the file itself already, and
  // reads the provider's part: its report, or the error it would have answered alone.
  const answer = await server.request<{ provider?: Partial<ProviderReport>; providerError?: VerifyProviderError } | null>('POST', 'api/verify', {
    body: form,
    signal,
  });
  const failed = answer?.providerError;
  if (failed && typeof failed.code === 'string') {
    throw new ServerError(failed.code, String(failed.message ?? ''), {
      ...(typeof failed.status === 'number' ? { status: failed.status } : {}),
      ...(failed.field !== undefined ? { field: failed.field } : {}),
      ...(failed.provider !== undefined ? { provider: failed.provider } : {}),
      ...(failed.retryable !== undefined ? { retryable: failed.retryable } : {}),
    });
  }
  const body = answer?.provider;
  if (!body || typeof body.conclusion !== 'string' || !Array.isArray(body.signatures)) {
    throw new ServerError('provider-error', 'The server answered without a verification report.');
  }
  return {
    ...body,
    notes: Array.isArray(body.notes) ? body.notes : [],
    signatureCount: Number(body.signatureCount ?? body.signatures.length),
  } as ProviderReport;
}

/** How the provider is named to people ('BSrE': the only one with a verification API). */
export function providerName(report?: ProviderReport): string {
  if (!report || report.provider === 'bsre') return 'BSrE';
  return report.provider;
}
