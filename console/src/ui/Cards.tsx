import type { ReactNode } from 'react';

/** A page's items as a list of cards, and what it says instead once `loaded` finds none. */
export function Cards<Item>({
  items,
  loaded,
  empty,
  children,
}: {
  items: Item[];
  loaded: boolean;
  empty: ReactNode;
  children: (item: Item) => ReactNode;
}) {
  return (
    <>
      {loaded && items.length === 0 && <p className="empty">{empty}</p>}
      <ul className="cards">{items.map(children)}</ul>
    </>
  );
}

/** One item's card: named by its heading. */
export function Card({ name, children }: { name: string; children: ReactNode }) {
  return (
    <li className="card" aria-label={name}>
      <h2>{name}</h2>
      {children}
    </li>
  );
}
