/**
 * A custom field of the account. Until the API lists an account's fields, the field's id is typed
 * (ActiveCampaign › Contacts › Fields); this is the one place to switch to a picker.
 */
export function FieldPicker({
  id,
  label,
  value,
  onChange,
}: {
  connectionId: string;
  id: string;
  label: string;
  value: string;
  onChange: (fieldId: string) => void;
}) {
  return (
    <input
      id={id}
      aria-label={label}
      inputMode="numeric"
      required
      placeholder="field id"
      value={value}
      onChange={(e) => onChange(e.target.value.trim())}
    />
  );
}
