import { createContext, useContext } from 'react';
import type { Role } from './gql/graphql.ts';

export type Viewer = { id: string; email: string; role: Role };

export const ViewerContext = createContext<Viewer>({ id: '', email: '', role: 'VIEWER' });
export const useViewer = () => useContext(ViewerContext);

/** What each role may do: what it may not is not offered. */
export const may = {
  manageConnections: (v: Viewer) => v.role === 'ADMIN',
  editExports: (v: Viewer) => v.role === 'ADMIN' || v.role === 'CONTRIBUTOR',
  administer: (v: Viewer) => v.role === 'ADMIN',
};
