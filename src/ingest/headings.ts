/**
 * Which free-standing lines are section headings. Known headings come from
 * the report layouts Ofsted has used since 2009; other short title-like lines
 * are accepted by shape, with the letter furniture (salutations, sign-offs,
 * addresses) ruled out.
 */

const KNOWN_HEADINGS = [
  'strengths',
  'areas for development',
  'areas for improvement',
  'areas for priority action',
  'priority and immediate action',
  'the service meets the requirements of statutory guidance in the following areas',
  'leadership and management',
  'what needs to improve',
  'what needs to improve in this local authority',
  'what needs to improve in this local authority?',
  'what does the local authority need to improve',
  'overview',
  'overall effectiveness',
  'capacity for improvement',
  'the quality of provision',
  'findings and evaluation of progress',
  'areas covered by the visit',
  'immediately',
  'within three months',
  'within six months',
  'summary of findings',
  'record of main findings',
  'information about this inspection',
  'information about this local authority area',
  'recommendations',
  'main findings',
  'evaluation of progress',
];
const KNOWN = new Set(KNOWN_HEADINGS.map((h) => h.replace(/\?$/, '')));

function headingKey(text: string): string {
  return text.toLowerCase().replace(/[?:.]+$/, '').replace(/\s+/g, ' ').trim();
}

export function isKnownHeading(text: string): boolean {
  return KNOWN.has(headingKey(text));
}

const TIMESCALE = /^(immediately|within (three|six|3|6|twelve|12) months)\b/i;

/** Depth for a known heading: timescale headings sit under "Areas for improvement". */
export function knownHeadingLevel(text: string): number {
  return TIMESCALE.test(text.trim()) ? 5 : 4;
}

const NOT_HEADING = /^(dear|yours|copy|cc|tel|t |direct|e-?mail|www\.|http|from the evidence|date|ward|contact officer|decision|chief officer|urn|lead inspector|inspection dates?|grade\s+\d)\b/i;

/** A short, title-like line without sentence punctuation. */
export function looksLikeHeading(text: string): boolean {
  const t = text.trim();
  if (t.length < 3 || t.length > 160) return false;
  if (!/^[A-Z]/.test(t)) return false;
  if (/[.;,]$/.test(t) || /[@|]|www\.|https?:/.test(t) || NOT_HEADING.test(t)) return false;
  if (/\d{3,}/.test(t) || /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/.test(t)) return false; // numbers, postcodes
  if (/\b(inspector|hmi)$/i.test(t)) return false; // sign-off titles
  if (/[.!?]\s+[A-Z]/.test(t)) return false; // more than one sentence
  const words = t.split(/\s+/).length;
  return words <= 25;
}
