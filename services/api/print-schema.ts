import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from './graphql/schema.ts';

/** `npm run schema:print`: writes schema/schema.graphql, which a test compares against the code. */
export const schemaFile = join(dirname(fileURLToPath(import.meta.url)), '../../schema/schema.graphql');
export const printedSchema = () => `${printSchema(schema)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaFile, printedSchema());
  process.stdout.write(`wrote ${schemaFile}\n`);
}
