/** The model trained on the labelled corpus, bundled so classifyFinding works right after install. */
import bundledJson from '../../models/ofsted-findings.model.json' with { type: 'json' };
import type { Model } from '../schemas.js';
import { BUNDLED_CHECKSUM_VERIFIED } from './bundled-checksum.js';
import { sealModel } from './model.js';

let bundled: Model | undefined;

/** Validated on first use (schema, version; the checksum too unless the build verified it), then frozen so that no caller can change what classifyFinding uses. */
export function bundledModel(): Model {
  bundled ??= sealModel(bundledJson, 'the bundled model (models/ofsted-findings.model.json)', BUNDLED_CHECKSUM_VERIFIED);
  return bundled;
}
