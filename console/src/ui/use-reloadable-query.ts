import { type AnyVariables, type DocumentInput, type UseQueryArgs, useQuery } from 'urql';

/** A query, and a reload that asks the API again (after a change). */
export function useReloadableQuery<Data, Variables extends AnyVariables>(
  query: DocumentInput<Data, Variables>,
) {
  const [{ data, error, fetching }, refetch] = useQuery<Data, Variables>({ query } as UseQueryArgs<
    Variables,
    Data
  >);
  return { data, error, fetching, reload: () => refetch({ requestPolicy: 'network-only' }) };
}
