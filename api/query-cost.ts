import {
  type FieldNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { pageSize } from './keyset-connection.ts';

/** graphql-armor's cost-limit weights: a scalar 1, an object 2 plus 1.5 × its selection. */
const weights = { scalar: 1, object: 2, depthFactor: 1.5 } as const;

type Field = GraphQLField<unknown, unknown>;

/**
 * The items a field can return at most: its `first`/`last` literal; the cap when a variable gives it
 * (a validated document is cached, whatever its variables); the default page of a connection without it.
 */
function pageOf(node: FieldNode, field: Field | undefined): number {
  const size = node.arguments?.find((arg) => arg.name.value === 'first' || arg.name.value === 'last');
  if (size?.value.kind === Kind.INT) return Math.max(1, Number.parseInt(size.value.value, 10));
  if (size) return pageSize.max;
  return field?.args.some((arg) => arg.name === 'first') ? pageSize.default : 1;
}

function fieldsOf(type: GraphQLNamedType | undefined): Record<string, Field> {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : {};
}

function selectionCost(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType | undefined,
  visiting: Set<string>,
): number {
  const schema = context.getSchema();
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === '__schema' || name === '__type') continue;
      if (!selection.selectionSet) {
        cost += weights.depthFactor * weights.scalar;
        continue;
      }
      const field = fieldsOf(type)[name];
      const inner = selectionCost(
        context,
        selection.selectionSet,
        field && getNamedType(field.type),
        visiting,
      );
      cost += weights.depthFactor * (weights.object + inner) * pageOf(selection, field);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
      cost +=
        weights.depthFactor * (weights.object + selectionCost(context, selection.selectionSet, on, visiting));
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      // A cycle is NoFragmentCyclesRule's to report.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      const on = schema.getType(fragment.typeCondition.name.value);
      const inner = selectionCost(context, fragment.selectionSet, on, visiting);
      cost += weights.depthFactor * (weights.scalar + weights.depthFactor * (weights.object + inner));
      visiting.delete(name);
    }
  }
  return cost;
}

/**
 * graphql-armor's cost limit, with each list priced at the items it can return: armor's multiplies
 * only by a literal `first`, so `exports { nodes { runs { nodes { rejects { nodes { … } } } } } }`
 * (20 × 20 × 20 rows by default) passed as if each list held one item.
 */
export function queryCostRule(maxCost: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation) ?? undefined;
      const cost = selectionCost(context, operation.selectionSet, root, new Set()) / weights.depthFactor;
      if (cost > maxCost) {
        context.reportError(
          new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${Math.ceil(cost)}.`, {
            nodes: [operation],
          }),
        );
      }
    },
  });
}

export const queryCostLimit = (maxCost: number): Plugin => ({
  onValidate: ({ addValidationRule }) => addValidationRule(queryCostRule(maxCost)),
});
