// Plain-text tables for the terminal: columns padded to their widest cell, two spaces apart, no
// trailing blanks. Left-aligned unless `rightAligned` says otherwise (numbers).

/** Each row as one line; the first row (the headings) sets the number of columns. */
export function alignColumns(
  rows: readonly (readonly string[])[],
  rightAligned: (column: number) => boolean = () => false,
): string[] {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) =>
        rightAligned(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
}
