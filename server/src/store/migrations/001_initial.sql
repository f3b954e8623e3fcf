-- The companion server's tables (server/src/store/pg-*.ts). Applied once, in a transaction, by migrate()
-- (server/src/store/pg.ts), which records it in esign_schema_migrations. Names start with esign_ so that the
-- database may be shared with the portal's own tables.

-- Stored documents: one row each, its bytes in esign_document_chunks. A row without stored_at is a write in
-- progress (its chunks arriving): never served, and removed by recover() once stale.
CREATE TABLE esign_documents (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  source text NOT NULL CHECK (source IN ('upload', 'bsre', 'peruri', 'digisign')),
  owner text NOT NULL,
  file_name text NOT NULL,
  provider_ref text,
  created_at timestamptz NOT NULL,
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint CHECK (size >= 0),
  stored_at timestamptz,
  CHECK (stored_at IS NULL OR (sha256 IS NOT NULL AND size IS NOT NULL))
);

-- Exactly once: the same signed bytes for the same provider reference and owner are one document, whichever
-- instance stored them first.
CREATE UNIQUE INDEX esign_documents_once_per_reference ON esign_documents (source, provider_ref, owner, sha256)
  WHERE provider_ref IS NOT NULL AND source <> 'upload' AND stored_at IS NOT NULL;
CREATE INDEX esign_documents_unfinished ON esign_documents (created_at) WHERE stored_at IS NULL;

-- A document's bytes in order, a few hundred KiB a row (pg-documents.ts CHUNK_BYTES). PDFs are compressed
-- already: EXTERNAL stores them out of line without trying to compress them again.
CREATE TABLE esign_document_chunks (
  document_id text NOT NULL REFERENCES esign_documents (id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq >= 0),
  data bytea NOT NULL,
  PRIMARY KEY (document_id, seq)
);
ALTER TABLE esign_document_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Provider references (a Peruri order, a Digisign document, a BSrE v1 id_dokumen or cloud id_signed): who
-- created it, who signs it, and its newest stored document. Its row is locked while a document is stored for it.
CREATE TABLE esign_provider_refs (
  source text NOT NULL CHECK (source IN ('bsre', 'peruri', 'digisign')),
  ref text NOT NULL,
  owner text,
  signers json,
  document_id text REFERENCES esign_documents (id),
  PRIMARY KEY (source, ref)
);

-- Small state with an expiry (pg-state.ts): OTP sessions, held seal OTPs, the signing-system key, provider
-- tokens, guessing counts, Digisign landings, idempotency keys. Keys are SHA-256 hashes (they carry NIKs and
-- e-mail addresses); values JSON (json, not jsonb: any JSON text, kept as written); expires_at in epoch ms.
CREATE TABLE esign_state (
  ns text NOT NULL,
  key_hash text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  value json,
  expires_at bigint,
  PRIMARY KEY (ns, key_hash)
);
CREATE INDEX esign_state_expiry ON esign_state (expires_at) WHERE expires_at IS NOT NULL;
