import { readFileSync } from 'node:fs';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import * as operations from './src/api/operations.ts';
import * as stationOperations from './src/api/station-operations.ts';

/**
 * Every operation the browser app sends is valid against the committed schema and within the
 * API's default depth and cost limits, so a schema change that breaks the app fails here,
 * before a commuter meets it.
 */

const schema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
const limits = loadConfig({});
const documents = Object.entries({ ...operations, ...stationOperations } as Record<string, unknown>).filter(
  (entry): entry is [string, string] =>
    typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]),
);

describe('the web app’s GraphQL operations', () => {
  it('are all found', () => {
    expect(documents.length).toBeGreaterThan(25);
  });

  it.each(documents)('%s is valid and within the depth and cost limits', (_name, source) => {
    const errors = validate(schema, parse(source), [
      ...specifiedRules,
      maxDepthRule({ n: limits.graphqlMaxDepth }),
      costLimitRule({ maxCost: limits.graphqlMaxCost }),
    ]);
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
