// Versioned schema migrations for the memory bank. Each entry moves the bank one version up inside a
// transaction; PRAGMA user_version records where a bank stands, so old banks open and upgrade in place.
export const migrations: string[] = [
  // 1: documents, per-page memories, their fp16 vision tokens, the append-only event log, ingest state.
  `
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    version INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    source_gone INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX documents_source ON documents(source);

  CREATE TABLE memories (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    page INTEGER NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    level TEXT NOT NULL,
    token_count INTEGER NOT NULL,
    token_dim INTEGER NOT NULL,
    importance REAL NOT NULL DEFAULT 5,
    created_at TEXT NOT NULL,
    last_access_at TEXT,
    access_count INTEGER NOT NULL DEFAULT 0,
    thumbnail BLOB
  );
  CREATE INDEX memories_document ON memories(document_id, page);
  CREATE INDEX memories_created ON memories(created_at);

  CREATE TABLE tokens (
    memory_id TEXT PRIMARY KEY REFERENCES memories(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );

  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    memory_id TEXT,
    type TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX events_memory ON events(memory_id, id);
  CREATE INDEX events_at ON events(at);

  CREATE TABLE files (
    path TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    document_id TEXT
  );

  CREATE TABLE watched (
    path TEXT PRIMARY KEY,
    added_at TEXT NOT NULL
  );

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    mode TEXT NOT NULL,
    state TEXT NOT NULL,
    pages_done INTEGER NOT NULL DEFAULT 0,
    pages_total INTEGER,
    error TEXT,
    memory_ids TEXT NOT NULL DEFAULT '[]',
    upload_path TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_state ON jobs(state, seq);

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: a perceptual hash per page, for merging near-duplicates; a level index for the forgetting pass.
  `
  ALTER TABLE memories ADD COLUMN phash TEXT;
  CREATE INDEX memories_level ON memories(level);
  CREATE INDEX events_type ON events(type, at);
  `,
  // 3 (chat): a search index over the text decoded from each memory's tokens, re-decoded when its level or token count
  // changes; FTS5 for BM25, a hashed n-gram vector for fuzzy matches (decoded text has OCR slips).
  `
  CREATE TABLE chat_index (
    memory_id TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    token_count INTEGER NOT NULL,
    text TEXT,
    vec BLOB,
    note TEXT,
    indexed_at TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE chat_fts USING fts5(text, memory_id UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
  `,
];
