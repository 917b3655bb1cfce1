/**
 * Node-only access to the corpora on disk: the seeds that ship in
 * `corpus/seeds`, and the shared Ofsted reports in `../shared/corpus/ilacs`
 * (read-only input, never copied into the repository).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Everything from the core comes through its public entry, so the Node entry
// shares one copy of the core (and of its error classes) with the main entry.
import {
  IngestError,
  fromPdf,
  fromText,
  hashText,
  joinAnnotations,
  parseAnnotations,
  parseManifest,
  type Annotation,
  type DocumentMeta,
  type LabelledSentence,
  type ManifestEntry,
  type ReportDocument,
} from '../index.js';

/** The package root, found from this module's location (src/ or dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export interface SeedInfo {
  id: string;
  file: string;
  authority: string;
  date: string;
  type: NonNullable<DocumentMeta['type']>;
  title: string;
  source: string;
}

export function seedsDir(): string {
  return join(packageRoot(), 'corpus', 'seeds');
}

const SEED_KEYS = ['id', 'file', 'authority', 'date', 'type', 'title', 'source'] as const;

/**
 * The seed documents' metadata. The seeds live in the repository's corpus/seeds
 * and are not part of the published package: pass `dir` when using them elsewhere.
 */
export function listSeeds(dir = seedsDir()): SeedInfo[] {
  if (typeof dir !== 'string') throw new TypeError(`listSeeds expects a folder path (string), got ${dir === null ? 'null' : typeof dir}`);
  const file = join(dir, 'seeds.json');
  if (!existsSync(file)) {
    throw new IngestError('CORPUS_MISSING', `the seed corpus is not available: ${file} does not exist (the seeds ship with the repository, not the npm package; pass the folder)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new IngestError('CORPUS_INVALID', `${file} is not valid JSON: ${(cause as Error).message}`, { path: [file], cause });
  }
  if (!Array.isArray(value)) throw new IngestError('CORPUS_INVALID', `${file} must hold a JSON array of seeds`, { path: [file] });
  value.forEach((seed: unknown, i) => {
    if (seed === null || typeof seed !== 'object' || Array.isArray(seed)) throw new IngestError('CORPUS_INVALID', `${file}: seed ${i} must be an object`, { path: [file, i] });
    for (const key of SEED_KEYS) {
      const field = (seed as Record<string, unknown>)[key];
      const required = key !== 'title' && key !== 'source';
      if (typeof field !== 'string' || (required && field === '')) {
        if (field === undefined && !required) continue;
        throw new IngestError('CORPUS_INVALID', `${file}: seed ${i}: "${key}" must be a ${required ? 'non-empty ' : ''}string`, { path: [file, i, key] });
      }
    }
  });
  return value as SeedInfo[];
}

/** The five seed documents, ingested with their ids and metadata. */
export function loadSeedDocuments(dir = seedsDir()): ReportDocument[] {
  return listSeeds(dir).map((seed) =>
    fromText(readFileSync(join(dir, seed.file), 'utf8'), {
      id: seed.id,
      meta: { authority: seed.authority, date: seed.date, type: seed.type, source: seed.source },
    }),
  );
}

/** Where the shared reports live: $OFSTED_SHARED_DIR, else ../shared next to the package. */
export function sharedCorpusDir(): string {
  const fromEnv = process.env['OFSTED_SHARED_DIR'];
  return resolve(fromEnv ?? join(packageRoot(), '..', 'shared'), 'corpus', 'ilacs');
}

/** Why the shared corpus is unavailable, or undefined when it is there. */
export function sharedCorpusMissing(dir = sharedCorpusDir()): string | undefined {
  if (existsSync(join(dir, 'manifest.csv'))) return undefined;
  return `the shared Ofsted corpus is not available: ${join(dir, 'manifest.csv')} does not exist (clone ../shared beside the repository or set OFSTED_SHARED_DIR)`;
}

export function readManifest(dir = sharedCorpusDir()): ManifestEntry[] {
  const missing = sharedCorpusMissing(dir);
  if (missing) throw new IngestError('CORPUS_MISSING', missing);
  return parseManifest(readFileSync(join(dir, 'manifest.csv'), 'utf8'));
}

export interface SharedReport {
  entry: ManifestEntry;
  path: string;
  bytes: Uint8Array;
}

/** Iterate the shared reports in manifest order, each with its bytes and Ofsted grades. */
export async function* iterateSharedReports(dir = sharedCorpusDir()): AsyncGenerator<SharedReport> {
  for (const entry of readManifest(dir)) {
    const path = join(dir, `${entry.id}.pdf`);
    const bytes = new Uint8Array(await readFile(path));
    yield { entry, path, bytes };
  }
}

export function annotationsDir(): string {
  return join(packageRoot(), 'corpus', 'annotations');
}

/** Every annotation file under corpus/annotations (not the agreement subfolder), validated. */
export function readAnnotationFiles(dir = annotationsDir()): Map<string, Annotation[]> {
  const files = new Map<string, Annotation[]>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    files.set(name, parseAnnotations(readFileSync(join(dir, name), 'utf8'), name));
  }
  return files;
}

/**
 * The sentences read while writing or revising the rule packs (corpus/rule-development.jsonl),
 * as "doc#sentence" keys. They are never drawn for annotation, and corpus:check fails if one is labelled.
 */
export function readRuleDevelopmentKeys(path = join(packageRoot(), 'corpus', 'rule-development.jsonl')): Set<string> {
  const keys = new Set<string>();
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const r = JSON.parse(line) as { doc?: unknown; sentence?: unknown };
    if (typeof r.doc !== 'string' || typeof r.sentence !== 'number') throw new TypeError(`${path}:${i + 1}: expected { doc, sentence, hash }`);
    keys.add(`${r.doc}#${r.sentence}`);
  });
  return keys;
}

export interface LoadCorpusOptions {
  /** Include annotations of shared reports (needs ../shared). Default: true when available. */
  shared?: boolean;
  /** Called as each shared PDF is ingested. */
  onProgress?: (done: number, total: number) => void;
}

/** The labelled corpus joined to its text. Shared-report references are resolved by ingesting their PDFs. */
export async function loadLabelledCorpus(options: LoadCorpusOptions = {}): Promise<LabelledSentence[]> {
  const annotations = [...readAnnotationFiles().values()].flat();
  const documents = new Map<string, ReportDocument>();
  for (const doc of loadSeedDocuments()) documents.set(doc.id, doc);
  const useShared = options.shared ?? sharedCorpusMissing() === undefined;
  const wanted = annotations.filter((a) => !documents.has(a.doc));
  if (wanted.length > 0 && useShared) {
    const ids = [...new Set(wanted.map((a) => a.doc))].sort();
    const dir = sharedCorpusDir();
    const missing = sharedCorpusMissing(dir);
    if (missing) throw new IngestError('CORPUS_MISSING', missing);
    let done = 0;
    for (const id of ids) {
      documents.set(id, await loadSharedDocument(dir, id));
      options.onProgress?.(++done, ids.length);
    }
  }
  return joinAnnotations(useShared ? annotations : annotations.filter((a) => documents.has(a.doc)), documents);
}

/** Bump when normalisation or segmentation changes, so cached documents are rebuilt. */
export const SEGMENTATION_VERSION = 3;

function cacheDir(): string {
  return join(packageRoot(), 'node_modules', '.cache', 'ofsted-findings', `seg-v${SEGMENTATION_VERSION}`);
}

/**
 * Ingest one shared report, through a local cache keyed by the PDF's bytes and
 * the segmentation version. The cache lives in node_modules/.cache, which is
 * never committed, so report text stays out of the repository.
 */
export async function loadSharedDocument(dir: string, id: string): Promise<ReportDocument> {
  const bytes = new Uint8Array(await readFile(join(dir, `${id}.pdf`)));
  const key = hashText(new TextDecoder('latin1').decode(bytes));
  const file = join(cacheDir(), `${id}.${key}.json`);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ReportDocument;
    } catch {
      // A corrupt cache entry is rebuilt below.
    }
  }
  const doc = await fromPdf(bytes, { id });
  try {
    mkdirSync(cacheDir(), { recursive: true });
    writeFileSync(file, JSON.stringify(doc));
  } catch {
    // Caching is an optimisation; a read-only tree still works.
  }
  return doc;
}

/** The double-annotated subset: both raw annotations of the same sentences. */
export function readAgreementFiles(dir = join(annotationsDir(), 'agreement')): { primary: Annotation[]; second: Annotation[] } {
  return {
    primary: parseAnnotations(readFileSync(join(dir, 'primary.jsonl'), 'utf8'), 'agreement/primary.jsonl'),
    second: parseAnnotations(readFileSync(join(dir, 'second.jsonl'), 'utf8'), 'agreement/second.jsonl'),
  };
}
