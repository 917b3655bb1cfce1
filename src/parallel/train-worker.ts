/** A worker thread for trainModelInWorkers: fits the model's heads on the row sets it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { fitJob, type FitJob, type FitOptions, type TrainingLabels } from '../model/fit.js';
import type { SparseRows } from '../model/logistic.js';

const { X, labels, fit } = workerData as { X: SparseRows; labels: TrainingLabels; fit: FitOptions };

parentPort!.on('message', (job: { id: number; job: FitJob }) => {
  try {
    const heads = fitJob(X, labels, job.job, fit);
    const buffers = ('finding' in heads ? [heads.finding, ...heads.themes, ...heads.polarity] : heads.themes).map((a) => a.buffer as ArrayBuffer);
    parentPort!.postMessage({ id: job.id, result: heads }, buffers);
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
