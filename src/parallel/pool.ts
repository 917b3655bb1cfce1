/**
 * A small worker-thread pool shared by classifyManyInWorkers and
 * trainModelInWorkers. Each worker gets `workerData` once, then jobs one at a
 * time ({ id, job } → { id, result } or { id, error }) until none are left.
 * On the first failure every worker is stopped, so none goes on working for a
 * caller who already has the error, and a worker that exits early fails the
 * run instead of leaving it pending.
 */
import { Worker } from 'node:worker_threads';

export async function runInWorkers<Job, Result>(
  where: string,
  workerUrl: URL,
  workerData: unknown,
  threads: number,
  jobs: readonly Job[],
  /** The order jobs are handed out in (default: as given); results stay indexed by job. */
  order: readonly number[] = jobs.map((_, i) => i),
): Promise<Result[]> {
  const results = new Array<Result>(jobs.length);
  let next = 0;
  let failure: Error | undefined;
  const workers: Worker[] = [];
  await Promise.all(
    Array.from({ length: Math.min(threads, order.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData });
        workers.push(worker);
        let finished = false;
        const fail = (error: Error) => {
          if (finished) return;
          finished = true;
          failure ??= error;
          for (const w of workers) void w.terminate();
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
          worker.postMessage({ id, job: jobs[id] });
        };
        worker.on('message', (m: { id: number; result?: Result; error?: string }) => {
          if (m.error !== undefined) return fail(new Error(`${where}: a worker failed: ${m.error}`));
          results[m.id] = m.result!;
          send();
        });
        worker.on('error', (error) => fail(error));
        worker.on('exit', (code) => fail(failure ?? new Error(`${where}: a worker exited (code ${code}) before its work was done`)));
        send();
      }),
    ),
  );
  return results;
}
