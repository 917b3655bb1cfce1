#!/usr/bin/env node
// Should compromise or wink-nlp sit on the per-sentence hot path? Measured here: tokenisation
// throughput (sentences/s) of ofsted-findings' tokenize (regex + memoised Porter stems) against
// compromise (terms with normalisation) and wink-nlp (tokens with lemmas from the lite English model)
// on the same seed sentences in the same run, and each one's import time.
// Usage: node bench/tokenizers.mjs
import { loadSeedDocuments, tokenize } from 'ofsted-findings/node';

const sentences = loadSeedDocuments().flatMap((d) => d.sentences.map((s) => s.text));
const rate = (fn) => {
  for (const s of sentences) fn(s);
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 2000) for (const s of sentences) { fn(s); n++; }
  return n / ((performance.now() - t0) / 1000);
};
const timed = async (f) => { const t0 = performance.now(); const m = await f(); return [m, performance.now() - t0]; };

const [{ default: nlp }, compromiseImportMs] = await timed(() => import('compromise'));
const [[winkNLP, model], winkImportMs] = await timed(async () => [(await import('wink-nlp')).default, (await import('wink-eng-lite-web-model')).default]);
const wink = winkNLP(model);
const its = wink.its;

const ours = rate((s) => tokenize(s).map((t) => t.stem));
const comp = rate((s) => nlp(s).terms().out('normal'));
const wk = rate((s) => wink.readDoc(s).tokens().out(its.lemma));
const row = (name, r, ms) => `${name.padEnd(34)} ${Math.round(r).toString().padStart(9)} sentences/s   ${(r / ours).toFixed(3).padStart(7)}× ours${ms === undefined ? '' : `   import ${ms.toFixed(0)} ms`}`;
console.log(`${sentences.length} seed sentences, Node ${process.version}`);
console.log(row('ofsted-findings tokenize (stems)', ours));
console.log(row('compromise terms().out(normal)', comp, compromiseImportMs));
console.log(row('wink-nlp tokens().out(lemma)', wk, winkImportMs));
