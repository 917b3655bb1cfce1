/**
 * ofsted-findings: themes and polarity for the finding sentences of Ofsted
 * children's services inspection reports. This entry is browser-safe; file
 * system helpers live in `ofsted-findings/node`.
 */
export * from './schemas.js';
export { OfstedFindingsError, IngestError, RulePackError, ModelError } from './errors.js';
export type { ErrorPath, IngestErrorCode } from './errors.js';
export { fromText } from './ingest/text.js';
export { fromPdf, type PdfOptions } from './ingest/pdf.js';
export { normaliseText, type NormalisedText, type Block } from './ingest/normalise.js';
export { segmentSentences } from './segment/sentences.js';
export { segmentDocument } from './segment/document.js';
export { hashText } from './segment/hash.js';
export { parseManifest, parseCsv } from './corpus/manifest.js';
export { parseAnnotations, joinAnnotations, authorityOf } from './corpus/annotations.js';
export { cohenKappa, agreement, type AgreementReport } from './corpus/agreement.js';
export { classifyFinding, createClassifier } from './classify/index.js';
export { createRuleClassifier, scoreThemes, RULE_THEME_THRESHOLD, type Classifier, type ClassifierOptions, type ClassifyInput } from './classify/classifier.js';
export { BUILTIN_RULE_PACKS } from './rules/builtin.js';
export { compileRulePacks, defineRulePack, parseRulePack, type CompiledRules, type CompiledRule } from './rules/compile.js';
export { analyseSentence, type RuleAnalysis } from './rules/analyse.js';
export { tokenize, type Token } from './rules/tokens.js';
export { sentenceFeatures, type SentenceFeatureOptions } from './features/sentence.js';
export { loadModel } from './model/model.js';
export { encodeWeights, decodeWeights, WEIGHT_SCALE } from './model/weights.js';
export { bundledModel } from './model/bundled.js';
export { trainModel, planTraining, fitPlannedJob, finishTraining, type TrainModelOptions, type TrainingPlan } from './model/train.js';
export type { Heads, TrainingLabels, FitOptions, FitJob, FittedJob } from './model/fit.js';
export { groupedFolds } from './model/folds.js';
export * from './eval/metrics.js';
export { groupBootstrap, type BootstrapInterval, type BootstrapOptions } from './eval/bootstrap.js';
export { extractJudgements, areaOf, type Judgement, type StatedGrade } from './report/judgements.js';
export { extractFindings, summariseReport, summariseReports, type SummariseReportOptions } from './report/index.js';
export { classifyDocument, aggregateSummaries, emptyCounts, type ReportFinding, type ReportSummary, type ReportsTable, type SectionSummary, type CountTable } from './report/summarise.js';
export { crossValidate, type CrossValidationOptions, type Prediction } from './eval/cv.js';
