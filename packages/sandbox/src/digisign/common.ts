// The Digisign simulator's shared parts (docs/providers/digisign.md, whose § and gap numbers these files cite):
// its answer (a result code and Digisign's words, §10), the endpoint wrapper, the web-view links.
import type { Request, Response, Router } from 'express';
import { PDFDocument } from 'pdf-lib';
import { trimSlash, type SandboxContext } from '../context.js';
import { isRecord, str, upload } from '../http.js';
import { LIFETIME } from '../state.js';

export class DigisignAnswer extends Error {
  constructor(
    readonly fields: Record<string, unknown>,
    readonly wrapped = true,
  ) {
    super(String(fields.notif ?? fields.result));
  }
}
export const answer = (fields: Record<string, unknown>, wrapped = true): never => {
  throw new DigisignAnswer(fields, wrapped);
};
export const result = (code: string, notif: string, extra: Record<string, unknown> = {}): never => answer({ result: code, notif, ...extra });

/** `dd-MM-yyyy HH:mm:ss WIB` (UTC+7). */
export function wib(ms: number): string {
  const d = new Date(ms + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${p(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} WIB`;
}

/** A document owned by another partner, seeded so that "partner not allowed" (§10.6 row 2, HTTP 403) can be tried. */
export const FOREIGN_DOCUMENT_ID = 'milik-mitra-lain';

/**
 * What the endpoint groups share, bound to one sandbox context and router: the state (Digisign's part of it),
 * `endpoint`, which checks the token, `jsonfield` and `userid` of a call and answers its result in the `JSONFile`
 * wrapper, and the links to the web views.
 */
export function digisignKit(ctx: SandboxContext, router: Router, seeded: Promise<void>) {
  const { state } = ctx;
  const data = state.data.digisign;
  const send = (res: Response, fields: Record<string, unknown>, wrapped = true) => {
    // The endpoints answer a JSON string (§1.1).
    res.type('application/json').send(JSON.stringify(wrapped ? { JSONFile: fields } : fields));
  };

  type Handler = (j: Record<string, unknown>, req: Request, res: Response) => Promise<Record<string, unknown> | undefined>;
  const endpoint = (path: string, handler: Handler) => {
    router.post(path, upload.any(), async (req, res) => {
      try {
        const auth = req.get('authorization') ?? '';
        if (!auth.startsWith('Bearer ') || auth.slice(7).trim() !== ctx.options.credentials.digisignToken) result('55', 'Token tidak valid.');
        const raw = isRecord(req.body) ? req.body.jsonfield : undefined;
        if (typeof raw !== 'string') result('05', 'Data request tidak ditemukan');
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw as string);
        } catch {
          result('28', 'Request API tidak lengkap.');
        }
        const j = isRecord(parsed) && isRecord(parsed.JSONFile) ? parsed.JSONFile : undefined;
        if (!j) result('05', 'Data request tidak ditemukan');
        if (str(j!.userid) !== ctx.options.credentials.digisignUserId) result('55', 'Userid tidak terdaftar sebagai admin mitra.');
        const out = await handler(j!, req, res);
        if (out) send(res, out);
      } catch (err) {
        if (err instanceof DigisignAnswer) {
          send(res, err.fields, err.wrapped);
          return;
        }
        throw err;
      }
    });
  };

  const user = (email: unknown) => (typeof email === 'string' ? state.userByEmail(email) : undefined);
  const linkFor = (kind: 'activation' | 'sign' | 'view', email: string, documentId?: string) => {
    const token = state.token(24);
    data.links[token] = { kind, email, ...(documentId ? { documentId } : {}), expiresAt: Date.now() + LIFETIME.day };
    state.save();
    const page = kind === 'activation' ? 'activationpage.html?act=' : kind === 'sign' ? 'signingpage.html?sgn=' : 'viewpage.html?view=';
    return `${trimSlash(ctx.options.webViewUrl)}/digisign/${page}${encodeURIComponent(token)}`;
  };

  const documentFor = (documentId: unknown) => {
    const d = typeof documentId === 'string' ? data.documents[documentId] : undefined;
    return d;
  };

  return { ctx, state, data, router, seeded, send, endpoint, user, linkFor, documentFor };
}

export type DigisignKit = ReturnType<typeof digisignKit>;

/** Seeds the document of another partner once (its bytes are a tiny valid PDF). */
export async function seedForeignDocument(ctx: SandboxContext): Promise<void> {
  const docs = ctx.state.data.digisign.documents;
  if (docs[FOREIGN_DOCUMENT_ID]) return;
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Dokumen mitra lain', { x: 50, y: 780, size: 14 });
  docs[FOREIGN_DOCUMENT_ID] = {
    documentId: FOREIGN_DOCUMENT_ID,
    owner: 'admin@mitra-lain.sandbox.test',
    file: ctx.state.putFile(await doc.save()),
    signers: [],
    sequential: false,
    meterai: [],
    viewers: [],
  };
  ctx.state.save();
}
