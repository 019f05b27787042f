/**
 * One query for many keys: the resolvers of a list's items ask for their key one by one in the same
 * tick, and the loader fetches them all at once (what DataLoader does, for one request's lifetime).
 */
export function createBatchLoader<K, V>(loadMany: (keys: K[]) => Promise<Map<K, V>>) {
  let batch: { keys: Set<K>; loaded: Promise<Map<K, V>> } | null = null;
  return (key: K): Promise<V | undefined> => {
    if (!batch) {
      const keys = new Set<K>();
      const loaded = Promise.resolve().then(() => {
        batch = null;
        return loadMany([...keys]);
      });
      batch = { keys, loaded };
    }
    batch.keys.add(key);
    return batch.loaded.then((values) => values.get(key));
  };
}
