import { AlertsPage } from '../alerts/AlertsPage.tsx';
import { AuditPage } from '../audit/AuditPage.tsx';
import { ConnectionsPage } from '../connections/ConnectionsPage.tsx';
import { ExportsPage } from '../exports/ExportsPage.tsx';
import { ProfilesPage } from '../profiles/ProfilesPage.tsx';
import { RunsPage } from '../runs/RunsPage.tsx';
import { SegmentsPage } from '../segments/SegmentsPage.tsx';
import { SettingsPage } from '../settings/SettingsPage.tsx';
import { SourcesPage } from '../sources/SourcesPage.tsx';
import { UsersPage } from '../users/UsersPage.tsx';
import { AdminsOnly } from './AdminsOnly.tsx';
import type { Route } from './route.ts';

/** The page the route names: the administrators' pages tell anyone else they are theirs. */
export function PageBody({ route }: { route: Route }) {
  switch (route.page) {
    case 'connections':
      return <ConnectionsPage />;
    case 'exports':
      return <ExportsPage />;
    case 'runs':
      return <RunsPage exportId={route.params.get('export')} runId={route.params.get('run')} />;
    case 'segments':
      return <SegmentsPage />;
    case 'profiles':
      return <ProfilesPage />;
    case 'sources':
      return (
        <AdminsOnly>
          <SourcesPage />
        </AdminsOnly>
      );
    case 'alerts':
      return (
        <AdminsOnly>
          <AlertsPage />
        </AdminsOnly>
      );
    case 'users':
      return <UsersPage />;
    case 'audit':
      return (
        <AdminsOnly>
          <AuditPage />
        </AdminsOnly>
      );
    case 'settings':
      return <SettingsPage />;
  }
}
