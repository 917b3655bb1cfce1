#!/usr/bin/env node
// Growth of segmentation (fromText) and classification (classifyFinding on the whole text as
// one "sentence") with input size: 1, 2, 4 and 8 MB, plus a 10 MB run, built from realistic
// repeated inspection-report text. Prints a table of seconds, MB/s and the ratio of each time
// to the 1 MB time, whether growth is linear (time(8 MB) / time(1 MB) < 12), and peak RSS.
// Uses the built package: run `npx tsup` first if dist/ is missing.
// Usage: npm run bench:robustness [-- --runs N] [-- --sizes 1,2,4,8,10]
import { classifyFinding, fromText } from 'ofsted-findings';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 2));
const SIZES_MB = String(arg('sizes', '1,2,4,8,10')).split(',').map(Number);
const MB = 1024 * 1024;
const LINEAR_LIMIT = 12;

const PARAGRAPHS = [
  'Summary of findings',
  'Children who need help and protection receive a timely response at the front door. Thresholds are well understood and applied consistently by partner agencies, and strategy discussions are held promptly with police and health partners.',
  'Areas for development',
  'Management oversight is not always evident on case records. Supervision is regular but is not reflective, and actions are not always followed up. Child protection plans do not always include measurable timescales for agreed actions.',
  '- High caseloads and a reliance on agency staff limit the stability of the workforce in the assessment teams.',
  '- Chronologies are not always completed, so the history of concerns is not clear to new workers.',
  'Strengths',
  "21. Social workers visit children regularly, see them alone and know them well. Care leavers told inspectors that their personal advisers are 'always there for them'. Around 72% of assessments were completed within 45 working days in 2016-17.",
  'Strategy discussions are timely; however, health partners do not always attend. Senior leaders have an accurate understanding of the service’s strengths and weaknesses (see para. 21), e.g. in s47 enquiries.',
];
const UNIT = PARAGRAPHS.join('\n\n') + '\n\n';

function textOf(bytes) {
  return UNIT.repeat(Math.ceil(bytes / UNIT.length)).slice(0, bytes);
}

function best(fn, runs) {
  let bestMs = Infinity;
  let out;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    out = fn();
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  return { seconds: bestMs / 1000, out };
}

// Warm-up: JIT, model validation, pack compilation.
{
  const warm = textOf(256 * 1024);
  fromText(warm);
  classifyFinding(warm);
}

const rows = [];
for (const mb of SIZES_MB) {
  let text = textOf(Math.round(mb * MB));
  const seg = best(() => fromText(text).sentences.length, RUNS);
  const cls = best(() => {
    const r = classifyFinding(text);
    return { isFinding: r.isFinding, evidence: r.evidence.length };
  }, RUNS);
  rows.push({ mb, chars: text.length, sentences: seg.out, segSeconds: seg.seconds, clsSeconds: cls.seconds, evidence: cls.out.evidence, rssMB: process.memoryUsage().rss / MB });
  text = undefined;
  globalThis.gc?.();
}

const base = rows.find((r) => r.mb === 1) ?? rows[0];
const pad = (s, n) => String(s).padStart(n);
const fixed = (x, d) => x.toFixed(d);
console.log(`ofsted-findings robustness bench — node ${process.version}, best of ${RUNS} run(s) per size`);
console.log('');
console.log(`${pad('size', 6)} | ${pad('sentences', 9)} | ${pad('fromText s', 10)} ${pad('MB/s', 6)} ${pad('×1MB', 6)} | ${pad('classify s', 10)} ${pad('MB/s', 6)} ${pad('×1MB', 6)} | ${pad('evidence', 8)} | ${pad('RSS MB', 7)}`);
console.log('-'.repeat(101));
for (const r of rows) {
  console.log(
    `${pad(`${r.mb} MB`, 6)} | ${pad(r.sentences, 9)} | ${pad(fixed(r.segSeconds, 3), 10)} ${pad(fixed(r.mb / r.segSeconds, 2), 6)} ${pad(fixed(r.segSeconds / base.segSeconds, 2), 6)} | ${pad(fixed(r.clsSeconds, 3), 10)} ${pad(fixed(r.mb / r.clsSeconds, 2), 6)} ${pad(fixed(r.clsSeconds / base.clsSeconds, 2), 6)} | ${pad(r.evidence, 8)} | ${pad(fixed(r.rssMB, 0), 7)}`,
  );
}
console.log('');
const eight = rows.find((r) => r.mb === 8);
if (eight && base.mb === 1) {
  const segRatio = eight.segSeconds / base.segSeconds;
  const clsRatio = eight.clsSeconds / base.clsSeconds;
  console.log(`fromText:       time(8 MB) / time(1 MB) = ${fixed(segRatio, 2)} → ${segRatio < LINEAR_LIMIT ? 'linear' : 'NOT linear'} (limit ${LINEAR_LIMIT})`);
  console.log(`classifyFinding: time(8 MB) / time(1 MB) = ${fixed(clsRatio, 2)} → ${clsRatio < LINEAR_LIMIT ? 'linear' : 'NOT linear'} (limit ${LINEAR_LIMIT})`);
  console.log(`growth is linear: ${segRatio < LINEAR_LIMIT && clsRatio < LINEAR_LIMIT ? 'yes' : 'NO'}`);
} else {
  console.log('growth check needs the 1 MB and 8 MB sizes');
}

// The documented hard limit: fromText refuses more than 64 Mi UTF-16 units, quickly.
{
  const huge = 'x'.repeat(64 * MB + 1);
  const t0 = performance.now();
  let code = 'no error';
  try {
    fromText(huge);
  } catch (e) {
    code = e?.code ?? String(e);
  }
  console.log(`fromText(64 MB + 1 char): ${code} in ${fixed(performance.now() - t0, 1)} ms`);
}

const peak = process.resourceUsage().maxRSS / 1024; // kB → MB
console.log(`peak RSS: ${fixed(peak, 0)} MB`);
