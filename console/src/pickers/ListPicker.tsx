/**
 * The ActiveCampaign list of an export. Until the API lists an account's lists, the list's id is typed
 * (ActiveCampaign › Lists, the number in the list's URL); this is the one place to switch to a picker.
 */
export function ListPicker({
  value,
  onChange,
}: {
  connectionId: string;
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor="export-list">List id</label>
      <input
        id="export-list"
        inputMode="numeric"
        required
        value={value}
        onChange={(e) => onChange(e.target.value.trim())}
        aria-describedby="export-list-help"
      />
      <p id="export-list-help" className="help">
        The number in the list’s address in ActiveCampaign (Lists › the list).
      </p>
    </div>
  );
}
