/**
 * The weight codec of model files (format 3). The trainer rounds every weight
 * to 4 decimals, so a weight is an integer number of 10⁻⁴ steps. A head's
 * weights are stored as those integers, zigzag LEB128 varints (most weights
 * are small, so most take one or two bytes), in base64. Decoding is exact:
 * k / 10⁴ is the same double as the 4-decimal JSON number it replaces.
 * Loading a model then parses a few long strings instead of about 160,000 numbers.
 * Node's Buffer decodes the base64 when it exists; a pure-JS decoder does
 * elsewhere, so the core stays browser-safe.
 */

export const WEIGHT_SCALE = 10_000;
/** The largest |weight| the codec stores exactly (|k| < 2³¹ steps). */
export const MAX_WEIGHT = 2 ** 31 / WEIGHT_SCALE - 1;
const MAX_STEPS = Math.round(MAX_WEIGHT * WEIGHT_SCALE);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) CODE[ALPHABET.charCodeAt(i)] = i;

function toBase64(bytes: Uint8Array, length: number): string {
  const out: string[] = [];
  let chunk = '';
  for (let i = 0; i < length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < length ? bytes[i + 1]! : 0;
    const b2 = i + 2 < length ? bytes[i + 2]! : 0;
    chunk += ALPHABET[b0 >> 2]! + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]!;
    chunk += i + 1 < length ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)]! : '=';
    chunk += i + 2 < length ? ALPHABET[b2 & 63]! : '=';
    if (chunk.length >= 4096) (out.push(chunk), (chunk = ''));
  }
  out.push(chunk);
  return out.join('');
}

/** Weights (already rounded to 4 decimals by the trainer) → base64 varints. Throws RangeError on a non-finite or out-of-range weight. */
export function encodeWeights(weights: ArrayLike<number>): string {
  const bytes = new Uint8Array(weights.length * 5);
  let n = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!Number.isFinite(w) || Math.abs(w) > MAX_WEIGHT) throw new RangeError(`weight ${i} (${w}) cannot be stored: weights must be finite and at most ${MAX_WEIGHT} in size`);
    const k = Math.round(w * WEIGHT_SCALE);
    // zigzag: 0, -1, 1, -2 … → 0, 1, 2, 3 …, as an unsigned 32-bit value
    let z = ((k << 1) ^ (k >> 31)) >>> 0;
    while (z >= 0x80) {
      bytes[n++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    bytes[n++] = z;
  }
  return toBase64(bytes, n);
}

/** Base64 text → bytes, or -1 when the text is not padded base64 (unused padding bits are ignored; the model checksum covers the text). Two tight loops decode faster than one with a per-byte callback. */
export function fromBase64(text: string, bytes: Uint8Array): number {
  const L = text.length;
  if (L % 4 !== 0) return -1;
  let n = 0;
  const full = L > 0 && text.charCodeAt(L - 1) === 61 /* = */ ? L - 4 : L;
  for (let i = 0; i < full; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 127) return -1;
    const d0 = CODE[c0]!;
    const d1 = CODE[c1]!;
    const d2 = CODE[c2]!;
    const d3 = CODE[c3]!;
    if ((d0 | d1 | d2 | d3) < 0) return -1;
    bytes[n++] = (d0 << 2) | (d1 >> 4);
    bytes[n++] = ((d1 & 15) << 4) | (d2 >> 2);
    bytes[n++] = ((d2 & 3) << 6) | d3;
  }
  if (full < L) {
    const c0 = text.charCodeAt(full);
    const c1 = text.charCodeAt(full + 1);
    const c2 = text.charCodeAt(full + 2);
    if ((c0 | c1 | c2) > 127) return -1;
    const d0 = CODE[c0]!;
    const d1 = CODE[c1]!;
    if ((d0 | d1) < 0) return -1;
    bytes[n++] = (d0 << 2) | (d1 >> 4);
    if (c2 !== 61) {
      const d2 = CODE[c2]!;
      if (d2 < 0) return -1;
      bytes[n++] = ((d1 & 15) << 4) | (d2 >> 2);
    }
  }
  return n;
}

let scratch = new Uint8Array(0);

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;
/** Node's native decoder when present (it is lenient, so the text is checked first); the JS loop elsewhere. */
const nativeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;

function decodeBase64(text: string, checkedAtBuild: boolean): Uint8Array | undefined {
  if (nativeBuffer && text.length % 4 === 0 && (checkedAtBuild || BASE64_TEXT.test(text))) return nativeBuffer.from(text, 'base64');
  const capacity = (text.length / 4) * 3;
  if (scratch.length < capacity) scratch = new Uint8Array(capacity);
  const n = fromBase64(text, scratch);
  return n < 0 ? undefined : scratch.subarray(0, n);
}

/**
 * Base64 varints → exactly `count` weights written to out[offset + i·stride]
 * (so a head can be decoded straight into a row-major matrix). Returns false,
 * never throws, when the text is not a well-formed encoding of exactly
 * `count` weights: bad characters, a truncated or over-long varint, too few or
 * too many values.
 */
export function decodeWeightsInto(text: string, count: number, out: Float32Array | Float64Array, offset = 0, stride = 1): boolean {
  return decodeWeightsChecked(text, count, out, offset, stride, false);
}

/**
 * decodeWeightsInto, for a text that loadModel has already accepted when the package was built (the bundled
 * model): Node's decoder then skips the scan of the text for non-base64 characters (about 2% of a cold start).
 * The varints are still checked as they are read.
 */
export function decodeWeightsChecked(text: string, count: number, out: Float32Array | Float64Array, offset: number, stride: number, checkedAtBuild: boolean): boolean {
  if (typeof text !== 'string' || !Number.isSafeInteger(count) || count < 0) return false;
  const bytes = decodeBase64(text, checkedAtBuild);
  if (bytes === undefined) return false;
  const n = bytes.length;
  let filled = 0;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < n; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    if (byte & 0x80) {
      scale *= 128;
      if (scale > 2 ** 28) return false; // a sixth byte: not a 32-bit varint
      continue;
    }
    // One encoding per weight: no over-long varint (a final zero byte after a continuation), nothing encodeWeights would refuse.
    if (filled === count || (byte === 0 && scale > 1)) return false;
    // un-zigzag without 32-bit overflow: even z → z/2, odd z → -(z+1)/2
    const k = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (Math.abs(k) > MAX_STEPS) return false;
    out[offset + filled * stride] = k / WEIGHT_SCALE;
    filled++;
    value = 0;
    scale = 1;
  }
  return filled === count && scale === 1;
}

/**
 * Whether `text` has a length that `count` weights can take (1 to 5 bytes each, in padded base64).
 * Cheap: callers check it before allocating room for `count` weights, so a short hostile text cannot ask for a huge array.
 */
export function mayHoldWeights(text: unknown, count: number): text is string {
  if (typeof text !== 'string' || !Number.isSafeInteger(count) || count < 0) return false;
  return text.length >= 4 * Math.ceil(count / 3) && text.length <= 4 * Math.ceil((5 * count) / 3);
}

/** Base64 varints → weights, or undefined when the text does not hold exactly `count` of them. */
export function decodeWeights(text: string, count: number): Float64Array | undefined {
  if (!mayHoldWeights(text, count)) return undefined;
  const out = new Float64Array(count);
  return decodeWeightsInto(text, count, out) ? out : undefined;
}
