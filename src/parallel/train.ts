/**
 * trainModel across worker threads (Node): the same model, byte for byte, in
 * less wall time. The jobs of the inner cross-validation fits and of the final
 * fit are independent, so they run side by side; features, vocabulary, calibration and
 * thresholds are computed here exactly as trainModel computes them.
 */
import { availableParallelism } from 'node:os';
import { assertOptionsObject } from '../guards.js';
import { runInWorkers } from './pool.js';
import { finishTraining, planTraining, type FitJob, type FittedJob, type LabelledSentence, type Model, type TrainModelOptions } from '../index.js';

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
  const jobs = requested ?? Math.min(availableParallelism(), plan.jobs.length);

  // Largest first (a theme-only job is about half a full one), so that no big job waits at the end.
  const size = (j: FitJob) => j.rows.length * (j.themesOnly ? 1 : 2);
  const order = plan.jobs.map((_, i) => i).sort((a, b) => size(plan.jobs[b]!) - size(plan.jobs[a]!) || a - b);
  const fitted = await runInWorkers<FitJob, FittedJob>('trainModelInWorkers', new URL('./train-worker.js', import.meta.url), { X: plan.X, labels: plan.labels, fit: plan.fit }, jobs, plan.jobs, order);
  return finishTraining(plan, fitted);
}
