/**
 * classifyMany across worker threads gives exactly the serial results. Runs the
 * built package (npm test builds first), because the worker is a dist/ file.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
type NodeApi = typeof import('../src/node.js');
let api: NodeApi;

beforeAll(async () => {
  if (!existsSync(`${root}dist/classify-worker.js`)) execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore' });
  api = (await import('ofsted-findings/node')) as unknown as NodeApi;
}, 300_000);

describe('classifyManyInWorkers', () => {
  it('gives byte-identical results to the serial classifyMany, in order', async () => {
    const items = api.loadSeedDocuments().flatMap((d) => d.sentences.map((s) => ({ text: s.text, ...(s.section !== undefined ? { section: s.section } : {}), kind: s.kind })));
    const serial = api.createClassifier().classifyMany(items);
    const parallel = await api.classifyManyInWorkers(items, { jobs: 2, chunkSize: 97 });
    expect(parallel.length).toBe(items.length);
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(serial));
  }, 120_000);

  it('uses the caller\'s rule packs in every worker', async () => {
    const pack = api.parseRulePack({
      id: 'my-pack', version: '1.0.0', description: 'Voice of the child',
      themes: [{ id: 'voice-of-the-child', label: 'Voice of the child', description: "children's views and wishes heard and acted on" }],
      rules: [{ id: 'votc.views', target: { theme: 'voice-of-the-child' }, patterns: ['views of children', 'wishes and feelings'], weight: 3 }],
    });
    const items = Array.from({ length: 40 }, (_, i) => (i % 2 ? "Social workers record children's wishes and feelings well." : 'Caseloads are manageable.'));
    const parallel = await api.classifyManyInWorkers(items, { jobs: 2, chunkSize: 7, rulePacks: [pack] });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(api.createClassifier({ rulePacks: [pack] }).classifyMany(items)));
    expect(parallel[1]!.themes.map((t) => t.theme)).toContain('voice-of-the-child');
  }, 120_000);

  it('rejects bad arguments in the caller\'s thread with typed errors', async () => {
    await expect(api.classifyManyInWorkers('not an array' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(api.classifyManyInWorkers([], { jobs: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(api.classifyManyInWorkers([42 as never], { jobs: 2, chunkSize: 1 })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('trainModelInWorkers', () => {
  it('trains the byte-identical model that trainModel trains', async () => {
    // The seeds alone (836 labelled sentences, three authorities) keep this quick without ../shared.
    const corpus = await api.loadLabelledCorpus({ shared: false });
    const options = { epochs: 12, innerFolds: 3, metrics: { note: 1 } };
    const serial = api.trainModel(corpus, options);
    const parallel = await api.trainModelInWorkers(corpus, { ...options, jobs: 2 });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(serial));
    expect(serial.training.sentences).toBe(corpus.length);
  }, 120_000);

  it('planTraining and finishTraining are trainModel in two halves, and finishTraining checks what it is given', async () => {
    const corpus = await api.loadLabelledCorpus({ shared: false });
    const options = { epochs: 6, innerFolds: 3 };
    const plan = api.planTraining(corpus, options);
    expect(plan.fits).toHaveLength(4);
    expect(plan.fits[3]).toHaveLength(corpus.length);
    // Per fit: every head with the first theme prior, then the theme heads alone with the other.
    expect(plan.themePriors).toEqual([0, 0.5]);
    expect(plan.jobs.map((j) => [j.fit, j.themePrior, j.themesOnly])).toEqual(
      [0, 1, 2, 3].flatMap((fit) => [[fit, 0, false], [fit, 0.5, true]]),
    );
    // The plan cannot be changed between its jobs and finishTraining.
    for (const part of [plan, plan.jobs, plan.jobs[0], plan.fits, plan.fits[0], plan.themePriors, plan.fit]) expect(Object.isFrozen(part)).toBe(true);
    const serial = api.trainModel(corpus, options);
    const wrongLength = plan.jobs.map(() => ({ finding: new Float64Array(3), themes: [], polarity: [] }));
    expect(() => api.finishTraining(plan, wrongLength as never)).toThrow(TypeError);
    // A theme-only job's result is enough for a theme-only job, not for a full one.
    const fitted = plan.jobs.map((_, i) => api.fitPlannedJob(plan, i));
    expect(() => api.fitPlannedJob(plan, plan.jobs.length)).toThrow(RangeError);
    expect(() => api.fitPlannedJob({ ...plan }, 0)).toThrow(/made by planTraining/);
    const swapped = fitted.map((h, i) => (i % 2 === 0 ? { themes: h.themes } : h));
    expect(() => api.finishTraining(plan, swapped as never)).toThrow(/fitted\[0\]/);
    expect(JSON.stringify(api.finishTraining(plan, fitted))).toBe(JSON.stringify(serial));
    expect(() => api.finishTraining(plan, [] as never)).toThrow(TypeError);
    expect(() => api.finishTraining({ ...plan } as never, [] as never)).toThrow(/made by planTraining/);
    // A plan made elsewhere (here, a copy) is refused; the real one, with real fits, gives trainModel's model.
    const parallel = await api.trainModelInWorkers(corpus, { ...options, jobs: 2 });
    expect(JSON.stringify(parallel)).toBe(JSON.stringify(serial));
  }, 120_000);

  it('refuses a bad jobs count, and bad sentences, with the errors trainModel gives', async () => {
    await expect(api.trainModelInWorkers('nope' as never)).rejects.toBeInstanceOf(TypeError);
    const corpus = await api.loadLabelledCorpus({ shared: false });
    await expect(api.trainModelInWorkers(corpus, { jobs: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(api.trainModelInWorkers(corpus, 'fast' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(api.trainModelInWorkers(corpus, { jobs: 'two' as never })).rejects.toBeInstanceOf(TypeError);
  });
});
