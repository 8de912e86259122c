import { normalizeEmail } from '../domain/identity.js';

export interface AccountRow {
  line: number;
  email: string;
  label: string | null;
}

/**
 * Parses an accounts CSV: a header with `email` and optionally `label`, one account per line,
 * RFC 4180 quoting. Every problem is collected, so one run names all bad lines.
 */
export function parseAccountsCsv(text: string): { rows: AccountRow[]; problems: string[] } {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header)
    return {
      rows: [],
      problems: ['the file is empty: give a header line `email,label` and one account per line'],
    };
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const emailAt = columns.indexOf('email');
  const labelAt = columns.indexOf('label');
  if (emailAt < 0)
    return {
      rows: [],
      problems: [`line ${header.line}: no "email" column in the header (found: ${columns.join(', ')})`],
    };

  const rows: AccountRow[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of records) {
    if (cells.every((c) => c.trim() === '')) continue;
    const raw = cells[emailAt] ?? '';
    let email: string;
    try {
      email = normalizeEmail(raw);
    } catch {
      problems.push(`line ${line}: "${raw.slice(0, 80)}" is not an email address`);
      continue;
    }
    const first = seen.get(email);
    if (first !== undefined) {
      problems.push(`line ${line}: the same email as line ${first}`);
      continue;
    }
    seen.set(email, line);
    rows.push({ line, email, label: labelAt >= 0 ? cells[labelAt]?.trim() || null : null });
  }
  return { rows, problems };
}

function parseCsv(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ line: start, cells });
  }
  return records;
}
