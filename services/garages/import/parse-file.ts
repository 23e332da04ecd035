import type { ImportFormat, ParsedImport } from './import-record.ts';
import { lineAt } from './json-lines.ts';
import { emptyCsvImport, parseCsv } from './parse-csv.ts';
import { emptyGeoJsonImport, parseGeoJson } from './parse-geojson.ts';

/**
 * Decodes the file as UTF-8 and hands it to the format's parser. Bytes that are not UTF-8
 * (Excel's default "CSV" is Windows-1252) are refused rather than guessed: a guessed encoding
 * would store "StraÃŸe" for every "Straße".
 */
export function parseImportFile(bytes: Uint8Array, format: ImportFormat): ParsedImport {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const parsed = format === 'csv' ? emptyCsvImport() : emptyGeoJsonImport();
    parsed.problems.push({
      line: lineAt(lenient, lenient.indexOf('\uFFFD')),
      message: 'the file is not UTF-8; save it as "CSV UTF-8" (Excel) or with UTF-8 encoding',
    });
    return parsed;
  }
  return format === 'csv' ? parseCsv(text) : parseGeoJson(text);
}
