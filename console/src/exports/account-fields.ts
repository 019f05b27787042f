import { graphql } from '../gql/index.ts';

/** The custom fields of a connection's account: picked in the export form, named on the export's card. */
export const AccountFields = graphql(`
  query AccountFields($connectionId: ID!) {
    connection(id: $connectionId) {
      id
      fields {
        id
        title
        type
        options
      }
    }
  }
`);
