// Self-contained HTML for the evaluation: inline CSS and SVG, no network.
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

function themeBars(results, themes) {
  const systems = Object.entries(results).filter(([, r]) => r.themes);
  const groupW = 26 * systems.length + 20, left = 40, top = 20, H = 200;
  const width = left + groupW * themes.length + 200;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 70}" role="img" aria-label="Per-theme F1 by system">`];
  for (let k = 0; k <= 4; k++) {
    const y = top + H - (H * k) / 4;
    parts.push(`<line x1="${left}" x2="${left + groupW * themes.length}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${left - 6}" y="${y + 4}" text-anchor="end" class="ax">${(k / 4).toFixed(2)}</text>`);
  }
  themes.forEach((t, i) => {
    systems.forEach(([name, r], j) => {
      const f1 = r.themes.perLabel[t].f1;
      const x = left + i * groupW + 10 + j * 26;
      parts.push(`<rect x="${x}" y="${top + H - H * f1}" width="22" height="${H * f1}" fill="${PALETTE[j % PALETTE.length]}"><title>${esc(name)} — ${esc(t)}: F1 ${f1.toFixed(3)}</title></rect>`);
    });
    parts.push(`<text x="${left + i * groupW + groupW / 2}" y="${top + H + 18}" text-anchor="middle" class="ax">${esc(t)}</text>`);
  });
  systems.forEach(([name], j) => parts.push(`<rect x="${left + groupW * themes.length + 20}" y="${top + j * 18}" width="12" height="12" fill="${PALETTE[j % PALETTE.length]}"/><text x="${left + groupW * themes.length + 38}" y="${top + j * 18 + 10}" class="ax">${esc(name)}</text>`));
  parts.push('</svg>');
  return parts.join('');
}

function confusion(matrix, classes) {
  const c = 70, left = 90, top = 40;
  const max = Math.max(...classes.flatMap((g) => classes.map((p) => matrix[g][p])));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + c * classes.length + 10}" height="${top + 40 * classes.length + 30}" role="img" aria-label="Polarity confusion matrix">`];
  classes.forEach((p, j) => parts.push(`<text x="${left + j * c + c / 2}" y="${top - 10}" text-anchor="middle" class="ax">${p}</text>`));
  classes.forEach((g, i) => {
    parts.push(`<text x="${left - 8}" y="${top + i * 40 + 25}" text-anchor="end" class="ax">${g}</text>`);
    classes.forEach((p, j) => {
      const n = matrix[g][p];
      const a = n === 0 ? 0.03 : 0.1 + 0.9 * Math.sqrt(n / max);
      parts.push(`<rect x="${left + j * c}" y="${top + i * 40}" width="${c - 2}" height="38" fill="rgba(${i === j ? '27,120,55' : '178,24,43'},${a.toFixed(3)})"><title>gold ${g}, predicted ${p}: ${n}</title></rect><text x="${left + j * c + c / 2}" y="${top + i * 40 + 24}" text-anchor="middle" class="${a > 0.5 ? 'n light' : 'n'}">${n}</text>`);
    });
  });
  parts.push(`<text x="${left}" y="${top + 40 * classes.length + 20}" class="ax">rows: gold · columns: predicted</text></svg>`);
  return parts.join('');
}

function reliability(calibration, title) {
  const S = 220, left = 40, top = 15;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + S + 170}" height="${S + 50}" role="img" aria-label="${esc(title)}">`, `<rect x="${left}" y="${top}" width="${S}" height="${S}" fill="none" stroke="#ccc"/><line x1="${left}" y1="${top + S}" x2="${left + S}" y2="${top}" stroke="#aaa" stroke-dasharray="4 3"/>`];
  Object.entries(calibration).forEach(([label, { reliability: bins, brier }], j) => {
    const pts = bins.filter((b) => b.count > 0).map((b) => `${(left + b.meanPredicted * S).toFixed(1)},${(top + S - b.observed * S).toFixed(1)}`);
    parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${PALETTE[j % PALETTE.length]}" stroke-width="2"/>`);
    parts.push(`<text x="${left + S + 12}" y="${top + 12 + j * 16}" class="ax" fill="${PALETTE[j % PALETTE.length]}">${esc(label)} (Brier ${brier.toFixed(3)})</text>`);
  });
  parts.push(`<text x="${left + S / 2}" y="${top + S + 28}" text-anchor="middle" class="ax">predicted probability → observed frequency</text></svg>`);
  return parts.join('');
}

function gradeScatter(reports) {
  const W = 420, H = 220, left = 50, top = 10;
  const ranks = { outstanding: 1, good: 2, 'requires improvement': 3, inadequate: 4 };
  const rows = reports.filter((r) => ranks[r.grades.overall_effectiveness]);
  const max = Math.max(0.05, ...rows.map((r) => r.negativeShare));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + W + 20}" height="${H + 50}" role="img" aria-label="Negative finding share by Ofsted grade">`];
  Object.entries(ranks).forEach(([g, k]) => parts.push(`<text x="${left + ((k - 0.5) * W) / 4}" y="${top + H + 18}" text-anchor="middle" class="ax">${g}</text>`));
  for (let k = 0; k <= 4; k++) parts.push(`<text x="${left - 6}" y="${top + H - (H * k) / 4 + 4}" text-anchor="end" class="ax">${((max * k) / 4).toFixed(2)}</text>`);
  rows.forEach((r, i) => {
    const k = ranks[r.grades.overall_effectiveness];
    const jitter = ((i * 37) % 41) / 41 - 0.5;
    parts.push(`<circle cx="${(left + ((k - 0.5 + jitter * 0.6) * W) / 4).toFixed(1)}" cy="${(top + H - (H * r.negativeShare) / max).toFixed(1)}" r="3" fill="rgba(178,24,43,0.55)"><title>${esc(r.id)}: ${(r.negativeShare * 100).toFixed(1)}% negative</title></circle>`);
  });
  parts.push(`<text x="${left + W / 2}" y="${top + H + 38}" text-anchor="middle" class="ax">Ofsted overall effectiveness → share of findings classified negative</text></svg>`);
  return parts.join('');
}

export function renderEvalHtml({ meta, results, reportLevel, themes, polarities }) {
  const shipped = results.all['rules + model'];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ofsted-findings evaluation</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem}svg .ax{font-size:11px;fill:#333}svg .n{font-size:12px}svg .n.light{fill:#fff}section{margin:2rem 0}</style></head><body>
<h1>ofsted-findings evaluation</h1>
<p>Grouped ${meta.folds}-fold cross-validation by local authority (seed ${meta.seed}), ${meta.sentences} labelled sentences from ${meta.authorities} authorities.</p>
<section><h2>Per-theme F1 by system (all annotations)</h2>${themeBars(results.all, themes)}</section>
<section><h2>Polarity confusion matrix (rules + model)</h2>${confusion(shipped.polarity.confusion, polarities)}</section>
${shipped.calibration ? `<section><h2>Reliability (rules + model)</h2>${reliability(shipped.calibration.themes, 'Theme reliability')}${reliability(shipped.calibration.polarity, 'Polarity reliability')}</section>` : ''}
${reportLevel ? `<section><h2>Negative findings against Ofsted's overall grade</h2>${gradeScatter(reportLevel.reports)}</section>` : ''}
</body></html>
`;
}
