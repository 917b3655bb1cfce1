/**
 * The single source of the public types. Every public shape is a zod schema
 * here, and its TypeScript type is inferred from it.
 */
import { z } from 'zod';

export const SpanSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
export type Span = z.infer<typeof SpanSchema>;

export const BlockKindSchema = z.enum(['heading', 'paragraph', 'list-item', 'table-row', 'line']);
export type BlockKind = z.infer<typeof BlockKindSchema>;

export const DocumentTypeSchema = z.enum([
  'unannounced-inspection-letter',
  'monitoring-visit-letter',
  'safeguarding-lac-inspection-report',
  'committee-report-with-action-plan',
  'sif-inspection-report',
  'ilacs-inspection-report',
  'unknown',
]);
export type DocumentType = z.infer<typeof DocumentTypeSchema>;

export const DocumentMetaSchema = z.object({
  authority: z.string().optional(),
  date: z.string().optional(),
  type: DocumentTypeSchema.optional(),
  source: z.string().optional(),
});
export type DocumentMeta = z.infer<typeof DocumentMetaSchema>;

export const SentenceSchema = z.object({
  docId: z.string(),
  index: z.number().int().nonnegative(),
  text: z.string(),
  span: SpanSchema,
  hash: z.string().regex(/^[0-9a-f]{16}$/),
  /** The nearest heading above the sentence, if any. */
  section: z.string().optional(),
  /** Headings from the outermost to the nearest. */
  sectionPath: z.array(z.string()),
  paragraph: z.number().int().nonnegative(),
  kind: BlockKindSchema.exclude(['heading']),
});
export type Sentence = z.infer<typeof SentenceSchema>;

export const ParagraphSchema = z.object({
  index: z.number().int().nonnegative(),
  kind: BlockKindSchema.exclude(['heading']),
  span: SpanSchema,
  /** The number printed before the paragraph, e.g. "21" for "21.". */
  number: z.string().optional(),
  section: z.number().int().nonnegative().optional(),
  sentences: z.array(z.number().int().nonnegative()),
});
export type Paragraph = z.infer<typeof ParagraphSchema>;

export const SectionSchema = z.object({
  index: z.number().int().nonnegative(),
  heading: z.string(),
  level: z.number().int().positive(),
  path: z.array(z.string()),
  span: SpanSchema,
  paragraphs: z.array(z.number().int().nonnegative()),
});
export type Section = z.infer<typeof SectionSchema>;

export const ReportDocumentSchema = z.object({
  id: z.string(),
  meta: DocumentMetaSchema,
  /** The normalised text every span indexes. */
  text: z.string(),
  sections: z.array(SectionSchema),
  paragraphs: z.array(ParagraphSchema),
  sentences: z.array(SentenceSchema),
  pages: z.number().int().nonnegative().optional(),
});
export type ReportDocument = z.infer<typeof ReportDocumentSchema>;

export const IngestOptionsSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  meta: DocumentMetaSchema.optional(),
});
export type IngestOptions = z.infer<typeof IngestOptionsSchema>;

export const GradeSchema = z.enum(['outstanding', 'good', 'requires improvement', 'inadequate']);
export type Grade = z.infer<typeof GradeSchema>;

export const JudgementAreaSchema = z.enum([
  'overall_effectiveness',
  'impact_of_leaders',
  'help_and_protection',
  'children_in_care',
  'care_leavers',
]);
export type JudgementArea = z.infer<typeof JudgementAreaSchema>;

/** One row of the shared corpus manifest. Grades that the manifest could not state are absent. */
export const ManifestEntrySchema = z.object({
  id: z.string().min(1),
  urn: z.string(),
  authority: z.string().min(1),
  published: z.string(),
  framework: z.string(),
  grades: z.partialRecord(JudgementAreaSchema, GradeSchema),
  /** Manifest cells that are not grades (e.g. "data_unreadable"), kept verbatim. */
  gradeNotes: z.partialRecord(JudgementAreaSchema, z.string()),
  sourceUrl: z.string(),
  sha256: z.string(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

// ---------------------------------------------------------------------------
// Rule packs

const ID = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only, starting with a letter or digit');

export const RuleTargetSchema = z.union([
  z.strictObject({ theme: ID }),
  z.strictObject({ polarity: z.enum(['positive', 'negative', 'neutral']) }),
  z.strictObject({ cue: z.enum(['negator', 'hedge', 'contrast', 'recommendation']) }),
  z.strictObject({ finding: z.boolean() }),
]);
export type RuleTarget = z.infer<typeof RuleTargetSchema>;

export const RuleScopeSchema = z.strictObject({
  /** "start": the pattern must match at the start of the sentence. */
  position: z.enum(['start', 'anywhere']).optional(),
  /** The rule fires only under headings containing one of these (case-insensitive). */
  sections: z.array(z.string().min(1).max(200)).max(50).optional(),
  /** "heading": match the patterns against the section heading instead of the sentence. */
  on: z.enum(['sentence', 'heading']).optional(),
});
export type RuleScope = z.infer<typeof RuleScopeSchema>;

export const RuleSchema = z.strictObject({
  id: ID,
  description: z.string().max(500).optional(),
  target: RuleTargetSchema,
  patterns: z.array(z.string().min(1).max(2000)).min(1).max(100),
  weight: z.number().finite().min(-100).max(100),
  scope: RuleScopeSchema.optional(),
  enabled: z.boolean().optional(),
});
export type Rule = z.infer<typeof RuleSchema>;

export const ThemeDefinitionSchema = z.strictObject({
  id: ID,
  label: z.string().min(1).max(200),
  description: z.string().max(1000),
});
export type ThemeDefinition = z.infer<typeof ThemeDefinitionSchema>;

export const RuleOverrideSchema = z.strictObject({
  rule: ID,
  weight: z.number().finite().min(-100).max(100).optional(),
  enabled: z.boolean().optional(),
});
export type RuleOverride = z.infer<typeof RuleOverrideSchema>;

export const RULE_PACK_LIMITS = { rules: 2000, patternsPerPack: 20000, patternLength: 2000, packBytes: 1_000_000 } as const;

export const RulePackSchema = z.strictObject({
  id: ID,
  version: z.string().min(1).max(50),
  description: z.string().max(2000),
  extends: z.union([ID, z.array(ID).max(20)]).optional(),
  themes: z.array(ThemeDefinitionSchema).max(200).optional(),
  rules: z.array(RuleSchema).max(RULE_PACK_LIMITS.rules).optional(),
  overrides: z.array(RuleOverrideSchema).max(RULE_PACK_LIMITS.rules).optional(),
});
export type RulePack = z.infer<typeof RulePackSchema>;

export const EvidenceSchema = z.object({
  /** Rule id for rule hits; "model:<feature>" for model features. */
  source: z.string(),
  kind: z.enum(['rule', 'model']),
  /** What the evidence speaks for: a theme id, a polarity, a cue, or "finding"/"boilerplate". */
  target: z.string(),
  text: z.string(),
  /** Character span in the sentence; absent for model features that are not one place. */
  span: SpanSchema.optional(),
  weight: z.number(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

// ---------------------------------------------------------------------------
// Findings and the labelled corpus

export const PolaritySchema = z.enum(['positive', 'negative', 'mixed', 'neutral']);
export type Polarity = z.infer<typeof PolaritySchema>;
export const POLARITIES = PolaritySchema.options;

export const CORE_THEMES = ['thresholds', 'supervision', 'recording', 'workforce', 'multi-agency'] as const;
export type CoreTheme = (typeof CORE_THEMES)[number];

/** One labelled sentence (ANNOTATION.md §4). Shared-report sentences carry no text. */
export const AnnotationSchema = z
  .strictObject({
    doc: z.string().min(1),
    sentence: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{16}$/),
    text: z.string().optional(),
    finding: z.boolean(),
    themes: z.array(z.enum(CORE_THEMES)),
    polarity: PolaritySchema,
    section: z.string().optional(),
    sample: z.enum(['seed', 'random', 'enrichment']),
    annotator: z.string().min(1),
    adjudicated: z.boolean().optional(),
  })
  .superRefine((a, ctx) => {
    const sorted = [...a.themes].sort();
    if (sorted.some((t, i) => t !== a.themes[i]) || new Set(a.themes).size !== a.themes.length) {
      ctx.addIssue({ code: 'custom', path: ['themes'], message: 'themes must be sorted and unique' });
    }
    if (!a.finding && (a.themes.length > 0 || a.polarity !== 'neutral')) {
      ctx.addIssue({ code: 'custom', path: ['finding'], message: 'a non-finding has no themes and neutral polarity' });
    }
    if (a.sample === 'seed' && a.text === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'seed sentences carry their text' });
    if (a.sample !== 'seed' && a.text !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'shared-report sentences are stored by reference only, never with their text' });
    }
  });
export type Annotation = z.infer<typeof AnnotationSchema>;

/** An annotation joined to its sentence text and context through the library's own ingestion. */
export interface LabelledSentence extends Annotation {
  text: string;
  section?: string;
  /** The block the sentence came from (paragraph, list-item, table-row, line). */
  kind?: string;
  authority: string;
}

// ---------------------------------------------------------------------------
// Model file

export const MODEL_FORMAT = 'ofsted-findings-model';
export const MODEL_VERSION = 2;

export const FeatureConfigSchema = z.strictObject({
  unigrams: z.boolean(),
  bigrams: z.boolean(),
  negation: z.boolean(),
  rules: z.boolean(),
  heading: z.boolean(),
  kind: z.boolean(),
});

/** Weight vectors are long: one finite-number check per array keeps loading fast. */
const WeightsSchema = z.custom<number[]>(
  (value) => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'number' || !Number.isFinite(value[i])) return false;
    return true;
  },
  { message: 'expected an array of finite numbers' },
);

export const BinaryHeadSchema = z.strictObject({
  name: z.string(),
  weights: WeightsSchema,
  /** Platt scaling of the raw score: p = σ(a·z + b). */
  calibration: z.strictObject({ a: z.number().finite(), b: z.number().finite() }),
  threshold: z.number().min(0).max(1),
});

export const PolarityHeadSchema = z.strictObject({
  classes: z.array(PolaritySchema).length(4),
  /** One weight vector per class, aligned with the vocabulary. */
  weights: z.array(WeightsSchema).length(4),
  /** Temperature scaling: p = softmax(z / temperature). */
  temperature: z.number().positive().finite(),
  /** Added to each class's log score (polarityScores) when a finding's polarity is chosen (fitted on inner out-of-fold predictions). */
  offsets: z.array(z.number().finite()).length(4),
});

export const ModelSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  features: FeatureConfigSchema,
  rules: z.strictObject({ packs: z.array(z.strictObject({ id: z.string(), version: z.string() })), fingerprint: z.string() }),
  vocabulary: z.array(z.string()).max(200_000),
  finding: BinaryHeadSchema,
  themes: z.array(BinaryHeadSchema),
  polarity: PolarityHeadSchema,
  training: z.strictObject({
    fingerprint: z.string(),
    sentences: z.number().int().nonnegative(),
    findings: z.number().int().nonnegative(),
    authorities: z.number().int().nonnegative(),
    options: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  }),
  metrics: z.record(z.string(), z.number()),
  /** hashText of the JSON of every other field, in order; checked at load. */
  checksum: z.string().regex(/^[0-9a-f]{16}$/),
});
export type Model = z.infer<typeof ModelSchema>;

export const ClassifyOptionsSchema = z.strictObject({
  /** The section heading the sentence sits under, when known. */
  section: z.string().max(10_000).optional(),
  /** The block the sentence came from (paragraph, list-item, table-row, line), when known. */
  kind: z.string().max(50).optional(),
});
export type ClassifyOptions = z.infer<typeof ClassifyOptionsSchema>;

export const ThemeResultSchema = z.object({ theme: z.string(), score: z.number(), evidence: z.array(EvidenceSchema) });
export type ThemeResult = z.infer<typeof ThemeResultSchema>;

export const FindingResultSchema = z.object({
  text: z.string(),
  isFinding: z.boolean(),
  section: z.string().optional(),
  themes: z.array(ThemeResultSchema),
  polarity: PolaritySchema,
  polarityScores: z.object({ positive: z.number(), negative: z.number(), mixed: z.number(), neutral: z.number() }),
  evidence: z.array(EvidenceSchema),
});
export type FindingResult = z.infer<typeof FindingResultSchema>;
