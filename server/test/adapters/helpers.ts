// Shared test plumbing: one msw server per test file, and a recorder for what reached the "provider".
import { after, afterEach, before } from 'node:test';
import { setupServer } from 'msw/node';
import { pageGeometry } from '@esign-kit/core';

export function mockProvider() {
  const server = setupServer();
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  after(() => server.close());
  return server;
}

export interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  json?: unknown;
  form?: FormData;
  text?: string;
}

/** Reads a request the way the provider would, without consuming the original. */
export async function see(request: Request): Promise<Seen> {
  const seen: Seen = { method: request.method, url: new URL(request.url), headers: request.headers };
  const type = request.headers.get('content-type') ?? '';
  const clone = request.clone();
  if (type.startsWith('application/json')) seen.json = await clone.json();
  else if (type.startsWith('multipart/form-data')) seen.form = await clone.formData();
  else seen.text = await clone.text();
  return seen;
}

export const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
export const a4 = (pages = 1) => Array.from({ length: pages }, () => pageGeometry({ mediaBox: [0, 0, 595, 842] }));
