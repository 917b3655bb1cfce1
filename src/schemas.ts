/**
 * The single source of the public types. Every public shape is a zod schema
 * here, and its TypeScript type is inferred from it.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini (tree-shaken, no methods per schema instance) keeps import and first validation fast;
// the English messages are classic zod's default, and every error message here quotes them.
z.config(en());

const optional = z.optional;
const nonNegativeInt = () => z.int().check(z.nonnegative());

export const SpanSchema = z.object({ start: nonNegativeInt(), end: nonNegativeInt() });
export type Span = z.infer<typeof SpanSchema>;

/** The kinds of block a sentence can come from (every kind but a heading). */
const SENTENCE_BLOCK_KINDS = ['paragraph', 'list-item', 'table-row', 'line'] as const;
export const BlockKindSchema = z.enum(['heading', ...SENTENCE_BLOCK_KINDS]);
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
  authority: optional(z.string()),
  date: optional(z.string()),
  type: optional(DocumentTypeSchema),
  source: optional(z.string()),
});
export type DocumentMeta = z.infer<typeof DocumentMetaSchema>;

export const SentenceSchema = z.object({
  docId: z.string(),
  index: nonNegativeInt(),
  text: z.string(),
  span: SpanSchema,
  hash: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  /** The nearest heading above the sentence, if any. */
  section: optional(z.string()),
  /** Headings from the outermost to the nearest. */
  sectionPath: z.array(z.string()),
  paragraph: nonNegativeInt(),
  kind: z.enum(SENTENCE_BLOCK_KINDS),
});
export type Sentence = z.infer<typeof SentenceSchema>;

export const ParagraphSchema = z.object({
  index: nonNegativeInt(),
  kind: z.enum(SENTENCE_BLOCK_KINDS),
  span: SpanSchema,
  /** The number printed before the paragraph, e.g. "21" for "21.". */
  number: optional(z.string()),
  section: optional(nonNegativeInt()),
  sentences: z.array(nonNegativeInt()),
});
export type Paragraph = z.infer<typeof ParagraphSchema>;

export const SectionSchema = z.object({
  index: nonNegativeInt(),
  heading: z.string(),
  level: z.int().check(z.positive()),
  path: z.array(z.string()),
  span: SpanSchema,
  paragraphs: z.array(nonNegativeInt()),
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
  pages: optional(nonNegativeInt()),
});
export type ReportDocument = z.infer<typeof ReportDocumentSchema>;

export const IngestOptionsSchema = z.object({
  id: optional(z.string().check(z.minLength(1), z.maxLength(200))),
  meta: optional(DocumentMetaSchema),
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
  id: z.string().check(z.minLength(1)),
  urn: z.string(),
  authority: z.string().check(z.minLength(1)),
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

const ID = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only, starting with a letter or digit'));

export const RuleTargetSchema = z.union([
  z.strictObject({ theme: ID }),
  z.strictObject({ polarity: z.enum(['positive', 'negative', 'neutral']) }),
  z.strictObject({ cue: z.enum(['negator', 'hedge', 'contrast', 'recommendation']) }),
  z.strictObject({ finding: z.boolean() }),
]);
export type RuleTarget = z.infer<typeof RuleTargetSchema>;

export const RuleScopeSchema = z.strictObject({
  /** "start": the pattern must match at the start of the sentence. */
  position: optional(z.enum(['start', 'anywhere'])),
  /** The rule fires only under headings containing one of these (case-insensitive). */
  sections: optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(50))),
  /** "heading": match the patterns against the section heading instead of the sentence. */
  on: optional(z.enum(['sentence', 'heading'])),
});
export type RuleScope = z.infer<typeof RuleScopeSchema>;

export const RuleSchema = z.strictObject({
  id: ID,
  description: optional(z.string().check(z.maxLength(500))),
  target: RuleTargetSchema,
  patterns: z.array(z.string().check(z.minLength(1), z.maxLength(2000))).check(z.minLength(1), z.maxLength(100)),
  weight: z.number().check(z.gte(-100), z.lte(100)),
  scope: optional(RuleScopeSchema),
  enabled: optional(z.boolean()),
});
export type Rule = z.infer<typeof RuleSchema>;

export const ThemeDefinitionSchema = z.strictObject({
  id: ID,
  label: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z.string().check(z.maxLength(1000)),
});
export type ThemeDefinition = z.infer<typeof ThemeDefinitionSchema>;

export const RuleOverrideSchema = z.strictObject({
  rule: ID,
  weight: optional(z.number().check(z.gte(-100), z.lte(100))),
  enabled: optional(z.boolean()),
});
export type RuleOverride = z.infer<typeof RuleOverrideSchema>;

export const RULE_PACK_LIMITS = { rules: 2000, patternsPerPack: 20000, patternLength: 2000, packBytes: 1_000_000 } as const;

export const RulePackSchema = z.strictObject({
  id: ID,
  version: z.string().check(z.minLength(1), z.maxLength(50)),
  description: z.string().check(z.maxLength(2000)),
  extends: optional(z.union([ID, z.array(ID).check(z.maxLength(20))])),
  themes: optional(z.array(ThemeDefinitionSchema).check(z.maxLength(200))),
  rules: optional(z.array(RuleSchema).check(z.maxLength(RULE_PACK_LIMITS.rules))),
  overrides: optional(z.array(RuleOverrideSchema).check(z.maxLength(RULE_PACK_LIMITS.rules))),
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
  span: optional(SpanSchema),
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
    doc: z.string().check(z.minLength(1)),
    sentence: nonNegativeInt(),
    hash: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
    text: optional(z.string()),
    finding: z.boolean(),
    themes: z.array(z.enum(CORE_THEMES)),
    polarity: PolaritySchema,
    section: optional(z.string()),
    sample: z.enum(['seed', 'random', 'enrichment']),
    annotator: z.string().check(z.minLength(1)),
    adjudicated: optional(z.boolean()),
  })
  .check(
    z.superRefine((a, ctx) => {
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
    }),
  );
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
export const MODEL_VERSION = 3;

export const FeatureConfigSchema = z.strictObject({
  unigrams: z.boolean(),
  bigrams: z.boolean(),
  negation: z.boolean(),
  rules: z.boolean(),
  heading: z.boolean(),
  kind: z.boolean(),
});
export type FeatureConfig = z.infer<typeof FeatureConfigSchema>;

/**
 * A head's weights: one per vocabulary entry, each an integer number of 10⁻⁴
 * steps, as zigzag LEB128 varints in base64 (see model/weights.ts). Loading
 * decodes them and checks the count, so the schema only bounds the length.
 */
const WeightsSchema = z.string().check(z.maxLength(8_000_000));

/** Feature names, one per weight row. Tens of thousands of them: one loop, not one zod check per entry, keeps loading fast. */
const VocabularySchema = z.custom<string[]>(
  (value) => {
    if (!Array.isArray(value) || value.length > 200_000) return false;
    for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string' || (value[i] as string).length > 1000) return false;
    return true;
  },
  { message: 'expected an array of at most 200,000 feature names (strings of at most 1,000 characters)' },
);

export const BinaryHeadSchema = z.strictObject({
  name: z.string(),
  weights: WeightsSchema,
  /** Platt scaling of the raw score: p = σ(a·z + b). */
  calibration: z.strictObject({ a: z.number(), b: z.number() }),
  threshold: z.number().check(z.gte(0), z.lte(1)),
});

export const PolarityHeadSchema = z.strictObject({
  classes: z.array(PolaritySchema).check(z.length(4)),
  /** One weight vector per class, aligned with the vocabulary. */
  weights: z.array(WeightsSchema).check(z.length(4)),
  /** Temperature scaling: p = softmax(z / temperature). */
  temperature: z.number().check(z.positive()),
  /** Added to each class's log score (polarityScores) when a finding's polarity is chosen (fitted on inner out-of-fold predictions). */
  offsets: z.array(z.number()).check(z.length(4)),
});

export const ModelSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  features: FeatureConfigSchema,
  rules: z.strictObject({ packs: z.array(z.strictObject({ id: z.string(), version: z.string() })), fingerprint: z.string() }),
  vocabulary: VocabularySchema,
  finding: BinaryHeadSchema,
  themes: z.array(BinaryHeadSchema).check(z.maxLength(64)),
  polarity: PolarityHeadSchema,
  training: z.strictObject({
    fingerprint: z.string(),
    sentences: nonNegativeInt(),
    findings: nonNegativeInt(),
    authorities: nonNegativeInt(),
    options: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  }),
  metrics: z.record(z.string(), z.number()),
  /** hashText of the JSON of every other field, in order; checked at load. */
  checksum: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
});
export type Model = z.infer<typeof ModelSchema>;

export const ClassifyOptionsSchema = z.strictObject({
  /** The section heading the sentence sits under, when known. */
  section: optional(z.string().check(z.maxLength(10_000))),
  /** The block the sentence came from (paragraph, list-item, table-row, line), when known. */
  kind: optional(z.string().check(z.maxLength(50))),
});
export type ClassifyOptions = z.infer<typeof ClassifyOptionsSchema>;

export const ThemeResultSchema = z.object({ theme: z.string(), score: z.number(), evidence: z.array(EvidenceSchema) });
export type ThemeResult = z.infer<typeof ThemeResultSchema>;

export const FindingResultSchema = z.object({
  text: z.string(),
  isFinding: z.boolean(),
  section: optional(z.string()),
  themes: z.array(ThemeResultSchema),
  polarity: PolaritySchema,
  polarityScores: z.object({ positive: z.number(), negative: z.number(), mixed: z.number(), neutral: z.number() }),
  evidence: z.array(EvidenceSchema),
});
export type FindingResult = z.infer<typeof FindingResultSchema>;
