import { useEffect, useState } from 'react';

export const pages = [
  { page: 'connections', title: 'Connections' },
  { page: 'exports', title: 'Exports' },
  { page: 'runs', title: 'Runs' },
  { page: 'segments', title: 'Segments' },
  { page: 'profiles', title: 'Profiles' },
  { page: 'sources', title: 'Sources' },
  { page: 'alerts', title: 'Alerts' },
  { page: 'users', title: 'Users' },
  { page: 'audit', title: 'Audit log' },
  { page: 'settings', title: 'Settings' },
] as const;

export type Page = (typeof pages)[number]['page'];

export type Route = { page: Page; params: URLSearchParams };

function parse(): Route {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const page = pages.find((p) => p.page === path)?.page ?? 'connections';
  return { page, params: new URLSearchParams(query) };
}

/** The page in the URL's hash (#/runs?export=…), so reloads and the back button keep it. */
export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const onChange = () => setRoute(parse());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const href = (page: Page, params: Record<string, string> = {}) => {
  const query = new URLSearchParams(params).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
};
