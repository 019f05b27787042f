import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';

const ResultsTargetChoices = graphql(`
  query ResultsTargetChoices {
    resultsTargets(first: 100) {
      nodes {
        id
        name
        schema
      }
    }
  }
`);

/** Where an export's run results are written (admins choose; Sources › Results targets adds them). */
export function ResultsTargetPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const [{ data }] = useQuery({ query: ResultsTargetChoices });
  const targets = data?.resultsTargets.nodes ?? [];
  return (
    <div className="field">
      <label htmlFor="export-results-target">Results target</label>
      <select
        id="export-results-target"
        value={value}
        aria-describedby="export-results-target-help"
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">None: results stay in Outbound</option>
        {targets.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} (schema {t.schema})
          </option>
        ))}
      </select>
      <p id="export-results-target-help" className="help">
        After every run, the run, each contact’s outcome and the list’s members are written into this database
        (Sources › Results targets).
      </p>
    </div>
  );
}
