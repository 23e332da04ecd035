import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { type ArgumentNode, type DocumentNode, Kind, validate, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-armor's cost limit runs during validation, before variables are known, so
 * `sites(first: $n)` would cost as little as `sites`. This plugin repeats the same cost rule
 * at execution with integer variables written into the arguments, so a page size costs the
 * same whether it is a literal or a variable.
 */
export function costLimitWithVariables(options: { maxCost: number }): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = args.variableValues;
      if (!variables || Object.keys(variables).length === 0) return;
      // No integer variable in an argument: validation already costed this document exactly.
      const names = variablesInArguments(args.document);
      if (![...names].some((name) => Number.isInteger(variables[name]))) return;
      const inlined = inlineIntegerVariables(args.document, variables);
      const errors = validate(args.schema, inlined, [
        costLimitRule({ maxCost: options.maxCost, ignoreIntrospection: true }),
      ]);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

/**
 * The variables a document passes straight as arguments, found once per document: Yoga's
 * parse cache hands the same DocumentNode to every request with the same query text.
 */
const argumentVariables = new WeakMap<DocumentNode, Set<string>>();
function variablesInArguments(document: DocumentNode): Set<string> {
  let names = argumentVariables.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Argument(node: ArgumentNode) {
        if (node.value.kind === Kind.VARIABLE) found.add(node.value.name.value);
      },
    });
    names = found;
    argumentVariables.set(document, names);
  }
  return names;
}

function inlineIntegerVariables(document: DocumentNode, variables: Record<string, unknown>): DocumentNode {
  return visit(document, {
    Argument(node: ArgumentNode) {
      if (node.value.kind !== Kind.VARIABLE) return undefined;
      const value = variables[node.value.name.value];
      if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
      return { ...node, value: { kind: Kind.INT, value: String(value) } };
    },
  });
}
