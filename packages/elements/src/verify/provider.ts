// The provider's word on a file: uploaded to the companion server (POST api/verify, multipart), which asks the
// configured provider and answers in the kit's one verification model (@esign-kit/core's VerificationReport).
import { ServerError, type ServerClient } from '../internal/server-client.js';
import type { ProviderReport } from './compare.js';
import type { Source } from './input.js';

export async function askProvider(server: ServerClient, source: Source, password: string | undefined, signal: AbortSignal): Promise<ProviderReport> {
  const form = new FormData();
  form.append('file', new Blob([source.bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), source.name);
  if (password !== undefined) form.append('password', password);
  const body = await server.request<Partial<ProviderReport> | null>('POST', 'api/verify', { body: form, signal });
  if (!body || typeof body.conclusion !== 'string' || !Array.isArray(body.signatures)) {
    throw new ServerError('provider-error', 'The server answered without a verification report.');
  }
  return { ...body, notes: Array.isArray(body.notes) ? body.notes : [], signatureCount: Number(body.signatureCount ?? body.signatures.length) } as ProviderReport;
}

/** How the provider is named to people ('BSrE': the only one with a verification API). */
export function providerName(report?: ProviderReport): string {
  if (!report || report.provider === 'bsre') return 'BSrE';
  return report.provider;
}
