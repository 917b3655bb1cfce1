/**
 * Model files: validation at load (schema, format version, checksum), and a
 * compiled form for prediction — one feature → row map and one flat weight
 * matrix, so scoring a sentence is a single pass over its features.
 */
import { ModelError } from '../errors.js';
import { MODEL_FORMAT, MODEL_VERSION, ModelSchema, type Model, type Polarity } from '../schemas.js';
import { hashText } from '../segment/hash.js';
import { deepFreeze } from '../freeze.js';
import { decodeWeightsChecked, mayHoldWeights } from './weights.js';

export function modelChecksum(model: Omit<Model, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...rest } = model;
  return hashText(JSON.stringify(rest));
}

/** Validate a parsed model file (or its JSON text). Never returns a model that fails any check. */
export function loadModel(input: unknown, source = 'model'): Model {
  return validateModel(input, source, true);
}

/**
 * loadModel's checks. `checkChecksum` is false only for the bundled model, which the build accepts
 * with loadModel before bundling it (tsup.config.ts): hashing its 0.6 MB of JSON took about 2% of a
 * cold start. Its weight texts are then also decoded without the scan for non-base64 characters.
 * The schema, version and the weights' varint structure are still checked.
 */
function validateModel(input: unknown, source: string, checkChecksum: boolean): Model {
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (cause) {
      throw new ModelError('MODEL_CORRUPT', `${source} is not valid JSON (truncated or corrupted?): ${(cause as Error).message}`, { cause });
    }
  }
  const header = input as { format?: unknown; version?: unknown } | null;
  if (typeof header !== 'object' || header === null || header.format !== MODEL_FORMAT) {
    throw new ModelError('MODEL_FORMAT', `${source} is not an ofsted-findings model (format should be "${MODEL_FORMAT}")`);
  }
  if (header.version !== MODEL_VERSION) {
    throw new ModelError('MODEL_VERSION', `${source} has model version ${String(header.version)}; this library reads version ${MODEL_VERSION} — retrain with \`npm run train\``);
  }
  const parsed = ModelSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelError('MODEL_INVALID', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { path: issue.path as Array<string | number> });
  }
  // The vocabulary check does not copy (see schemas.ts): copy it here, so the model never shares the caller's array.
  const model = { ...parsed.data, vocabulary: parsed.data.vocabulary.slice() };
  const expected = checkChecksum ? modelChecksum(model) : model.checksum;
  if (expected !== model.checksum) {
    throw new ModelError('MODEL_CHECKSUM', `${source} fails its checksum (expected ${model.checksum}, computed ${expected}): the file was modified or corrupted`);
  }
  // A model that skips its checksum is the bundled one, which loadModel accepted in full at build time.
  decodedMatrices.set(model, decodeMatrix(model, source, !checkChecksum));
  return model;
}

/** Weight matrices of the models loadModel returned, decoded once (row-major [feature][head], as CompiledModel.weights). */
const decodedMatrices = new WeakMap<Model, Float32Array>();

/** Every head's weights, decoded straight into one row-major matrix: finding, each theme, then each polarity class. */
function decodeMatrix(model: Model, source: string, checkedAtBuild = false): Float32Array {
  const V = model.vocabulary.length;
  const labelled: Array<[string, string]> = [
    [`head "${model.finding.name}"`, model.finding.weights],
    ...model.themes.map((t): [string, string] => [`head "${t.name}"`, t.weights]),
    ...model.polarity.weights.map((w, k): [string, string] => [`polarity class "${model.polarity.classes[k]}"`, w]),
  ];
  const H = labelled.length;
  const invalid = (label: string) =>
    new ModelError('MODEL_INVALID', `${source}: ${label} does not hold exactly ${V} weights (one per vocabulary entry) in the model's weight encoding`);
  // Every head's length is checked before the V × H matrix is allocated.
  for (const [label, text] of labelled) if (!mayHoldWeights(text, V)) throw invalid(label);
  const matrix = new Float32Array(V * H);
  labelled.forEach(([label, text], h) => {
    if (!decodeWeightsChecked(text, V, matrix, h, H, checkedAtBuild)) throw invalid(label);
  });
  return matrix;
}

/** Models that loadModel validated and that were frozen after: safe to share without checking again. */
const sealedModels = new WeakSet<object>();

/** A validated, deeply frozen model: `input` itself when it is one already, else a checked frozen copy. */
export function sealModel(input: unknown, source = 'model', checkedAtBuild = false): Model {
  if (input !== null && typeof input === 'object' && sealedModels.has(input)) return input as Model;
  const model = deepFreeze(validateModel(input, source, !checkedAtBuild));
  sealedModels.add(model);
  return model;
}

export interface CompiledModel {
  model: Model;
  /** Row of every feature name: built on first use (classifying does not need it; see featurize.ts). */
  readonly index: Map<string, number>;
  /** Row-major [feature][head]: finding, each theme, then the four polarity classes. */
  weights: Float32Array;
  heads: number;
  themeIds: string[];
  themeSet: ReadonlySet<string>;
  polarityClasses: Polarity[];
}

const compiledCache = new WeakMap<Model, CompiledModel>();

export function compileModel(model: Model): CompiledModel {
  const hit = compiledCache.get(model);
  if (hit) return hit;
  const weights = decodedMatrices.get(model) ?? decodeMatrix(model, 'model');
  decodedMatrices.delete(model); // cached below as part of the compiled form
  const H = 1 + model.themes.length + model.polarity.weights.length;
  // A map of every name costs about 2% of a cold start, and classifying never reads it.
  let index: Map<string, number> | undefined;
  const compiled: CompiledModel = {
    model,
    get index() {
      if (index === undefined) {
        index = new Map();
        model.vocabulary.forEach((name, i) => index!.set(name, i));
      }
      return index;
    },
    weights,
    heads: H,
    themeIds: model.themes.map((t) => t.name),
    themeSet: new Set(model.themes.map((t) => t.name)),
    polarityClasses: model.polarity.classes,
  };
  compiledCache.set(model, compiled);
  return compiled;
}

/** Raw scores of every head for named features (the reference for featurize.ts's row path, which classify uses). */
export function scoreHeads(compiled: CompiledModel, features: Map<string, number>): Float64Array {
  const H = compiled.heads;
  const out = new Float64Array(H);
  for (const [name, value] of features) {
    const row = compiled.index.get(name);
    if (row === undefined) continue;
    const base = row * H;
    for (let h = 0; h < H; h++) out[h] = out[h]! + compiled.weights[base + h]! * value;
  }
  return out;
}
