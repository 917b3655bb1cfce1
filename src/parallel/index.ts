/**
 * classifyMany across worker threads (Node). Results are exactly those of
 * createClassifier(options).classifyMany(items), in the same order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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
  const results = new Array<FindingResult[]>(chunks.length);
  let next = 0;
  const workerUrl = new URL('./classify-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(jobs, chunks.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData: { rulePacks: options.rulePacks ?? [], thresholds: options.thresholds } });
        const send = () => {
          if (next >= chunks.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const id = next++;
          worker.postMessage({ id, items: chunks[id] });
        };
        worker.on('message', (m: { id: number; results?: FindingResult[]; error?: string }) => {
          if (m.error !== undefined) {
            void worker.terminate();
            reject(new Error(`classifyManyInWorkers: a worker failed: ${m.error}`));
            return;
          }
          results[m.id] = m.results!;
          send();
        });
        worker.on('error', reject);
        send();
      }),
    ),
  );
  return results.flat();
}
