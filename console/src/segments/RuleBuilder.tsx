import { type Condition, type Draft, ops, takesNoValue } from './rule.ts';

/** Conditions on profile attributes, all or any of which a member meets. Keyboard: plain form controls. */
export function RuleBuilder({
  draft,
  onChange,
  attributes,
}: {
  draft: Draft;
  onChange: (draft: Draft) => void;
  attributes: string[];
}) {
  const set = (i: number, change: Partial<Condition>) =>
    onChange({ ...draft, conditions: draft.conditions.map((c, j) => (j === i ? { ...c, ...change } : c)) });
  return (
    <fieldset className="rule-builder">
      <legend>Members are the profiles that meet</legend>
      <div className="field">
        <label htmlFor="rule-match">Which conditions</label>
        <select
          id="rule-match"
          value={draft.match}
          onChange={(e) => onChange({ ...draft, match: e.target.value as Draft['match'] })}
        >
          <option value="all">all of these conditions</option>
          <option value="any">any of these conditions</option>
        </select>
      </div>
      <datalist id="profile-attributes">
        {attributes.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {draft.conditions.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own
        <fieldset className="field-row condition" key={i}>
          <legend className="visually-hidden">Condition {i + 1}</legend>
          <input
            id={`rule-${i}-attribute`}
            aria-label={`Condition ${i + 1}: attribute`}
            list="profile-attributes"
            required
            maxLength={200}
            value={c.attribute}
            onChange={(e) => set(i, { attribute: e.target.value })}
          />
          <select
            id={`rule-${i}-op`}
            aria-label={`Condition ${i + 1}: comparison`}
            value={c.op}
            onChange={(e) => set(i, { op: e.target.value as Condition['op'] })}
          >
            {ops.map((o) => (
              <option key={o.op} value={o.op}>
                {o.words}
              </option>
            ))}
          </select>
          {!takesNoValue(c.op) && (
            <input
              id={`rule-${i}-value`}
              aria-label={`Condition ${i + 1}: value`}
              maxLength={1000}
              value={c.value}
              onChange={(e) => set(i, { value: e.target.value })}
            />
          )}
          <button
            type="button"
            disabled={draft.conditions.length === 1}
            onClick={() => onChange({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}
          >
            Remove condition {i + 1}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange({ ...draft, conditions: [...draft.conditions, { attribute: '', op: 'EQ', value: '' }] })
        }
      >
        Add a condition
      </button>
      <p className="help">
        Numbers are compared as numbers (30 is less than 100); true and false as yes/no; text ignores case
        only with “contains”.
      </p>
    </fieldset>
  );
}
