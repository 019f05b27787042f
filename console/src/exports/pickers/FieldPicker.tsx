import type { AccountFieldsQuery } from '../../gql/graphql.ts';

type AccountField = AccountFieldsQuery['connection']['fields'][number];

/** A custom field of the account, chosen by title, its type shown. The form reads the fields once. */
export function FieldPicker({
  id,
  label,
  value,
  fields,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  fields: readonly AccountField[];
  onChange: (fieldId: string) => void;
}) {
  const chosenShown = !value || fields.some((f) => f.id === value);
  return (
    <select id={id} aria-label={label} required value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose a field</option>
      {!chosenShown && <option value={value}>The chosen field (id {value})</option>}
      {fields.map((f) => (
        <option key={f.id} value={f.id}>
          {`${f.title} (${f.type})`}
        </option>
      ))}
    </select>
  );
}
