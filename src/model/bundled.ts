/** The model trained on the labelled corpus, bundled so classifyFinding works right after install. */
import bundledJson from '../../models/ofsted-findings.model.json' with { type: 'json' };
import type { Model } from '../schemas.js';
import { loadModel } from './model.js';

let bundled: Model | undefined;

/** Validated on first use (schema, version, checksum), then reused. */
export function bundledModel(): Model {
  // Validated once, then frozen so that no caller can change what classifyFinding uses.
  bundled ??= deepFreezeModel(loadModel(bundledJson, 'the bundled model (models/ofsted-findings.model.json)'));
  return bundled;
}

function deepFreezeModel<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreezeModel((value as Record<string, unknown>)[key]);
  }
  return value;
}
