import { lineAt } from './json-lines.ts';

export interface JsonSyntaxError {
  line: number;
  message: string;
}

/**
 * Where and why JSON.parse failed. Node 20's own messages sometimes give no position and quote
 * the text around the error (line breaks included), so a small recursive-descent check over the
 * same grammar finds the first error itself. Only called after JSON.parse has failed.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError {
  let i = 0;
  const fail = (message: string): never => {
    throw Object.assign(new Error(message), { offset: i });
  };
  const describe = () => (i >= text.length ? 'end of file' : `"${text[i]}"`);
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}, expected a value`);
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('line break or control character inside a string');
      if (text[i] === '\\') {
        const escaped = /^\\(["\\/bfnrt]|u[0-9a-fA-F]{4})/.exec(text.slice(i, i + 6));
        if (!escaped) fail('invalid escape sequence in a string');
        i += escaped![0].length;
      } else {
        i++;
      }
    }
    if (i >= text.length) fail('a string never ends');
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match?.[0]) fail(`unexpected ${describe()}, expected a value`);
    i += match![0].length;
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === ',') {
        i++;
        space();
      } else if (text[i] === close) {
        i++;
        return;
      } else {
        fail(`unexpected ${describe()}, expected "," or "${close}"`);
      }
    }
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      sequence('}', () => {
        if (text[i] !== '"') fail(`unexpected ${describe()}, expected a property name in double quotes`);
        string();
        space();
        if (text[i] !== ':') fail(`unexpected ${describe()}, expected ":"`);
        i++;
        value();
      });
    } else if (char === '[') sequence(']', value);
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else number();
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the document`);
  } catch (error) {
    const offset = (error as { offset?: number }).offset ?? i;
    return { line: lineAt(text, offset), message: (error as Error).message };
  }
  return { line: 1, message: 'not valid JSON' };
}
