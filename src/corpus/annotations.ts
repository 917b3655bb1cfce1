/**
 * The labelled corpus: parse and validate annotation files, and join each
 * reference to its sentence through the project's own ingestion. A hash
 * mismatch fails loudly and names the document: references must be migrated
 * when segmentation changes, never silently dropped.
 */
import { IngestError, OfstedFindingsError } from '../errors.js';
import { assertArray, assertString, describeType, isRecord } from '../guards.js';
import { AnnotationSchema, type Annotation, type LabelledSentence, type ReportDocument } from '../schemas.js';

export function parseAnnotations(jsonl: string, source: string): Annotation[] {
  assertString(jsonl, 'parseAnnotations (jsonl)');
  assertString(source, 'parseAnnotations (source)');
  const out: Annotation[] = [];
  jsonl.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new OfstedFindingsError('ANNOTATION_INVALID', `${source}:${i + 1}: not JSON`, { path: [source, i + 1], cause });
    }
    const result = AnnotationSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new OfstedFindingsError('ANNOTATION_INVALID', `${source}:${i + 1}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
        path: [source, i + 1, ...(issue.path as Array<string | number>)],
      });
    }
    out.push(result.data);
  });
  return out;
}

/** The authority of a document id such as "bromley-2011-05-10" or "barking-and-dagenham-2014-07-07". */
export function authorityOf(docId: string): string {
  assertString(docId, 'authorityOf');
  return docId.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

export function joinAnnotations(annotations: Annotation[], documents: ReadonlyMap<string, ReportDocument>): LabelledSentence[] {
  assertArray(annotations, 'joinAnnotations (annotations)');
  if (!(documents instanceof Map)) throw new TypeError(`joinAnnotations expects a Map of document id → document, got ${describeType(documents)}`);
  return annotations.map((a, i) => {
    if (!isRecord(a)) throw new TypeError(`joinAnnotations: annotations[${i}] must be an annotation object, got ${describeType(a)}`);
    const doc = documents.get(a.doc);
    if (!doc) throw new IngestError('CORPUS_MISSING', `annotation refers to document "${a.doc}", which was not loaded`, { path: [a.doc] });
    const sentence = doc.sentences[a.sentence];
    if (!sentence || sentence.hash !== a.hash) {
      throw new IngestError(
        'HASH_MISMATCH',
        `${a.doc}: sentence ${a.sentence} has hash ${sentence?.hash ?? '(none)'} but the annotation expects ${a.hash}; segmentation changed — migrate the references (scripts/migrate-annotations.mjs)`,
        { path: [a.doc, a.sentence] },
      );
    }
    if (a.text !== undefined && a.text !== sentence.text) {
      throw new IngestError('HASH_MISMATCH', `${a.doc}: sentence ${a.sentence} text differs from the annotation`, { path: [a.doc, a.sentence] });
    }
    return {
      ...a,
      text: sentence.text,
      ...(sentence.section !== undefined ? { section: sentence.section } : {}),
      kind: sentence.kind,
      authority: authorityOf(a.doc),
    };
  });
}
