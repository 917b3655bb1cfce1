#!/usr/bin/env node
// Ingest every shared Ofsted PDF and report throughput and peak memory.
// Usage: node bench/ingest.mjs [--jobs N] [--limit N] [--dump DIR]
// Uses the built package (npm run build) exactly as a user would.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromPdf, readManifest, sharedCorpusDir, sharedCorpusMissing } from 'ofsted-findings/node';
import { readFileSync } from 'node:fs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (isMainThread) {
  const missing = sharedCorpusMissing();
  if (missing) {
    console.error(`bench/ingest: ${missing}`);
    process.exit(2);
  }
  const jobs = Math.max(1, Number(arg('jobs', '2')));
  const limit = Number(arg('limit', 'Infinity'));
  const dump = arg('dump', undefined);
  if (dump) mkdirSync(dump, { recursive: true });
  const entries = readManifest().slice(0, limit);
  const queue = [...entries];
  const started = performance.now();
  let reports = 0, pages = 0, sentences = 0, failed = 0;
  await Promise.all(
    Array.from({ length: jobs }, () => new Promise((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { dir: sharedCorpusDir(), dump } });
      const next = () => {
        const entry = queue.shift();
        if (entry) worker.postMessage(entry);
        else worker.terminate().then(resolve);
      };
      worker.on('message', (m) => {
        if (m.error) { failed++; console.error(`${m.id}: ${m.error}`); }
        else { reports++; pages += m.pages; sentences += m.sentences; }
        if (!process.stderr.isTTY && (reports + failed) % 50 === 0) console.error(`… ${reports + failed}/${entries.length}`);
        next();
      });
      worker.on('error', reject);
      next();
    })),
  );
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ reports, failed, pages, sentences, jobs, seconds: +seconds.toFixed(1), sentencesPerSecond: Math.round(sentences / seconds), peakRssMb: Math.round(peakRssMb) }, null, 2));
} else {
  parentPort.on('message', async (entry) => {
    try {
      const bytes = new Uint8Array(readFileSync(join(workerData.dir, `${entry.id}.pdf`)));
      const doc = await fromPdf(bytes, { id: entry.id, meta: { authority: entry.authority, date: entry.published } });
      if (workerData.dump) {
        const lines = doc.sentences.map((s) => JSON.stringify({ doc: s.docId, sentence: s.index, hash: s.hash, section: s.section ?? '', sectionPath: s.sectionPath, kind: s.kind, text: s.text }));
        writeFileSync(join(workerData.dump, `${entry.id}.jsonl`), lines.join('\n') + '\n');
      }
      parentPort.postMessage({ id: entry.id, pages: doc.pages ?? 0, sentences: doc.sentences.length });
    } catch (error) {
      parentPort.postMessage({ id: entry.id, error: `${error.code ?? ''} ${error.message}` });
    }
  });
}
