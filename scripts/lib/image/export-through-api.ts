/** The GraphQL calls a user makes to export a segment, against the API container over HTTP. */
export function graphqlClient(apiUrl: string, token: string) {
  return async function gql<T>(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  };
}

export type RunOutcome = {
  status: string;
  exportedCount: number;
  totalProfiles: number | null;
  error: string | null;
};

/** Connection → static segment → export → run, then polls the run until it ends (or `timeoutMs`). */
export async function exportThroughApi(
  gql: ReturnType<typeof graphqlClient>,
  setup: { apiHost: string; apiKey: string; listId: string; customerIds: string[]; timeoutMs: number },
): Promise<RunOutcome> {
  const { createConnection } = await gql<{ createConnection: { id: string } }>(
    'mutation($input: CreateConnectionInput!) { createConnection(input: $input) { id } }',
    {
      input: {
        displayName: 'Image check',
        apiHost: setup.apiHost,
        apiKey: setup.apiKey,
        acceptDataPrivacy: true,
      },
    },
  );
  const { createSegment } = await gql<{ createSegment: { id: string } }>(
    'mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }',
    { input: { name: 'Image check segment', rule: { customerIds: setup.customerIds } } },
  );
  const { createExport } = await gql<{ createExport: { id: string } }>(
    'mutation($input: CreateExportInput!) { createExport(input: $input) { id } }',
    {
      input: {
        name: 'Image check export',
        connectionId: createConnection.id,
        listId: setup.listId,
        segmentIds: [createSegment.id],
        mapping: { email: 'Email', firstName: 'FirstName', lastName: 'LastName' },
        onLeave: 'KEEP',
      },
    },
  );
  const { runExport } = await gql<{ runExport: { id: string } }>(
    'mutation($id: ID!) { runExport(id: $id) { id } }',
    {
      id: createExport.id,
    },
  );
  const deadline = Date.now() + setup.timeoutMs;
  for (;;) {
    const { exportRun } = await gql<{ exportRun: RunOutcome }>(
      'query($id: ID!) { exportRun(id: $id) { status exportedCount totalProfiles error } }',
      { id: runExport.id },
    );
    if (['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(exportRun.status)) return exportRun;
    if (Date.now() > deadline) throw new Error(`run still ${exportRun.status} after ${setup.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
