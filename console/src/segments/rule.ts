/** The rule builder's conditions and the API's rule JSON (core/segments/segment-rule.ts) both ways. */
export const ops = [
  { op: 'EQ', words: 'is' },
  { op: 'NEQ', words: 'is not' },
  { op: 'IN', words: 'is one of (comma-separated)' },
  { op: 'CONTAINS', words: 'contains' },
  { op: 'GT', words: 'is greater than' },
  { op: 'GTE', words: 'is at least' },
  { op: 'LT', words: 'is less than' },
  { op: 'LTE', words: 'is at most' },
  { op: 'EXISTS', words: 'is set' },
  { op: 'NOT_EXISTS', words: 'is not set' },
] as const;

export type Op = (typeof ops)[number]['op'];
export type Condition = { attribute: string; op: Op; value: string };
export type Draft = { match: 'all' | 'any'; conditions: Condition[] };

export const takesNoValue = (op: Op) => op === 'EXISTS' || op === 'NOT_EXISTS';

/** A typed number is a number, true/false a yes/no; anything else text. */
function typed(value: string, op: Op): string | number | boolean {
  const trimmed = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if ((op === 'EQ' || op === 'NEQ') && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  return value;
}

export function ruleOf(draft: Draft): unknown {
  const nodes = draft.conditions.map((c) => {
    if (takesNoValue(c.op)) return { attribute: c.attribute, op: c.op };
    if (c.op === 'IN')
      return {
        attribute: c.attribute,
        op: c.op,
        value: c.value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
          .map((v) => {
            const t = typed(v, c.op);
            return typeof t === 'boolean' ? v : t;
          }),
      };
    return { attribute: c.attribute, op: c.op, value: typed(c.value, c.op) };
  });
  return draft.match === 'all' ? { all: nodes } : { any: nodes };
}

const isCondition = (node: unknown): node is { attribute: string; op: Op; value?: unknown } =>
  typeof node === 'object' && node !== null && 'attribute' in node && 'op' in node;

/** The builder's form of a stored rule, or null when it is static or nests groups (edited as JSON then). */
export function draftOf(rule: unknown): Draft | null {
  if (typeof rule !== 'object' || rule === null) return null;
  if (isCondition(rule)) return { match: 'all', conditions: [conditionOf(rule)] };
  const match = 'all' in rule ? 'all' : 'any' in rule ? 'any' : null;
  if (!match) return null;
  const nodes = (rule as Record<string, unknown>)[match];
  if (!Array.isArray(nodes) || !nodes.every(isCondition)) return null;
  return { match, conditions: nodes.map(conditionOf) };
}

function conditionOf(node: { attribute: string; op: Op; value?: unknown }): Condition {
  const value = Array.isArray(node.value)
    ? node.value.join(', ')
    : node.value == null
      ? ''
      : String(node.value);
  return { attribute: node.attribute, op: node.op, value };
}

/** A rule in words, for the segment list. */
export function describeRule(rule: unknown): string {
  if (typeof rule === 'object' && rule !== null && 'customerIds' in rule) {
    const ids = (rule as { customerIds: unknown[] }).customerIds;
    return `A fixed list of ${ids.length.toLocaleString()} customer ids`;
  }
  const draft = draftOf(rule);
  if (!draft) return 'Nested groups of conditions (shown as JSON when edited)';
  const words = draft.conditions.map((c) => {
    const op = ops.find((o) => o.op === c.op)?.words ?? c.op;
    return takesNoValue(c.op)
      ? `${c.attribute} ${op}`
      : `${c.attribute} ${op.replace(/ \(.*\)$/, '')} ${c.value}`;
  });
  return words.join(draft.match === 'all' ? ' and ' : ' or ');
}
