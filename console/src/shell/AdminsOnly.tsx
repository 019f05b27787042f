import type { ReactNode } from 'react';
import { adminsOnly, may, useViewer } from './viewer.ts';

/** A page only administrators see: anyone else is told so. */
export function AdminsOnly({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  if (!may.administer(viewer)) return <p className="help">{adminsOnly}</p>;
  return children;
}
