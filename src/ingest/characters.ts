/**
 * Character-level clean-up shared by every input path: line endings,
 * ligatures, smart quotes, invisible characters, control characters, HTML
 * remnants and entities. Pure string → string; no layout decisions here.
 */

const LIGATURES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  '\uFB00': 'ff',
  '\uFB01': 'fi',
  '\uFB02': 'fl',
  '\uFB03': 'ffi',
  '\uFB04': 'ffl',
  '\uFB05': 'st',
  '\uFB06': 'st',
});

const ENTITIES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  hellip: '…',
  pound: '£',
  bull: '•',
});

/** Replace lone surrogates with U+FFFD so every later step sees well-formed text. */
export function toWellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/**
 * Turn HTML remnants into plain-text structure: block tags become line breaks,
 * list items become bullet lines, every other tag disappears.
 */
function stripHtml(text: string): string {
  if (!/<\/?[a-z]/i.test(text)) return text;
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^<>]{0,500}>/gi, '\n• ')
    .replace(/<\/(p|div|li|ul|ol|h[1-6]|tr|table)\s*>/gi, '\n\n')
    .replace(/<(p|div|ul|ol|h[1-6]|tr|table)\b[^<>]{0,500}>/gi, '\n\n')
    .replace(/<\/?(td|th)\b[^<>]{0,500}>/gi, '\t')
    .replace(/<\/?[a-z][a-z0-9]{0,20}(\s[^<>]{0,500})?\/?>/gi, '');
}

export function cleanCharacters(raw: string): string {
  let text = toWellFormed(raw);
  text = text.replace(/\r\n?/g, '\n');
  text = text.replace(/[\uFB00-\uFB06]/g, (c) => LIGATURES[c] ?? c);
  text = text.replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'").replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"');
  text = text.replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ');
  // Zero-width characters, soft hyphens, BOM and bidi controls carry no text.
  text = text.replace(/[\u00AD\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, (c) =>
    c === '\u2028' || c === '\u2029' ? '\n' : '',
  );
  // C0/C1 control characters except tab, newline and form feed (page break).
  text = text.replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/g, ' ');
  text = stripHtml(text);
  text = decodeEntities(text);
  return text;
}
