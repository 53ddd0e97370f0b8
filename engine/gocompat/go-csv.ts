/**
 * cert-manager's util.SplitWithEscapeCSV: the value is read with Go's
 * encoding/csv (comma separator, strict quotes, no space trimming) and must
 * hold exactly one record. The cert-manager.io/subject-* annotations are read
 * this way, so `Acme, "Foo, Inc"` fails: the quote does not start the field
 * (a space does), which Go calls a bare quote.
 */

const ERR_BARE_QUOTE = 'bare " in non-quoted-field';
const ERR_QUOTE = 'extraneous or missing " in quoted-field';

/** Go's csv.ParseError text. */
function parseError(startLine: number, line: number, column: number, err: string): string {
  if (startLine !== line) return `record on line ${startLine}; parse error on line ${line}, column ${column}: ${err}`;
  return `parse error on line ${line}, column ${column}: ${err}`;
}

/** Go's csv positions are 1-based byte columns. */
function byteCol(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index));
}

/** The input's lines as Go's csv reader sees them: each with its "\n" (the last may lack one), "\r\n" normalised. */
function splitLines(input: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < input.length) {
    const nl = input.indexOf('\n', start);
    let line = nl === -1 ? input.slice(start) : input.slice(start, nl + 1);
    start = nl === -1 ? input.length : nl + 1;
    if (nl === -1 && line.endsWith('\r')) line = line.slice(0, -1);
    else if (line.endsWith('\r\n')) line = `${line.slice(0, -2)}\n`;
    out.push(line);
  }
  return out;
}

function withoutNL(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

/** csv.Reader.ReadAll with the default options: the records, or Go's error text. */
export function goReadCsv(input: string): { records: string[][] } | { error: string } {
  const lines = splitLines(input);
  let li = 0;
  let lineNo = 0;
  const records: string[][] = [];
  let fieldsPerRecord = 0;
  while (li < lines.length) {
    let line = lines[li++];
    lineNo++;
    if (line === '\n' || line === '') continue; // empty lines are skipped
    const recLine = lineNo;
    const fields: string[] = [];
    let col = 1;
    for (;;) {
      if (!line.startsWith('"')) {
        const comma = line.indexOf(',');
        const field = comma >= 0 ? line.slice(0, comma) : withoutNL(line);
        const q = field.indexOf('"');
        if (q >= 0) return { error: parseError(recLine, lineNo, col + byteCol(field, q), ERR_BARE_QUOTE) };
        fields.push(field);
        if (comma >= 0) {
          col += byteCol(line, comma + 1);
          line = line.slice(comma + 1);
          continue;
        }
        break;
      }
      // A quoted field: runs to the closing quote, over line ends if need be.
      let value = '';
      line = line.slice(1);
      col += 1;
      let done = false;
      let recordDone = false;
      while (!done) {
        const q = line.indexOf('"');
        if (q >= 0) {
          value += line.slice(0, q);
          col += byteCol(line, q + 1);
          line = line.slice(q + 1);
          const next = line[0];
          if (next === '"') {
            value += '"';
            line = line.slice(1);
            col += 1;
          } else if (next === ',') {
            line = line.slice(1);
            col += 1;
            fields.push(value);
            done = true; // on to the next field
          } else if (line === '' || line === '\n') {
            fields.push(value);
            done = true;
            recordDone = true;
          } else {
            return { error: parseError(recLine, lineNo, col - 1, ERR_QUOTE) };
          }
        } else if (line.length > 0) {
          value += line;
          col += byteCol(line, line.length);
          if (li >= lines.length) {
            line = '';
          } else {
            line = lines[li++];
            lineNo++;
            col = 1;
          }
        } else {
          return { error: parseError(recLine, lineNo, col, ERR_QUOTE) };
        }
      }
      if (recordDone) break; // the record ended with the quoted field
    }
    if (records.length === 0) fieldsPerRecord = fields.length;
    else if (fields.length !== fieldsPerRecord) return { error: `record on line ${recLine}: wrong number of fields` };
    records.push(fields);
  }
  return { records };
}

/** util.SplitWithEscapeCSV: one CSV record, or cert-manager's error text. */
export function splitWithEscapeCsv(input: string): { values: string[] } | { error: string } {
  const r = goReadCsv(input);
  if ('error' in r) return { error: `failed to parse ${JSON.stringify(input)} as CSV: ${r.error}` };
  if (r.records.length === 0) return { error: `no values found after parsing ${JSON.stringify(input)}` };
  if (r.records.length > 1) return { error: `refusing to use ${JSON.stringify(input)} as input as it parses as multiple lines of CSV` };
  return { values: r.records[0] };
}
