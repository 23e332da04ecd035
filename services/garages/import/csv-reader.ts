/**
 * A small RFC 4180 reader: quoted fields, doubled quotes inside them, line breaks inside
 * quotes, CRLF, LF and lone CR (old Excel for Mac) as record ends. Each record keeps the line
 * it starts on, because a quoted line break makes records and lines drift apart.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record is malformed; its fields are then unreliable. */
  error?: string;
}

export type CsvDelimiter = ',' | ';';

/**
 * German spreadsheets write `;` (the comma is their decimal separator), others `,`. The header
 * row decides: whichever of the two occurs more often outside quotes, `,` on a tie.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ';') semicolons++;
    else if (!quoted && char === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

export function readCsv(text: string, delimiter: CsvDelimiter): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let record: CsvRecord = { line, fields: [] };
  let field = '';
  let i = 0;

  const endField = () => {
    record.fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    // A blank line is one empty field: spreadsheets leave them at the end; they are not rows.
    if (!(record.fields.length === 1 && record.fields[0] === '' && !record.error)) records.push(record);
  };
  /** Consumes a line break at i (CRLF counts once); returns whether there was one. */
  const lineBreak = (): boolean => {
    const char = text[i];
    if (char === '\r') {
      i += text[i + 1] === '\n' ? 2 : 1;
    } else if (char === '\n') {
      i += 1;
    } else {
      return false;
    }
    line++;
    return true;
  };

  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      const startLine = line;
      i++;
      let closed = false;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        const before = i;
        if (lineBreak()) field += text.slice(before, i);
        else field += text[i++];
      }
      if (!closed) {
        record.error ??= `the quoted field starting on line ${startLine} never ends`;
        break;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
        record.error ??= `text after the closing quote of field ${record.fields.length + 1}`;
      }
      continue;
    }
    const char = text[i];
    if (char === delimiter) {
      endField();
      i++;
    } else if (lineBreak()) {
      endRecord();
      record = { line, fields: [] };
    } else {
      field += char;
      i++;
    }
  }
  // The last record usually has no line break after it; a trailing break leaves an empty one.
  if (record.fields.length > 0 || field !== '' || record.error) endRecord();
  return records;
}
