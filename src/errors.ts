/**
 * One error family for the whole library, in the spirit of zod's single error
 * type: every error has a stable `code`, a human message, and (where a piece
 * of input is to blame) the `path` to it.
 */
export type ErrorPath = ReadonlyArray<string | number>;

export class OfstedFindingsError extends Error {
  readonly code: string;
  readonly path: ErrorPath;
  constructor(code: string, message: string, options: { path?: ErrorPath; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OfstedFindingsError';
    this.code = code;
    this.path = options.path ?? [];
  }
}

/** Input could not be read as a report (bad PDF, encrypted PDF, wrong type). */
export class IngestError extends OfstedFindingsError {
  constructor(code: IngestErrorCode, message: string, options: { path?: ErrorPath; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'IngestError';
  }
}
export type IngestErrorCode =
  | 'PDF_INVALID'
  | 'PDF_ENCRYPTED'
  | 'PDF_EMPTY'
  | 'PDF_TOO_LARGE'
  | 'PDF_UNAVAILABLE'
  | 'INPUT_TYPE'
  | 'INPUT_TOO_LARGE'
  | 'CORPUS_MISSING'
  | 'CORPUS_INVALID'
  | 'HASH_MISMATCH';

/** A rule pack failed validation or compilation. */
export class RulePackError extends OfstedFindingsError {
  constructor(code: string, message: string, options: { path?: ErrorPath; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'RulePackError';
  }
}

/** A model file is corrupt, truncated, of the wrong version or fails its checksum. */
export class ModelError extends OfstedFindingsError {
  constructor(code: string, message: string, options: { path?: ErrorPath; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'ModelError';
  }
}
