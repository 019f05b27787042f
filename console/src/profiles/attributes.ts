import { graphql } from '../gql/index.ts';

/** The attribute names the profiles have: listed on the Profiles page, offered by the segment and export forms. */
export const ProfileAttributes = graphql(`
  query ProfileAttributes {
    profileAttributes
  }
`);
