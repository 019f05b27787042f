import { RefreshNow } from '../segments/RefreshNow.tsx';
import { may, useViewer } from '../shell/viewer.ts';
import { ProblemMessage } from '../ui/Problem.tsx';
import { useReloadableQuery } from '../ui/use-reloadable-query.ts';
import { ProfileAttributes } from './attributes.ts';
import { ProfileUpload } from './ProfileUpload.tsx';

export function ProfilesPage() {
  const viewer = useViewer();
  const { data, error, reload } = useReloadableQuery(ProfileAttributes);
  return (
    <>
      <p className="lead">
        Customer profiles: a customer id and attributes, which segments select and exports send.
      </p>
      <ProblemMessage error={error} />
      <section className="panel" aria-labelledby="attributes-title">
        <h2 id="attributes-title">Attributes</h2>
        {data && data.profileAttributes.length === 0 && <p className="empty">No profiles yet.</p>}
        <ul className="tags">
          {(data?.profileAttributes ?? []).map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="load-title">
        <h2 id="load-title">Loading profiles</h2>
        <p>
          {may.writeProfiles(viewer)
            ? 'You may write profiles: '
            : 'Administrators, and contributors they allow (Users page), write profiles: '}
          a CSV or NDJSON file uploaded here or with <code>npm run cli -- profiles:import file.csv</code> (a
          report names each bad line), the <code>upsertProfiles</code> mutation, or a database source (Sources
          page). Segments take new profiles in at their next refresh.
        </p>
        {may.writeProfiles(viewer) && <ProfileUpload onImported={reload} />}
        {may.administer(viewer) && <RefreshNow label="Refresh segments now" />}
      </section>
    </>
  );
}
