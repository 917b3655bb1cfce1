import type { ReportDocument } from './schemas.js';

/**
 * Argument guards shared by the public functions. A wrong type is a TypeError,
 * a number or length out of range a RangeError; messages name the function
 * (and argument) and what was given, e.g. "hashText expects a string, got number".
 * Nothing is coerced: a guard either passes the value through or throws.
 */

/** A short, crash-proof description of a value's type for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type !== 'object') return type;
  let tag = 'Object';
  try {
    tag = Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    // A hostile Symbol.toStringTag getter: fall back to the generic name.
  }
  return tag === 'Object' ? 'object' : `object (${tag})`;
}

export function assertString(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${where} expects a string, got ${describeType(value)}`);
}

export function assertOptionalString(value: unknown, where: string): asserts value is string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`${where} expects a string or undefined, got ${describeType(value)}`);
}

export function assertArray(value: unknown, where: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where} expects an array, got ${describeType(value)}`);
}

export function assertFunction(value: unknown, where: string): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new TypeError(`${where} expects a function, got ${describeType(value)}`);
}

/** Two lists that are compared item by item must have the same length. */
export function assertSameLength(a: readonly unknown[], b: readonly unknown[], where: string): void {
  if (a.length !== b.length) throw new RangeError(`${where}: lists differ in length (${a.length} and ${b.length})`);
}

export function assertNumber(value: unknown, where: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${where} expects a number, got ${describeType(value)}`);
}

export function assertFiniteNumber(value: unknown, where: string): asserts value is number {
  assertNumber(value, where);
  if (!Number.isFinite(value)) throw new RangeError(`${where} expects a finite number, got ${value}`);
}

/** An integer ≥ min (default 0). */
export function assertInteger(value: unknown, where: string, min = 0): asserts value is number {
  assertNumber(value, where);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${where} expects an integer ≥ ${min}, got ${value}`);
}

/** A probability: a number in [0, 1] (NaN is refused). */
export function assertProbability(value: unknown, where: string): asserts value is number {
  assertNumber(value, where);
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${where} expects a probability in [0, 1], got ${value}`);
}

/**
 * An options argument: undefined (and, unless `allowNull` is false, null) means
 * "all defaults" and gives an empty object; any other non-object is a TypeError.
 */
export function assertOptionsObject<T extends object>(value: T | null | undefined, where: string, { allowNull = true }: { allowNull?: boolean } = {}): T {
  if (value === undefined || (value === null && allowNull)) return {} as T;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where} expects an options object, got ${describeType(value)}`);
  }
  return value;
}

/** The first issue of a failed zod parse as a TypeError: "<where>.<path>: <message>" ("<where>: <message>" at the root). */
export function schemaTypeError(where: string, error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): TypeError {
  const issue = error.issues[0];
  const path = issue === undefined ? '' : issue.path.map(String).join('.');
  return new TypeError(`${where}${path === '' ? '' : `.${path}`}: ${issue?.message ?? 'invalid value'}`);
}

/** A plain data object (not null, not an array, not a function). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Is this a ReportDocument (as made by fromText, fromPdf or segmentDocument)? A structural check, cheap enough for every call. */
export function isReportDocument(value: unknown): value is ReportDocument {
  if (!isRecord(value)) return false;
  const { id, text, sentences, sections, paragraphs, meta } = value;
  if (typeof id !== 'string' || typeof text !== 'string' || !isRecord(meta)) return false;
  if (!Array.isArray(sentences) || !Array.isArray(sections) || !Array.isArray(paragraphs)) return false;
  for (const s of sentences as unknown[]) {
    if (!isRecord(s) || typeof s['text'] !== 'string' || typeof s['index'] !== 'number' || typeof s['paragraph'] !== 'number' || typeof s['kind'] !== 'string') return false;
    if (!Array.isArray(s['sectionPath']) || (s['section'] !== undefined && typeof s['section'] !== 'string')) return false;
    const span = s['span'];
    if (!isRecord(span) || typeof span['start'] !== 'number' || typeof span['end'] !== 'number') return false;
  }
  for (const section of sections as unknown[]) {
    if (!isRecord(section) || typeof section['heading'] !== 'string' || !Array.isArray(section['path'])) return false;
  }
  for (const paragraph of paragraphs as unknown[]) if (!isRecord(paragraph)) return false;
  return true;
}

export function assertReportDocument(value: unknown, where: string): asserts value is ReportDocument {
  if (!isReportDocument(value)) {
    throw new TypeError(`${where} expects a document made by fromText, fromPdf or segmentDocument, got ${isRecord(value) ? 'an object that is not a report document' : describeType(value)}`);
  }
}
