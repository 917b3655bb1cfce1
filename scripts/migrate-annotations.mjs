#!/usr/bin/env node
// Re-point annotation references after a segmentation change, by sentence hash.
// Every reference is kept: when its sentence moved, its index is updated to the sentence
// with the same hash (the nearest one if the text occurs twice); when its text no longer
// exists as a sentence, the script stops and names the document and sentence, so the
// annotation can be re-read, never silently dropped.
// Usage: node scripts/migrate-annotations.mjs [--check] [files...]   (default: corpus/annotations/**/*.jsonl)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { SEGMENTATION_VERSION, annotationsDir, loadSeedDocuments, loadSharedDocument, packageRoot, sharedCorpusDir, sharedCorpusMissing } from 'ofsted-findings/node';

// The previous segmentation's cached documents, when present, give the old text of a
// reference whose text changed, so it can be re-pointed to the sentence that now holds it.
const oldCache = join(packageRoot(), 'node_modules', '.cache', 'ofsted-findings', `seg-v${SEGMENTATION_VERSION - 1}`);
const oldText = (docId, index) => {
  if (!existsSync(oldCache)) return undefined;
  const file = readdirSync(oldCache).find((f) => f.startsWith(`${docId}.`));
  if (!file) return undefined;
  return JSON.parse(readFileSync(join(oldCache, file), 'utf8')).sentences[index]?.text;
};
const squash = (t) => t.toLowerCase().replace(/[^a-z0-9]+/g, '');
const retiredFile = join(annotationsDir(), 'retired', 'retired.jsonl');
const retired = [];

const check = process.argv.includes('--check');
const explicit = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dir = annotationsDir();
const files = explicit.length > 0 ? explicit : [
  ...readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f)),
  ...readdirSync(join(dir, 'agreement')).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, 'agreement', f)),
];
const missing = sharedCorpusMissing();
if (missing) { console.error(`migrate-annotations: ${missing}`); process.exit(2); }
const docs = new Map(loadSeedDocuments().map((d) => [d.id, d]));
const docFor = async (id) => {
  if (!docs.has(id)) docs.set(id, await loadSharedDocument(sharedCorpusDir(), id));
  return docs.get(id);
};

let moved = 0, failed = 0;
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const out = [];
  // A text can occur several times (repeated table headers): each reference takes its own sentence.
  const taken = new Set();
  for (const line of lines) {
    const a = JSON.parse(line);
    if (a.hash && (await docFor(a.doc)).sentences[a.sentence]?.hash === a.hash) taken.add(`${a.doc}#${a.sentence}`);
  }
  for (const line of lines) {
    const a = JSON.parse(line);
    const doc = await docFor(a.doc);
    if (doc.sentences[a.sentence]?.hash === a.hash) { out.push(line); continue; }
    const candidates = doc.sentences.filter((s) => s.hash === a.hash && !taken.has(`${a.doc}#${s.index}`));
    if (candidates.length === 0) {
      const before = a.text ?? oldText(a.doc, a.sentence);
      const key = before ? squash(before) : '';
      // The same words now in a longer or shorter sentence (a wrap or a join changed).
      const holder = key.length >= 20 ? doc.sentences.find((s) => { const k = squash(s.text); return k.includes(key) || (k.length >= 20 && key.includes(k) && k.length >= key.length * 0.6); }) : undefined;
      if (holder) {
        moved++;
        out.push(JSON.stringify({ ...a, sentence: holder.index, hash: holder.hash, ...(a.text !== undefined ? { text: holder.text } : {}) }).replace(/,"/g, ', "').replace(/":/g, '": '));
        console.error(`${file}: ${a.doc} sentence ${a.sentence} re-pointed by text to sentence ${holder.index}`);
        continue;
      }
      if (before !== undefined && !doc.text.includes(before.replace(/ \| /g, ' '))) {
        // Text that normalisation now removes (contents lines, page furniture): retired, with its reason, never dropped silently.
        retired.push(JSON.stringify({ ...a, retired: `segmentation v${SEGMENTATION_VERSION} no longer yields this text as a sentence (page furniture removed by normalisation)` }).replace(/,"/g, ', "').replace(/":/g, '": '));
        console.error(`${file}: ${a.doc} sentence ${a.sentence} retired: its text is no longer a sentence (${JSON.stringify(before.slice(0, 60))})`);
        continue;
      }
      failed++;
      console.error(`${file}: ${a.doc} sentence ${a.sentence} (hash ${a.hash}) no longer exists as a sentence; re-read and re-annotate it`);
      out.push(line);
      continue;
    }
    const best = candidates.reduce((x, y) => (Math.abs(y.index - a.sentence) < Math.abs(x.index - a.sentence) ? y : x));
    taken.add(`${a.doc}#${best.index}`);
    moved++;
    out.push(JSON.stringify({ ...a, sentence: best.index }).replace(/,"/g, ', "').replace(/":/g, '": '));
  }
  if (!check) writeFileSync(file, out.join('\n') + '\n');
}
if (!check && retired.length > 0) writeFileSync(retiredFile, (existsSync(retiredFile) ? readFileSync(retiredFile, 'utf8') : '') + retired.join('\n') + '\n');
console.log(`${moved} references ${check ? 'would move' : 'moved'}; ${retired.length} retired; ${failed} could not be migrated`);
process.exit(failed > 0 ? 1 : 0);
