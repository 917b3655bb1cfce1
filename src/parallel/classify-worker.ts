/** A worker thread for classifyManyInWorkers: classifies chunks of sentences with the caller's packs and thresholds. */
import { parentPort, workerData } from 'node:worker_threads';
import { createClassifier, type ClassifyInput, type RulePack } from '../index.js';

const { rulePacks, thresholds } = workerData as { rulePacks: RulePack[]; thresholds?: Record<string, number> };
const classifier = createClassifier({ rulePacks, ...(thresholds ? { thresholds } : {}) });

parentPort!.on('message', (job: { id: number; job: ClassifyInput[] }) => {
  try {
    parentPort!.postMessage({ id: job.id, result: classifier.classifyMany(job.job) });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
