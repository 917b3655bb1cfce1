/**
 * classifyMany across worker threads (Node). Results are exactly those of
 * createClassifier(options).classifyMany(items), in the same order.
 */
import { availableParallelism } from 'node:os';
import { runInWorkers } from './pool.js';
import { createClassifier, type ClassifierOptions, type ClassifyInput, type FindingResult } from '../index.js';

export interface ParallelOptions extends Omit<ClassifierOptions, 'model'> {
  /** Worker threads (default: available cores, at most 8). */
  jobs?: number;
  /** Sentences per message to a worker (default 500). */
  chunkSize?: number;
}

export async function classifyManyInWorkers(items: readonly ClassifyInput[], options: ParallelOptions = {}): Promise<FindingResult[]> {
  if (!Array.isArray(items)) throw new TypeError('classifyManyInWorkers expects an array of strings or { text, section?, kind? } objects');
  const jobs = options.jobs ?? Math.min(8, availableParallelism());
  const chunkSize = options.chunkSize ?? 500;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new RangeError('classifyManyInWorkers: jobs must be a whole number from 1 to 64');
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError('classifyManyInWorkers: chunkSize must be a positive whole number');
  // Validate packs, thresholds and every item here, so errors surface in the caller's thread as they would serially.
  const serial = createClassifier({ ...(options.rulePacks ? { rulePacks: options.rulePacks } : {}), ...(options.thresholds ? { thresholds: options.thresholds } : {}) });
  if (jobs === 1 || items.length <= chunkSize) return serial.classifyMany(items);
  for (const item of items) if (typeof item !== 'string' && (item === null || typeof item !== 'object' || typeof item.text !== 'string')) return serial.classifyMany(items);

  const chunks: ClassifyInput[][] = [];
  for (let i = 0; i < items.length; i += chunkSize) chunks.push(items.slice(i, i + chunkSize));
  const results = await runInWorkers<ClassifyInput[], FindingResult[]>(
    'classifyManyInWorkers',
    new URL('./classify-worker.js', import.meta.url),
    { rulePacks: options.rulePacks ?? [], thresholds: options.thresholds },
    jobs,
    chunks,
  );
  return results.flat();
}
