import { type AnyVariables, type DocumentInput, useMutation } from 'urql';

/**
 * A form's two mutations: `create` for a new item, `update` for the one it edits (`editing`), with the
 * error and the pending state of the one it uses.
 */
export function useSave<
  Created,
  CreateVariables extends AnyVariables,
  Updated,
  UpdateVariables extends AnyVariables,
>(
  editing: boolean,
  createDocument: DocumentInput<Created, CreateVariables>,
  updateDocument: DocumentInput<Updated, UpdateVariables>,
) {
  const [created, create] = useMutation(createDocument);
  const [updated, update] = useMutation(updateDocument);
  const state = editing ? updated : created;
  return { create, update, error: state.error, saving: state.fetching };
}
