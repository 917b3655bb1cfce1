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
  if (requested !== undefined && (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 1 || requested > 64)) {
    const message = 'trainModelInWorkers: jobs must be a whole number from 1 to 64';
    throw typeof requested === 'number' ? new RangeError(message) : new TypeError(message);
  }
  const plan = planTraining(sentences as TrainingTarget[], trainOptions);
  const jobs = requested ?? Math.min(availableParallelism(), plan.fits.length);

  // The largest fit (all rows, last in the plan) goes first, so it never waits at the end.
  const order = plan.fits.map((_, i) => i).filter((i) => plan.fits[i]!.length > 0).reverse();
  const fitted = new Array<Heads | undefined>(plan.fits.length).fill(undefined);
  let next = 0;
  let failure: Error | undefined;
  const workers: Worker[] = [];
  // On the first failure every worker stops, so none goes on fitting for a caller who has the error.
  const stopAll = (error: Error) => {
    failure ??= error;
    for (const w of workers) void w.terminate();
  };
  const workerUrl = new URL('./train-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: Math.min(jobs, order.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData: { X: plan.X, labels: plan.labels, fit: plan.fit } });
        workers.push(worker);
        let finished = false;
        const fail = (error: Error) => {
          if (finished) return;
          finished = true;
          stopAll(error);
          reject(failure);
        };
        const send = () => {
          if (failure !== undefined) return fail(failure);
          if (next >= order.length) {
            finished = true;
            void worker.terminate().then(() => resolve());
            return;
          }
          const id = order[next++]!;
          worker.postMessage({ id, rows: plan.fits[id] });
        };
        worker.on('message', (m: { id: number; heads?: Heads; error?: string }) => {
          if (m.error !== undefined) return fail(new Error(`trainModelInWorkers: a worker failed: ${m.error}`));
          fitted[m.id] = m.heads!;
          send();
        });
        worker.on('error', (error) => fail(error));
        worker.on('exit', (code) => fail(failure ?? new Error(`trainModelInWorkers: a worker exited (code ${code}) before its work was done`)));
        send();
      }),
    ),
  );
  return finishTraining(plan, fitted);
}
