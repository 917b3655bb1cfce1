import type { ClassifyOptions, FindingResult } from '../schemas.js';
import { bundledModel } from '../model/bundled.js';
import { createClassifierWithModel, type Classifier, type ClassifierOptions } from './classifier.js';

/** A classifier over the built-in rule packs plus any added packs, with the bundled (or a given) model. */
export function createClassifier(options: ClassifierOptions = {}): Classifier {
  return createClassifierWithModel(options, bundledModel);
}

let defaultClassifier: Classifier | undefined;

/**
 * Classify one finding sentence with the built-in packs and the bundled model.
 * Synchronous; the first call validates the model and compiles the packs, later calls do no I/O.
 */
export function classifyFinding(text: string, options?: ClassifyOptions): FindingResult {
  defaultClassifier ??= createClassifier();
  return defaultClassifier.classify(text, options);
}
