const NUMERIC = /^[-+]?[\d.,]+ ?(ms|x|%|\/s)?$/;

/** A plain-text table: a title line, then columns padded to their widest cell (numeric cells right-aligned). */
export function table(title: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) => row
    .map((cell, column) => (NUMERIC.test(cell) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
    .join('  ')
    .trimEnd();
  return [
    title,
    line(cells[0]),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

/** `{ "dynamodb.GetItem": 1, "ses.SendEmail": 1 }` → `dynamodb.GetItem 1, ses.SendEmail 1`; `-` when empty. */
export function countsText(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '-' : entries.map(([name, count]) => `${name} ${count}`).join(', ');
}

export function ms(value: number): string {
  return value.toFixed(2);
}
