import { IngestError } from '../errors.js';
import type { IngestOptions, ReportDocument } from '../schemas.js';
import { hashText } from '../segment/hash.js';
import { buildDocument } from '../segment/document.js';
import { normaliseText } from './normalise.js';
import { checkIngestOptions } from './options.js';

/** Inputs beyond this many UTF-16 units are refused rather than risking the caller's memory. */
export const MAX_TEXT_LENGTH = 64 * 1024 * 1024;

/** A plain-text report → a segmented document. Synchronous and browser-safe. */
export function fromText(text: string, options: IngestOptions = {}): ReportDocument {
  if (typeof text !== 'string') {
    throw new IngestError('INPUT_TYPE', `fromText expects a string, got ${text === null ? 'null' : typeof text}`);
  }
  if (text.length > MAX_TEXT_LENGTH) {
    throw new IngestError('INPUT_TOO_LARGE', `fromText input is ${text.length} characters; the limit is ${MAX_TEXT_LENGTH}`);
  }
  const { id: given, meta } = checkIngestOptions(options, 'fromText');
  const normalised = normaliseText(text);
  const id = given ?? `doc-${hashText(normalised.text)}`;
  return buildDocument(id, normalised, meta ?? {});
}
