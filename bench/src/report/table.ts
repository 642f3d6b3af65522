/** A table printed to stdout: a title, a header row, and rows of already-formatted cells. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export function printTable(table: Table): void {
  const all = [table.columns, ...table.rows];
  const widths = table.columns.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  const out = [
    '',
    `## ${table.title}`,
    '',
    line(table.columns),
    `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...table.rows.map(line),
    ...(table.notes?.length ? ['', ...table.notes.map((n) => `- ${n}`)] : []),
  ];
  console.log(out.join('\n'));
}
