import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { AccountFields } from './account-fields.ts';

const ListNames = graphql(`
  query ExportListNames($connectionId: ID!) {
    connection(id: $connectionId) {
      id
      lists(first: 100) {
        nodes {
          id
          name
        }
      }
    }
  }
`);

/**
 * The export's list by its name in ActiveCampaign (read live, for who may use the connection), else its id.
 * Only the account's first 100 lists are looked at.
 */
export function ListName({
  connectionId,
  listId,
  usable,
}: {
  connectionId: string;
  listId: string;
  usable: boolean;
}) {
  const [{ data }] = useQuery({ query: ListNames, variables: { connectionId }, pause: !usable });
  const name = data?.connection.lists.nodes.find((l) => l.id === listId)?.name;
  return name ? (
    <>
      {name} <span className="muted">(id {listId})</span>
    </>
  ) : (
    <>list {listId}</>
  );
}

/** The mapping's custom fields by their titles in ActiveCampaign, else their ids. */
export function FieldNames({
  connectionId,
  usable,
  fields,
}: {
  connectionId: string;
  usable: boolean;
  fields: Array<{ attribute: string; fieldId: string }>;
}) {
  const [{ data }] = useQuery({
    query: AccountFields,
    variables: { connectionId },
    pause: !usable || fields.length === 0,
  });
  const titleOf = (id: string) => data?.connection.fields.find((f) => f.id === id)?.title;
  return (
    <>{fields.map((f) => `, ${titleOf(f.fieldId) ?? `field ${f.fieldId}`} ← ${f.attribute}`).join('')}</>
  );
}
