/**
 * ofsted-findings: themes and polarity for the finding sentences of Ofsted
 * children's services inspection reports. This entry is browser-safe; file
 * system helpers live in `ofsted-findings/node`.
 */
export * from './schemas.js';
export { OfstedFindingsError, IngestError, RulePackError, ModelError } from './errors.js';
export type { ErrorPath, IngestErrorCode } from './errors.js';
export { fromText } from './ingest/text.js';
export { fromPdf, type PdfOptions } from './ingest/pdf.js';
export { normaliseText, type NormalisedText, type Block } from './ingest/normalise.js';
export { segmentSentences } from './segment/sentences.js';
export { segmentDocument } from './segment/document.js';
export { hashText } from './segment/hash.js';
export { parseManifest, parseCsv } from './corpus/manifest.js';
export { parseAnnotations, joinAnnotations, authorityOf } from './corpus/annotations.js';
export { cohenKappa, agreement, type AgreementReport } from './corpus/agreement.js';
