/**
 * Model files: validation at load (schema, format version, checksum), and a
 * compiled form for prediction — one feature → row map and one flat weight
 * matrix, so scoring a sentence is a single pass over its features.
 */
import { ModelError } from '../errors.js';
import { MODEL_FORMAT, MODEL_VERSION, ModelSchema, type Model, type Polarity } from '../schemas.js';
import { hashText } from '../segment/hash.js';
import { deepFreeze } from '../freeze.js';

export function modelChecksum(model: Omit<Model, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...rest } = model;
  return hashText(JSON.stringify(rest));
}

/** Validate a parsed model file (or its JSON text). Never returns a model that fails any check. */
export function loadModel(input: unknown, source = 'model'): Model {
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
  const model = parsed.data;
  const expected = modelChecksum(model);
  if (expected !== model.checksum) {
    throw new ModelError('MODEL_CHECKSUM', `${source} fails its checksum (expected ${model.checksum}, computed ${expected}): the file was modified or corrupted`);
  }
  const V = model.vocabulary.length;
  const heads = [model.finding, ...model.themes];
  for (const head of heads) if (head.weights.length !== V) throw new ModelError('MODEL_INVALID', `${source}: head "${head.name}" has ${head.weights.length} weights for ${V} features`);
  for (const w of model.polarity.weights) if (w.length !== V) throw new ModelError('MODEL_INVALID', `${source}: a polarity class has ${w.length} weights for ${V} features`);
  return model;
}

/** Models that loadModel validated and that were frozen after: safe to share without checking again. */
const sealedModels = new WeakSet<object>();

/** A validated, deeply frozen model: `input` itself when it is one already, else a checked frozen copy. */
export function sealModel(input: unknown, source = 'model'): Model {
  if (input !== null && typeof input === 'object' && sealedModels.has(input)) return input as Model;
  const model = deepFreeze(loadModel(input, source));
  sealedModels.add(model);
  return model;
}

export interface CompiledModel {
  model: Model;
  index: Map<string, number>;
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
  const V = model.vocabulary.length;
  const columns = [model.finding.weights, ...model.themes.map((t) => t.weights), ...model.polarity.weights];
  const H = columns.length;
  const weights = new Float32Array(V * H);
  for (let h = 0; h < H; h++) {
    const col = columns[h]!;
    for (let v = 0; v < V; v++) weights[v * H + h] = col[v]!;
  }
  const index = new Map<string, number>();
  model.vocabulary.forEach((name, i) => index.set(name, i));
  const compiled: CompiledModel = {
    model,
    index,
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
