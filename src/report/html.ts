/**
 * A self-contained HTML report (inline CSS and SVG, no scripts from anywhere,
 * no network): a theme × polarity heatmap, negative findings per theme with
 * their evidence highlighted, each finding linked to its place in the report
 * text, and the report's own judgements beside the findings.
 */
import { POLARITIES, type Polarity } from '../schemas.js';
import type { CountTable, ReportFinding, ReportSummary, ReportsTable } from './summarise.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLOURS: Record<Polarity, [number, number, number]> = {
  positive: [27, 120, 55],
  negative: [178, 24, 43],
  mixed: [204, 121, 0],
  neutral: [90, 90, 110],
};

/** An inline SVG heatmap of theme (rows) × polarity (columns) counts. */
export function heatmapSvg(counts: CountTable, themes: readonly string[], title: string): string {
  const rows = [...themes, 'none'];
  const cell = 64, left = 150, top = 40, h = 30;
  const max = Math.max(1, ...rows.flatMap((t) => POLARITIES.map((p) => counts[t]?.[p] ?? 0)));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escape(title)}" class="heatmap" width="${left + cell * 4 + 10}" height="${top + h * rows.length + 10}">`];
  POLARITIES.forEach((p, j) => parts.push(`<text x="${left + j * cell + cell / 2}" y="${top - 12}" text-anchor="middle" class="axis">${p}</text>`));
  rows.forEach((theme, i) => {
    parts.push(`<text x="${left - 8}" y="${top + i * h + h / 2 + 4}" text-anchor="end" class="axis">${escape(theme)}</text>`);
    POLARITIES.forEach((p, j) => {
      const n = counts[theme]?.[p] ?? 0;
      const [r, g, b] = COLOURS[p];
      const alpha = n === 0 ? 0.04 : 0.15 + 0.85 * (n / max);
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * h}" width="${cell - 2}" height="${h - 2}" fill="rgba(${r},${g},${b},${alpha.toFixed(3)})"><title>${escape(theme)} × ${p}: ${n}</title></rect>`,
        `<text x="${left + j * cell + cell / 2 - 1}" y="${top + i * h + h / 2 + 4}" text-anchor="middle" class="${alpha > 0.55 ? 'n light' : 'n'}">${n}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The sentence with each rule-evidence span wrapped in <mark>. */
export function highlight(f: ReportFinding): string {
  const spans = f.evidence
    .filter((e) => e.kind === 'rule' && e.span && !e.target.startsWith('cue:contrast'))
    .map((e) => ({ ...e.span!, target: e.target, source: e.source, weight: e.weight }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    // A negated cue carries the opposite sign ("lack of clear pathways"): colour by what it counted for.
    const negative = /negative|hedge|recommendation|negator/.test(s.target) ? s.weight >= 0 : /positive/.test(s.target) && s.weight < 0;
    const cls = s.target.startsWith('theme:') ? 'theme' : negative ? 'neg' : /positive|negative/.test(s.target) ? 'pos' : 'cue';
    out += escape(f.text.slice(at, s.start)) + `<mark class="${cls}" title="${escape(s.source)} → ${escape(s.target)}">${escape(f.text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return out + escape(f.text.slice(at));
}

const anchor = (reportIndex: number, sentence: number) => `r${reportIndex}-s${sentence}`;

function findingItem(f: ReportFinding, reportIndex: number): string {
  const tags = f.themes.map((t) => `<span class="tag">${escape(t.theme)} ${(t.score * 100).toFixed(0)}%</span>`).join(' ');
  return `<li class="finding ${f.polarity}"><a class="jump" href="#${anchor(reportIndex, f.sentence)}" title="go to its place in the report">§</a> ${highlight(f)} <span class="meta">${escape(f.polarity)} ${tags}${f.section ? ` · <em>${escape(f.section)}</em>` : ''}</span></li>`;
}

function reportSection(s: ReportSummary, themes: readonly string[], index: number): string {
  const judgements = s.judgements.length
    ? `<table class="judgements"><tr><th>Judgement</th><th>Grade stated in the report</th></tr>${s.judgements.map((j) => `<tr><td>${escape(j.area.replace(/_/g, ' '))}</td><td class="grade ${j.grade.replace(/ /g, '-')}">${escape(j.grade)}</td></tr>`).join('')}</table>`
    : '<p class="muted">No graded judgements found in this report.</p>';
  const byTheme = themes
    .map((theme) => {
      const negatives = s.findings.filter((f) => f.polarity === 'negative' && f.themes.some((t) => t.theme === theme));
      if (negatives.length === 0) return '';
      return `<h4>${escape(theme)} <span class="muted">(${negatives.length} negative)</span></h4><ul>${negatives.map((f) => findingItem(f, index)).join('')}</ul>`;
    })
    .join('');
  // The report text, sentence by sentence, so every finding link has a target.
  const textParts: string[] = [];
  let at = 0;
  for (const f of [...s.findings].sort((a, b) => a.span.start - b.span.start)) {
    textParts.push(escape(s.text.slice(at, f.span.start)));
    textParts.push(`<span id="${anchor(index, f.sentence)}" class="sent ${f.polarity}">${escape(s.text.slice(f.span.start, f.span.end))}</span>`);
    at = f.span.end;
  }
  textParts.push(escape(s.text.slice(at)));
  return `<section class="report" id="report-${index}">
<h2>${escape(s.id)}</h2>
<p class="muted">${s.findings.length} findings in ${s.sentences} sentences${s.pages ? ` · ${s.pages} pages` : ''}${s.meta.authority ? ` · ${escape(s.meta.authority)}` : ''}${s.meta.date ? ` · ${escape(s.meta.date)}` : ''}</p>
<div class="side-by-side"><div>${heatmapSvg(s.counts, themes, `${s.id}: themes by polarity`)}</div><div>${judgements}</div></div>
<h3>Negative findings by theme</h3>${byTheme || '<p class="muted">No negative themed findings.</p>'}
<details><summary>Report text (findings highlighted)</summary><div class="text">${textParts.join('')}</div></details>
</section>`;
}

export function renderHtml(summaries: readonly ReportSummary[], table: ReportsTable, themes: readonly string[]): string {
  const overall = summaries.length > 1 ? `<section><h2>All ${summaries.length} reports</h2>${heatmapSvg(table.overall, themes, 'All reports: themes by polarity')}</section>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ofsted-findings report</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.6rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem}
.muted{color:#666}.side-by-side{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}
.heatmap .axis{font-size:12px;fill:#333}.heatmap .n{font-size:12px;fill:#111}.heatmap .n.light{fill:#fff}
table.judgements{border-collapse:collapse}table.judgements td,table.judgements th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
.grade.outstanding,.grade.good{color:#1b7837;font-weight:600}.grade.requires-improvement,.grade.adequate{color:#b35806;font-weight:600}.grade.inadequate{color:#b2182b;font-weight:600}
li.finding{margin:.35rem 0}.meta{font-size:12px;color:#555}.tag{background:#eef;border-radius:3px;padding:0 .3rem}
mark{border-radius:2px;padding:0 1px}mark.neg{background:#f8c9cf}mark.pos{background:#c7e9c0}mark.theme{background:#d6e4ff}mark.cue{background:#eee}
a.jump{text-decoration:none;color:#36c}.text{white-space:pre-wrap;font-size:13px;background:#fafafa;padding:1rem;border:1px solid #eee}
.sent.negative{background:#fde3e6}.sent.positive{background:#e6f4e1}.sent.mixed{background:#fff0cf}
</style></head><body>
<h1>Ofsted findings by theme and polarity</h1>
<p class="muted">Generated by ofsted-findings. Highlights: <mark class="neg">negative cue</mark> <mark class="pos">positive cue</mark> <mark class="theme">theme cue</mark>. § jumps to the finding in the report text.</p>
${overall}
${summaries.map((s, i) => reportSection(s, themes, i)).join('\n')}
</body></html>
`;
}
