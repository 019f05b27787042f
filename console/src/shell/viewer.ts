import { createContext, useContext } from 'react';
import type { Role } from '../gql/graphql.ts';

export type Viewer = { id: string; email: string; role: Role; canWriteProfiles: boolean };

export const ViewerContext = createContext<Viewer>({
  id: '',
  email: '',
  role: 'VIEWER',
  canWriteProfiles: false,
});
export const useViewer = () => useContext(ViewerContext);

/** What each role may do: what it may not is not offered. */
export const may = {
  manageConnections: (v: Viewer) => v.role === 'ADMIN',
  editExports: (v: Viewer) => v.role === 'ADMIN' || v.role === 'CONTRIBUTOR',
  editSegments: (v: Viewer) => v.role === 'ADMIN' || v.role === 'CONTRIBUTOR',
  writeProfiles: (v: Viewer) => v.canWriteProfiles,
  administer: (v: Viewer) => v.role === 'ADMIN',
};

export const adminsOnly = 'Administrators only: ask one to do this.';
