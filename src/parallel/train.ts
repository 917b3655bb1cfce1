/**
 * trainModel across worker threads (Node): the same model, byte for byte, in
 * less wall time. The inner cross-validation fits and the final fit are
 * independent, so they run side by side; features, vocabulary, calibration and
 * thresholds are computed here exactly as trainModel computes them.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assertOptionsObject } from '../guards.js';
import { finishTraining, planTraining, type Heads, type LabelledSentence, type Model, type TrainModelOptions } from '../index.js';

export interface ParallelTrainOptions extends TrainModelOptions {
  /** Worker threads (default: available cores, at most the number of fits). */
  jobs?: number;
}

type TrainingTarget = Parameters<typeof planTraining>[0][number];

export async function trainModelInWorkers(sentences: Array<TrainingTarget | LabelledSentence>, options: ParallelTrainOptions = {}): Promise<Model> {
  const { jobs: requested, ...trainOptions } = assertOptionsObject(options, 'trainModelInWorkers');
  const plan = planTraining(sentences as TrainingTarget[], trainOptions);
  const jobs = requested ?? Math.min(availableParallelism(), plan.fits.length);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new RangeError('trainModelInWorkers: jobs must be a whole number from 1 to 64');

  // The largest fit (all rows, last in the plan) goes first, so it never waits at the end.
  const order = plan.fits.map((_, i) => i).reverse();
  const fitted = new Array<Heads>(plan.fits.length);
  let next = 0;
  const workerUrl = new URL('./train-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(jobs, order.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData: { X: plan.X, labels: plan.labels, fit: plan.fit } });
        const send = () => {
          if (next >= order.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const id = order[next++]!;
          worker.postMessage({ id, rows: plan.fits[id] });
        };
        worker.on('message', (m: { id: number; heads?: Heads; error?: string }) => {
          if (m.error !== undefined) {
            void worker.terminate();
            reject(new Error(`trainModelInWorkers: a worker failed: ${m.error}`));
            return;
          }
          fitted[m.id] = m.heads!;
          send();
        });
        worker.on('error', reject);
        send();
      }),
    ),
  );
  return finishTraining(plan, fitted);
}
