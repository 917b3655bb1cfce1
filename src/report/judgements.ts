/**
 * The grades a report states about itself, for every layout in the corpus:
 * ILACS grade tables and graded section headings (2018–2026, standard and
 * short, before and after the April 2026 removal of overall effectiveness),
 * single inspection framework tables and "The overall judgement is …"
 * (2014–2017), and 2010-era "Grade 3 (Adequate)" lines and main-findings tables.
 */
import { assertReportDocument, assertString } from '../guards.js';
import type { JudgementArea, ReportDocument } from '../schemas.js';

export type StatedGrade = 'outstanding' | 'good' | 'requires improvement' | 'inadequate' | 'adequate';

export interface Judgement {
  area: JudgementArea;
  grade: StatedGrade;
  /** Where it was read: a grade table row, a graded heading, or a grade line under a heading. */
  source: 'table' | 'heading' | 'grade-line' | 'statement';
  text: string;
}

const GRADE = /\b(outstanding|good|requires? improvement(?: to be good)?|inadequate|adequate)\b/i;

function gradeOf(text: string): StatedGrade | undefined {
  const m = GRADE.exec(text);
  if (!m) return undefined;
  const g = m[1]!.toLowerCase();
  if (g.startsWith('require')) return 'requires improvement';
  return g as StatedGrade;
}

/** Which judgement area a label names, if any. */
export function areaOf(label: string): JudgementArea | undefined {
  assertString(label, 'areaOf');
  const t = label.toLowerCase();
  if (/overall effectiveness|overall judgement/.test(t)) return 'overall_effectiveness';
  if (/impact of leaders|leadership, management and governance|^leadership and management/.test(t)) return 'impact_of_leaders';
  if (/need(s)? of help and protection|need help and protection|help and protection/.test(t)) return 'help_and_protection';
  if (/children in care|children looked after|looked after children/.test(t)) return 'children_in_care';
  if (/care leavers/.test(t)) return 'care_leavers';
  return undefined;
}

const LABEL_START = /(the impact of leaders|the experiences and progress|experiences and progress of care leavers|overall effectiveness|leadership, management and governance|adoption performance|children who need help and protection|children looked after and achieving permanence)/gi;
const GRADE_ANY = /\b(outstanding|good|requires? improvement|inadequate|adequate)\b/gi;

/**
 * The grade table at the top of ILACS and SIF reports, read as one block:
 * PDF layout often wraps a label around its grade ("… practice with children /
 * Good / and families"), so the block is split at label starts and each part
 * takes the grade inside it (or, failing that, a grade left dangling just before it).
 */
function gradeTable(doc: ReportDocument): Judgement[] {
  const header = doc.sentences.find((s) => s.kind === 'table-row' && /^judgement \| grade$/i.test(s.text.replace(/key /i, '')));
  if (!header) return [];
  const start = header.span.end;
  const after = doc.sentences.find((s) => s.span.start > start && s.kind === 'paragraph' && s.text.length > 90);
  const block = doc.text.slice(start, Math.min(after ? after.span.start : doc.text.length, start + 2500)).replace(/\s*\|\s*/g, ' ').replace(/\s+/g, ' ');
  const starts = [...block.matchAll(LABEL_START)].map((m) => m.index!);
  const out: Judgement[] = [];
  starts.forEach((at, i) => {
    // "to be good" continues a wrapped "Requires improvement"; it is not a grade of its own.
    const part = block.slice(at, starts[i + 1] ?? block.length).replace(/\bto be good\b/gi, ' ');
    const area = areaOf(part.replace(GRADE_ANY, ' ').replace(/\s+/g, ' '));
    let grade = gradeOf(part);
    if (!grade && i > 0) {
      // "Requires improvement / Overall effectiveness / to be good": the grade came first.
      const before = block.slice(starts[i - 1]!, at).replace(/\bto be good\b/gi, ' ');
      const grades = [...before.matchAll(GRADE_ANY)];
      if (grades.length >= 2) grade = gradeOf(grades[grades.length - 1]![0]);
    }
    if (area && grade) out.push({ area, grade, source: 'table', text: part.trim().slice(0, 200) });
  });
  return out;
}

export function extractJudgements(doc: ReportDocument): Judgement[] {
  assertReportDocument(doc, 'extractJudgements');
  const found = new Map<JudgementArea, Judgement>();
  const take = (j: Judgement) => {
    if (!found.has(j.area)) found.set(j.area, j);
  };
  gradeTable(doc).forEach(take);

  // 1. Grade tables: "label | grade" rows.
  for (const s of doc.sentences) {
    if (s.kind !== 'table-row') continue;
    const cells = s.text.split(' | ');
    if (cells.length < 2) continue;
    const label = cells.slice(0, -1).join(' ');
    const grade = gradeOf(cells[cells.length - 1]!);
    const area = areaOf(label);
    if (area && grade && !/judgement\b.*\bgrade/i.test(s.text)) take({ area, grade, source: 'table', text: s.text });
  }
  // 2. Graded headings: "The experiences and progress of children in care: good".
  for (const section of doc.sections) {
    const m = /^(.*?)(?::|\s+is|\s+are)?\s+(outstanding|good|requires? improvement(?: to be good)?|inadequate|adequate)\s*$/i.exec(section.heading);
    if (!m) continue;
    const area = areaOf(m[1]!) ?? (/overall judgement/i.test(section.heading) ? 'overall_effectiveness' : undefined);
    const grade = gradeOf(m[2]!);
    if (area && grade) take({ area, grade, source: 'heading', text: section.heading });
  }
  // 3. 2010-era grade lines under a judgement heading: "Grade 3 (Adequate)", also when a
  //    layout set them as part of a heading ("The quality of provision Grade 3 (Adequate)").
  for (const s of [...doc.sentences, ...doc.sections.map((h) => ({ text: h.heading, section: h.path[h.path.length - 2] }))]) {
    const m = /^(?:(.{3,120}?)\s+)?grade\s+[1-4]\s*\((outstanding|good|adequate|inadequate)\)/i.exec(s.text);
    if (!m) continue;
    const area = areaOf(m[1] ?? '') ?? areaOf(s.section ?? '');
    const grade = gradeOf(m[2]!);
    if (area && grade) take({ area, grade, source: 'grade-line', text: s.text });
  }
  // 4. Statements: "The overall judgement is requires improvement".
  for (const s of doc.sentences.slice(0, 80)) {
    const m = /overall (?:judgement|effectiveness)[^.]{0,60}?\b(?:is|was|are|judged(?: to be)?)\s+(outstanding|good|requires? improvement(?: to be good)?|inadequate|adequate)/i.exec(s.text);
    const grade = m ? gradeOf(m[1]!) : undefined;
    if (grade) take({ area: 'overall_effectiveness', grade, source: 'statement', text: s.text });
  }
  const order: JudgementArea[] = ['overall_effectiveness', 'impact_of_leaders', 'help_and_protection', 'children_in_care', 'care_leavers'];
  return order.flatMap((area) => (found.has(area) ? [found.get(area)!] : []));
}
