/** One of GraphiQL's files as served under /graphiql-assets/<version>/. */
export type GraphiqlFile = { name: string; type: string; body: Uint8Array<ArrayBuffer> };
export type GraphiqlFiles = { version: string; files: GraphiqlFile[] };

/**
 * Starts GraphiQL in the page: Monaco's workers from this origin, the options from the page's JSON, and the
 * header editor filled with the console's signed-in token (same origin, same tab: its sessionStorage).
 */
const boot = `(() => {
  const base = document.currentScript.src.replace(/[^/]*$/, '');
  const workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => base + workers[label] };
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  const token = sessionStorage.getItem('outbound.token');
  if (token) options.headers = JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;

const js = 'text/javascript; charset=utf-8';

/**
 * GraphiQL's files from the deployment's own dependencies (@graphql-yoga/render-graphiql's single bundle,
 * split into the page's script, its styles, Monaco's three workers, the icon and our boot script), named
 * by a version that changes with their content.
 */
export async function graphiqlFiles(): Promise<GraphiqlFiles> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const encode = (text: string) => new TextEncoder().encode(text);
  const texts: Array<[string, string, string]> = [
    ['graphiql.js', bundle.js, js],
    ['graphiql.css', bundle.css, 'text/css; charset=utf-8'],
    ['editor.worker.js', bundle.editorWorkerService, js],
    ['json.worker.js', bundle.jsonWorker, js],
    ['graphql.worker.js', bundle.graphqlWorker, js],
    ['boot.js', boot, js],
  ];
  const files: GraphiqlFile[] = texts.map(([name, text, type]) => ({ name, type, body: encode(text) }));
  const icon = Uint8Array.from(atob(bundle.favicon.replace(/^data:[^,]*,/, '')), (c) => c.charCodeAt(0));
  files.push({ name: 'favicon.ico', type: 'image/x-icon', body: icon });
  const digest = await crypto.subtle.digest('SHA-256', encode(texts.map((t) => t[1]).join('\0')));
  const version = [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  return { version, files };
}
