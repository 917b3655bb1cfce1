/** Output formats of the CLI: text, JSON(L), CSV, Markdown and self-contained HTML. */
import { POLARITIES, type ReportSummary, type ReportsTable, type CountTable } from '../index.js';
import { renderHtml } from '../report/html.js';

function csvCell(value: unknown): string {
  const s = String(value ?? '');
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function mdCell(value: unknown): string {
  return String(value ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function countTableText(counts: CountTable, themes: readonly string[]): string {
  const rows = [...themes, 'none'];
  const width = Math.max(12, ...rows.map((r) => r.length));
  const header = `${'theme'.padEnd(width)}  ${POLARITIES.map((p) => p.padStart(8)).join(' ')}  ${'total'.padStart(6)}`;
  const lines = rows.map((theme) => {
    const c = counts[theme] ?? { positive: 0, negative: 0, mixed: 0, neutral: 0 };
    const total = POLARITIES.reduce((s, p) => s + c[p], 0);
    return `${theme.padEnd(width)}  ${POLARITIES.map((p) => String(c[p]).padStart(8)).join(' ')}  ${String(total).padStart(6)}`;
  });
  return [header, '-'.repeat(header.length), ...lines].join('\n');
}

function summaryText(s: ReportSummary, themes: readonly string[]): string {
  const out: string[] = [`== ${s.id} (${s.findings.length} findings in ${s.sentences} sentences)`];
  if (s.judgements.length > 0) out.push(`   judgements: ${s.judgements.map((j) => `${j.area.replace(/_/g, ' ')} = ${j.grade}`).join('; ')}`);
  let section: string | undefined = '\u0000';
  for (const f of s.findings) {
    if (f.section !== section) {
      section = f.section;
      out.push(`\n  [${section ?? '(no section)'}]`);
    }
    const tags = f.themes.length > 0 ? f.themes.map((t) => t.theme).join(',') : 'none';
    out.push(`  - (${f.polarity}; ${tags}) ${f.text}`);
  }
  out.push('', countTableText(s.counts, themes), '');
  return out.join('\n');
}

export function renderSummaries(summaries: ReportSummary[], table: ReportsTable, themes: readonly string[], format: string): string {
  switch (format) {
    case 'text':
      return `${summaries.map((s) => summaryText(s, themes)).join('\n')}\n== all documents (${summaries.length})\n${countTableText(table.overall, themes)}\n`;
    case 'json':
      return `${JSON.stringify({ summaries: summaries.map(({ text: _text, ...rest }) => rest), table }, null, 2)}\n`;
    case 'csv':
      return `${['report,theme,polarity,count', ...table.rows.map((r) => [r.report, r.theme, r.polarity, r.count].map(csvCell).join(','))].join('\n')}\n`;
    case 'md': {
      const lines = [`| report | theme | ${POLARITIES.join(' | ')} |`, `|---|---|${POLARITIES.map(() => '---:').join('|')}|`];
      for (const s of summaries) for (const theme of [...themes, 'none']) {
        const c = s.counts[theme];
        if (c) lines.push(`| ${mdCell(s.id)} | ${theme} | ${POLARITIES.map((p) => c[p]).join(' | ')} |`);
      }
      return `${lines.join('\n')}\n`;
    }
    case 'html':
    case 'classify-html':
      return renderHtml(summaries, table, themes);
    case 'classify-jsonl':
      return summaries.flatMap((s) => s.findings.map((f) => JSON.stringify({ doc: s.id, ...f }))).join('\n') + (summaries.some((s) => s.findings.length) ? '\n' : '');
    case 'classify-csv': {
      const head = 'doc,sentence,start,end,section,polarity,themes,positive,negative,mixed,neutral,text';
      const rows = summaries.flatMap((s) =>
        s.findings.map((f) =>
          [s.id, f.sentence, f.span.start, f.span.end, f.section ?? '', f.polarity, f.themes.map((t) => t.theme).join(';'), ...POLARITIES.map((p) => f.polarityScores[p].toFixed(3)), f.text]
            .map(csvCell)
            .join(','),
        ),
      );
      return `${[head, ...rows].join('\n')}\n`;
    }
    case 'classify-md': {
      const lines = ['| doc | section | polarity | themes | finding |', '|---|---|---|---|---|'];
      for (const s of summaries) for (const f of s.findings) lines.push(`| ${mdCell(s.id)} | ${mdCell(f.section ?? '')} | ${f.polarity} | ${f.themes.map((t) => t.theme).join(', ')} | ${mdCell(f.text)} |`);
      return `${lines.join('\n')}\n`;
    }
    default:
      throw new Error(`unknown format ${format}`);
  }
}
