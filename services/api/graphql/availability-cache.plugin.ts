import { type ExecutionResult, type FieldNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { AvailabilityCache } from '../../garages/availability-cache.ts';

/**
 * Serves repeated availability queries from AvailabilityCache (services/garages), before
 * parsing, validation, the context (token check) and execution: a repeated answer costs little
 * more than the trivial query. Only operations that ask for nothing but `availability` (and
 * `__typename`) at the root are kept, under the exact request text, variables and
 * Authorization header, so an answer is only ever served to a request that would get the same
 * one: fields that depend on who asks are in the answer of that token only. Answers with errors
 * are never kept. Every mutation empties the cache when it is done (see availability-cache.ts).
 */
type Plan =
  | { kind: 'availability'; siteIds: ({ literal: string } | { variable: string })[] }
  | { kind: 'mutation' }
  | { kind: 'other' };

/** Plans per request text; clients send a handful of texts, anything past this is not planned. */
const MAX_PLANNED_DOCUMENTS = 500;

function selectedOperation(query: string, operationName?: string): OperationDefinitionNode | undefined {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return undefined; // Yoga answers the syntax error.
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

function siteIdSource(field: FieldNode): { literal: string } | { variable: string } | undefined {
  const value = field.arguments?.find((a) => a.name.value === 'siteId')?.value;
  if (value?.kind === Kind.STRING) return { literal: value.value };
  if (value?.kind === Kind.VARIABLE) return { variable: value.name.value };
  return undefined;
}

export function planOf(query: string, operationName?: string): Plan {
  const operation = selectedOperation(query, operationName);
  if (!operation) return { kind: 'other' };
  if (operation.operation === 'mutation') return { kind: 'mutation' };
  if (operation.operation !== 'query') return { kind: 'other' };
  const siteIds: ({ literal: string } | { variable: string })[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return { kind: 'other' };
    if (selection.name.value === '__typename') continue;
    if (selection.name.value !== 'availability') return { kind: 'other' };
    const source = siteIdSource(selection);
    if (!source) return { kind: 'other' };
    siteIds.push(source);
  }
  return siteIds.length > 0 ? { kind: 'availability', siteIds } : { kind: 'other' };
}

/** A result Yoga writes as the stored text (result-processor/stringify.js uses `stringify`). */
function serialised(body: string): ExecutionResult {
  return { stringify: () => body } as ExecutionResult;
}

export function availabilityCachePlugin(cache: AvailabilityCache): Plugin {
  const plans = new Map<string, Plan>();
  const planFor = (params: GraphQLParams): Plan => {
    if (typeof params.query !== 'string') return { kind: 'other' };
    const planKey = `${params.operationName ?? ''}\u0000${params.query}`;
    let plan = plans.get(planKey);
    if (!plan) {
      plan = planOf(params.query, params.operationName);
      if (plans.size < MAX_PLANNED_DOCUMENTS) plans.set(planKey, plan);
    }
    return plan;
  };

  return {
    onParams({ params, request, setResult, paramsHandler, setParamsHandler }) {
      if (!cache.enabled) return;
      const plan = planFor(params);
      if (plan.kind === 'mutation') {
        setParamsHandler(async (payload) => {
          try {
            return await paramsHandler(payload);
          } finally {
            cache.clear();
          }
        });
        return;
      }
      if (plan.kind !== 'availability') return;
      const variables = (params.variables ?? {}) as Record<string, unknown>;
      const siteIds: string[] = [];
      for (const source of plan.siteIds) {
        const id = 'literal' in source ? source.literal : variables[source.variable];
        if (typeof id !== 'string') return; // Yoga answers the missing or mistyped variable.
        siteIds.push(id);
      }
      const key = [
        request.headers.get('authorization') ?? '',
        params.operationName ?? '',
        params.query,
        JSON.stringify(variables),
      ].join('\u0000');
      const found = cache.lookup(key, siteIds);
      if (found.kind === 'hit') {
        setResult(serialised(found.body));
        return;
      }
      if (found.kind === 'shared') {
        setParamsHandler(async (payload) => {
          const body = await found.answer;
          return body !== undefined ? serialised(body) : paramsHandler(payload);
        });
        return;
      }
      setParamsHandler(async (payload) => {
        let body: string | undefined;
        try {
          const result = await paramsHandler(payload);
          if (Symbol.asyncIterator in result || result.errors || result.extensions || !result.data)
            return result;
          const text = JSON.stringify(result);
          body = text;
          return Object.assign(result, { stringify: () => text });
        } finally {
          found.finish(body);
        }
      });
    },
  };
}
