/** A CLI worker thread: summarises one input file per message, with the same packs as the main thread. */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { OfstedFindingsError, createClassifier, fromPdf, fromText, parseRulePack, summariseReport } from '../index.js';

const { packs: packPaths, slim } = workerData as { packs: string[]; slim: boolean };
const packs = packPaths.map((p) => parseRulePack(readFileSync(p, 'utf8'), p));
const classifier = createClassifier({ rulePacks: packs });

parentPort!.on('message', async (path: string) => {
  try {
    const id = basename(path).replace(/\.(txt|pdf)$/i, '');
    const doc = extname(path).toLowerCase() === '.pdf' ? await fromPdf(new Uint8Array(readFileSync(path)), { id }) : fromText(readFileSync(path, 'utf8'), { id });
    const summary = await summariseReport(doc, { classifier });
    // Only what the output format needs crosses back: tables need no report text or evidence.
    parentPort!.postMessage({ path, summary: slim ? { ...summary, text: '', findings: summary.findings.map((f) => ({ ...f, evidence: [] })), notable: {} } : summary });
  } catch (error) {
    const message = error instanceof OfstedFindingsError ? `${error.message} [${error.code}]` : error instanceof Error ? error.message : String(error);
    parentPort!.postMessage({ path, error: message });
  }
});
