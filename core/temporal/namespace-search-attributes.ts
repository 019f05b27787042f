import type { Connection } from '@temporalio/client';
import { searchAttributes } from '../../temporal.config.ts';

type SearchAttributeType = (typeof searchAttributes)[keyof typeof searchAttributes];

/** Temporal's IndexedValueType numbers (temporal.api.enums.v1) by the names temporal.config.ts uses. */
const indexedValueTypes: Record<number, string> = {
  1: 'Text',
  2: 'Keyword',
  3: 'Int',
  4: 'Double',
  5: 'Bool',
  6: 'Datetime',
  7: 'KeywordList',
};

export type SearchAttributeProblem = { name: string; wanted: SearchAttributeType; found: string | null };

/** The attributes of temporal.config.ts the namespace lacks, or has with another type. */
export async function searchAttributeProblems(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  wanted: Record<string, SearchAttributeType> = searchAttributes,
): Promise<SearchAttributeProblem[]> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const custom = listed.customAttributes ?? {};
  const problems: SearchAttributeProblem[] = [];
  for (const [name, type] of Object.entries(wanted)) {
    const registered = custom[name];
    const found =
      registered === undefined || registered === null ? null : (indexedValueTypes[registered] ?? 'unknown');
    if (found !== type) problems.push({ name, wanted: type, found });
  }
  return problems;
}

/** One sentence naming each attribute to register (and how), for the worker to exit with. */
export function describeSearchAttributeProblems(
  namespace: string,
  problems: SearchAttributeProblem[],
): string {
  const listed = problems
    .map((p) => (p.found ? `${p.name} (is ${p.found}, must be ${p.wanted})` : `${p.name} (${p.wanted})`))
    .join(', ');
  const commands = problems
    .filter((p) => !p.found)
    .map(
      (p) =>
        `  temporal operator search-attribute create --namespace ${namespace} --name ${p.name} --type ${p.wanted}`,
    )
    .join('\n');
  return (
    `Temporal namespace ${namespace} lacks search attributes Outbound's workflows set: ${listed}. ` +
    `Register them before starting the worker (docs/deployment.md, "Search attributes")${commands ? `:\n${commands}` : '.'}`
  );
}
