/** Node-only helpers: corpora on disk. */
export * from './index.js';
export {
  iterateSharedReports,
  listSeeds,
  loadSeedDocuments,
  packageRoot,
  readManifest,
  seedsDir,
  sharedCorpusDir,
  sharedCorpusMissing,
  readAnnotationFiles,
  readRuleDevelopmentKeys,
  readAgreementFiles,
  loadLabelledCorpus,
  loadSharedDocument,
  annotationsDir,
  SEGMENTATION_VERSION,
  type LoadCorpusOptions,
  type SeedInfo,
  type SharedReport,
} from './corpus/files.js';
export { classifyManyInWorkers, type ParallelOptions } from './parallel/index.js';
export { trainModelInWorkers, type ParallelTrainOptions } from './parallel/train.js';
