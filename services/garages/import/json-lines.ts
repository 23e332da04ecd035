/**
 * JSON.parse forgets where things were. To point an operator at a bad feature, this scans the
 * (already valid) JSON text once and notes the line on which each element of the top-level
 * object's `features` array starts. Strings are skipped with their escapes, so braces or
 * line breaks inside them do not confuse the count.
 */
export function featureStartLines(text: string): number[] {
  const lines: number[] = [];
  const stack: string[] = [];
  let line = 1;
  let lastString = '';
  let key = '';
  let inFeatures = false;
  let expectingFeature = false;

  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n') {
      line++;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') continue;

    // Inside the features array, any token at its own level that is not , or ] starts an element.
    if (inFeatures && stack.length === 2 && expectingFeature && char !== ']' && char !== ',') {
      lines.push(line);
      expectingFeature = false;
    }

    if (char === '"') {
      const start = i + 1;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
        i++;
      }
      lastString = text.slice(start, i);
    } else if (char === ':' && stack.length === 1) {
      key = lastString;
    } else if (char === '{' || char === '[') {
      stack.push(char);
      if (char === '[' && stack.length === 2 && stack[0] === '{' && key === 'features') {
        // JSON.parse keeps the last of duplicate keys; so do we.
        lines.length = 0;
        inFeatures = true;
        expectingFeature = true;
      }
    } else if (char === '}' || char === ']') {
      stack.pop();
      if (inFeatures && stack.length === 1) inFeatures = false;
    } else if (char === ',' && inFeatures && stack.length === 2) {
      expectingFeature = true;
    }
  }
  return lines;
}

/** The line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
