#!/usr/bin/env node
// Validate the labelled corpus and print its counts and agreement figures.
// Fails (exit 1) on a schema error, a hash mismatch, or counts below the corpus's commitments.
// Usage: npm run corpus:check   (uses the built package, as a user would)
import {
  CORE_THEMES, readRuleDevelopmentKeys, agreement, loadSeedDocuments, loadLabelledCorpus, readAgreementFiles, readAnnotationFiles, sharedCorpusMissing,
} from 'ofsted-findings/node';

const MIN = { total: 2800, random: 2000, enrichment: 400, agreement: 400 };
const problems = [];
const files = readAnnotationFiles();
const all = [...files.values()].flat();
console.log(`annotation files: ${[...files].map(([f, a]) => `${f} (${a.length})`).join(', ')}`);

const seen = new Set();
for (const a of all) {
  const key = `${a.doc}#${a.sentence}`;
  if (seen.has(key)) problems.push(`duplicate annotation for ${key}`);
  seen.add(key);
}
// Sentences that were read while writing the rule packs must never be labelled: the rules
// would then be scored on text their authors saw.
const ruleDevelopment = readRuleDevelopmentKeys();
const readDuringRuleWriting = all.filter((a) => ruleDevelopment.has(`${a.doc}#${a.sentence}`));
if (readDuringRuleWriting.length > 0) problems.push(`${readDuringRuleWriting.length} labelled sentences were read while writing the rule packs (corpus/rule-development.jsonl), e.g. ${readDuringRuleWriting[0].doc}#${readDuringRuleWriting[0].sentence}`);
console.log(`rule-development sentences (never labelled): ${ruleDevelopment.size}`);
const seedDocs = loadSeedDocuments();
for (const doc of seedDocs) {
  const labelled = all.filter((a) => a.doc === doc.id).length;
  if (labelled !== doc.sentences.length) problems.push(`seed ${doc.id}: ${labelled} of ${doc.sentences.length} sentences annotated`);
}

const missing = sharedCorpusMissing();
if (missing) console.log(`note: ${missing}; shared-report references were validated by schema only, not joined to their text`);
const joined = await loadLabelledCorpus({ onProgress: (d, n) => { if (d === n || d % 100 === 0) console.error(`joined ${d}/${n} shared reports`); } });
console.log(`joined ${joined.length} annotations to their sentences${missing ? ' (seeds only)' : ''}; every hash matched`);

const count = (rows, f) => rows.reduce((m, r) => { for (const k of [f(r)].flat()) m[k] = (m[k] ?? 0) + 1; return m; }, {});
const table = (title, obj) => {
  console.log(`\n${title}`);
  for (const [k, v] of Object.entries(obj).sort((a, b) => b[1] - a[1])) console.log(`  ${String(k).padEnd(28)} ${String(v).padStart(6)}`);
};
const findings = all.filter((a) => a.finding);
table('per sample', count(all, (a) => a.sample));
table('finding', count(all, (a) => String(a.finding)));
table('polarity (findings)', count(findings, (a) => a.polarity));
table('themes (findings; a sentence may have several)', count(findings, (a) => (a.themes.length ? a.themes : ['(none)'])));
for (const sample of ['random', 'enrichment', 'seed']) {
  const rows = findings.filter((a) => a.sample === sample);
  table(`themes in the ${sample} sample`, count(rows, (a) => (a.themes.length ? a.themes : ['(none)'])));
}
const authorities = count(all, (a) => a.doc.replace(/-\d{4}-\d{2}-\d{2}$/, ''));
console.log(`\nper authority: ${Object.keys(authorities).length} authorities`);
console.log('  ' + Object.entries(authorities).sort().map(([k, v]) => `${k} ${v}`).join(', '));
const years = count(all, (a) => a.doc.match(/(\d{4})-\d{2}-\d{2}$/)?.[1] ?? '?');
console.log(`per year: ${Object.entries(years).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);

const { primary, second } = readAgreementFiles();
const kappa = agreement(primary, second, CORE_THEMES);
console.log(`\nagreement on ${kappa.n} double-annotated sentences (Cohen's κ; ${kappa.disagreements} disagreements adjudicated)`);
console.log(`  finding   ${kappa.finding.toFixed(3)}`);
for (const t of CORE_THEMES) console.log(`  ${t.padEnd(13)} ${kappa.themes[t].toFixed(3)}`);
console.log(`  polarity  ${kappa.polarity.toFixed(3)}`);

const samples = count(all, (a) => a.sample);
if (all.length < MIN.total) problems.push(`${all.length} annotations; at least ${MIN.total} required`);
if ((samples.random ?? 0) < MIN.random) problems.push(`random sample ${samples.random ?? 0}; at least ${MIN.random} required`);
if ((samples.enrichment ?? 0) < MIN.enrichment) problems.push(`enrichment sample ${samples.enrichment ?? 0}; at least ${MIN.enrichment} required`);
if (kappa.n < MIN.agreement) problems.push(`${kappa.n} double-annotated sentences; at least ${MIN.agreement} required`);
if (problems.length > 0) {
  console.error(`\ncorpus:check failed:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log('\ncorpus:check passed');
