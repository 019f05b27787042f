import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  Kind,
  type NamedTypeNode,
  type SelectionNode,
  type SelectionSetNode,
  typeFromAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The cost weights of graphql-armor's cost limit, whose figures the limit was set by. */
const objectCost = 2;
const scalarCost = 1;
const depthCostFactor = 1.5;
/** What a connection without `first`/`last` returns (Pothos' default page). */
const defaultPageSize = 20;

/** The most an operation may cost (the API's limit). */
export const maxQueryCost = 5000;

/**
 * A field that does a run's worth of reading (a dry run of an export) is priced as that work, set on
 * the field as `extensions: { cost }`: this one lets two such fields into a request, not three.
 */
export const heavyFieldCost = Math.floor(maxQueryCost * 0.4);

/** The price a field declares for the work it does (`extensions.cost`), on top of what it selects. */
function workCost(field: GraphQLField<unknown, unknown> | undefined): number {
  const cost = field?.extensions?.cost;
  return typeof cost === 'number' ? cost : 0;
}

type Walk = {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
};

/** How many items a field asks for: its `first` or `last` as the resolver sees it (variables and defaults applied). */
function multiplier(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  const names = field.args.map((a) => a.name);
  if (!names.includes('first') && !names.includes('last')) return 1;
  const size = [args.first, args.last].find((value) => typeof value === 'number');
  return typeof size === 'number' ? Math.max(size, 1) : defaultPageSize;
}

/** graphql-armor's formula: a field with a selection costs `first` × (2 + 1.5 × its selections), a leaf 1. */
function selectionCost(
  walk: Walk,
  parent: GraphQLCompositeType,
  node: SelectionNode,
  seen: Set<string>,
): number {
  if (node.kind === Kind.FIELD) {
    if (node.name.value === '__schema' || node.name.value === '__type') return 0;
    const field = 'getFields' in parent ? parent.getFields()[node.name.value] : undefined;
    if (!node.selectionSet) return scalarCost + workCost(field);
    const type = field && getNamedType(field.type);
    const inner = type && isCompositeType(type) ? setCost(walk, type, node.selectionSet, seen) : 0;
    const count = field ? multiplier(field, getArgumentValues(field, node, walk.variables)) : 1;
    return workCost(field) + count * (objectCost + depthCostFactor * inner);
  }
  if (node.kind === Kind.INLINE_FRAGMENT) {
    const on = conditionType(walk, node.typeCondition, parent);
    return objectCost + depthCostFactor * setCost(walk, on, node.selectionSet, seen);
  }
  const name = node.name.value;
  const fragment = walk.fragments.get(name);
  if (!fragment || seen.has(name)) return scalarCost; // a cycle: validation refuses it anyway
  const on = conditionType(walk, fragment.typeCondition, parent);
  const inner = setCost(walk, on, fragment.selectionSet, new Set([...seen, name]));
  return scalarCost + depthCostFactor * (objectCost + depthCostFactor * inner);
}

function setCost(walk: Walk, parent: GraphQLCompositeType, set: SelectionSetNode, seen: Set<string>): number {
  return set.selections.reduce((sum, selection) => sum + selectionCost(walk, parent, selection, seen), 0);
}

function conditionType(walk: Walk, condition: NamedTypeNode | undefined, parent: GraphQLCompositeType) {
  const type = condition ? typeFromAST(walk.schema, condition) : parent;
  return type && isCompositeType(type) ? type : parent;
}

/**
 * The cost of the operation a request executes, `first`/`last` read from its variables as well as its
 * literals (and argument defaults): `rejects(first: $n)` costs what it fetches. Null when the variables
 * do not coerce (execution refuses them itself).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  rawVariables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return null;
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return setCost({ schema, fragments, variables: coerced.coerced }, root, operation.selectionSet, new Set());
}

const tooCostly = (maxCost: number, cost: number) =>
  new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${Math.round(cost)}.`, {
    extensions: { code: 'QUERY_TOO_COSTLY' },
  });

/**
 * Refuses operations costing more than `maxCost` before they run. Checked at execution, not validation:
 * yoga caches validation per document, and the cost depends on the variables.
 */
export function queryCostLimit(maxCost: number): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: {
      schema: GraphQLSchema;
      document: DocumentNode;
      variableValues?: unknown;
      operationName?: string | null;
    };
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }) => {
    const cost = operationCost(
      args.schema,
      args.document,
      args.variableValues as Record<string, unknown> | undefined,
      args.operationName,
    );
    if (cost !== null && cost > maxCost) setResultAndStopExecution({ errors: [tooCostly(maxCost, cost)] });
  };
  return { onExecute: check, onSubscribe: check };
}
