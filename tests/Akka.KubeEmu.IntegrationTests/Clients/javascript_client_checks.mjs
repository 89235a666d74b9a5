// Issue E7's stock-client checks with the official JavaScript client (@kubernetes/client-node 1.x).
//
// The same checks as python_client_checks.py, the way a Node user's code makes them: the typed
// CoreV1Api (object parameters), the Watch helper, KubernetesObjectApi for server-side apply.
// One line per check; exit code 1 when any check fails. Run by OfficialClientSpecs:
//
//     node javascript_client_checks.mjs --kubeconfig PATH --namespace NS --modules DIR/node_modules
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { kubeconfig: { type: 'string' }, namespace: { type: 'string' }, modules: { type: 'string' } } });
// The client is installed outside the repository (scripts/test): imported by path.
const k8s = await import(pathToFileURL(join(args.modules, '@kubernetes/client-node/dist/index.js')).href);

const kc = new k8s.KubeConfig();
kc.loadFromFile(args.kubeconfig);
const ns = args.namespace;
const core = kc.makeApiClient(k8s.CoreV1Api);

function expect(what, actual, expected) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** The Status of a refused request, as a client reads it: code, reason, message. */
async function refused(call) {
  try {
    await call();
  } catch (e) {
    if (e.code === undefined) throw e;
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    expect('kind', body.kind, 'Status');
    return [e.code, body.reason, body.message];
  }
  throw new Error('the request succeeded');
}

const configMap = (name, data) => ({ metadata: { name }, data });

const checks = {
  async watch_yields_added_then_a_bookmark() {
    const rv = (await core.listNamespacedConfigMap({ namespace: ns })).metadata.resourceVersion;
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('watched') });
    const seen = [];
    let abort;
    await new Promise((resolve, reject) => {
      new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 3 },
        (type, obj) => {
          seen.push([type, obj.metadata?.name ?? null]);
          if (type === 'BOOKMARK') { abort?.abort(); resolve(); }
        },
        (err) => (err && err.name !== 'AbortError' ? reject(err) : resolve()))
        .then((controller) => { abort = controller; }, reject);
    });
    expect('events', seen.map(([type]) => type), ['ADDED', 'BOOKMARK']);
    expect('added', seen[0][1], 'watched');
  },

  async create_without_api_version_and_kind() {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('typeless', { a: 'b' }) });
    expect('apiVersion/kind', [created.apiVersion, created.kind], ['v1', 'ConfigMap']);
  },

  async delete_answers_the_object_for_services_service_accounts_and_claims_and_a_status_for_config_maps() {
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'gone' }, spec: { ports: [{ port: 80 }] } } });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'gone' } } });
    await core.createNamespacedPersistentVolumeClaim({ namespace: ns, body: { metadata: { name: 'gone' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('gone') });
    const answers = {};
    for (const [kind, del] of [['Service', 'deleteNamespacedService'], ['ServiceAccount', 'deleteNamespacedServiceAccount'],
      ['PersistentVolumeClaim', 'deleteNamespacedPersistentVolumeClaim'], ['ConfigMap', 'deleteNamespacedConfigMap']]) {
      const answer = await core[del]({ name: 'gone', namespace: ns });
      answers[kind] = [answer.kind, answer.kind === 'Status' ? answer.status : answer.metadata.name];
    }
    expect('answers', answers, { Service: ['Service', 'gone'], ServiceAccount: ['ServiceAccount', 'gone'],
      PersistentVolumeClaim: ['PersistentVolumeClaim', 'gone'], ConfigMap: ['Status', 'Success'] });
  },

  async a_stale_replace_is_a_409_conflict() {
    const first = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('stale', { a: '1' }) });
    await core.replaceNamespacedConfigMap({ name: 'stale', namespace: ns, body: { ...first, data: { a: '2' } } });
    expect('status', await refused(() => core.replaceNamespacedConfigMap({ name: 'stale', namespace: ns, body: first })),
      [409, 'Conflict', 'Operation cannot be fulfilled on configmaps "stale": the object has been modified; please apply your changes to the latest version and try again']);
  },

  async a_dry_run_create_answers_without_resource_version_and_stores_nothing() {
    const answer = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('dry'), dryRun: 'All' });
    expect('dry run', [answer.metadata.name, answer.metadata.resourceVersion ?? null], ['dry', null]);
    expect('stored', (await refused(() => core.readNamespacedConfigMap({ name: 'dry', namespace: ns })))[0], 404);
  },

  async server_side_apply_conflicts_then_force_takes_ownership() {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const apply = (owner, manager, force) => objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: ns }, data: { owner } },
      undefined, undefined, manager, force, k8s.PatchStrategy.ServerSideApply);
    expect('created', (await apply('first', 'first')).data.owner, 'first');
    expect('conflict', await refused(() => apply('second', 'second')),
      [409, 'Conflict', 'Apply failed with 1 conflict: conflict with "first": .data.owner']);
    const forced = await apply('second', 'second', true);
    expect('forced', [forced.data.owner, forced.metadata.managedFields.map((m) => m.manager)], ['second', ['second']]);
  },

  async not_found_and_invalid_answer_the_apiservers_status() {
    expect('404', await refused(() => core.readNamespacedConfigMap({ name: 'absent', namespace: ns })),
      [404, 'NotFound', 'configmaps "absent" not found']);
    expect('422', await refused(() => core.createNamespacedConfigMap({ namespace: ns, body: configMap('Bad_Name') })),
      [422, 'Invalid', 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must '
        + "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]);
  },

  async a_custom_resource_is_created_and_listed() {
    const extensions = kc.makeApiClient(k8s.ApiextensionsV1Api);
    const group = 'jschecks.kubeemu.test', plural = 'gadgets', name = `${plural}.${group}`;
    await extensions.createCustomResourceDefinition({ body: {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name },
      spec: { group, scope: 'Namespaced', names: { plural, singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: {
          type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
    } });
    try {
      const deadline = Date.now() + 5000;
      while (!((await extensions.readCustomResourceDefinition({ name })).status?.conditions ?? [])
        .some((c) => c.type === 'Established' && c.status === 'True')) {
        if (Date.now() > deadline) throw new Error('the definition was not Established within 5 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const created = await custom.createNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural,
        body: { apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 3, colour: 'red' } } });
      expect('pruned', created.spec, { size: 3 });
      const listed = await custom.listNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural });
      expect('list', [listed.kind, listed.items.map((i) => i.metadata.name)], ['GadgetList', ['g1']]);
    } finally {
      await extensions.deleteCustomResourceDefinition({ name });
    }
  },

  async a_service_account_token_without_a_binding_is_forbidden() {
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'reader' } } });
    const token = (await core.createNamespacedServiceAccountToken({ name: 'reader', namespace: ns,
      body: { spec: { audiences: [], expirationSeconds: 600 } } })).status.token;
    const reader = new k8s.KubeConfig();
    reader.loadFromOptions({ clusters: [kc.getCurrentCluster()], users: [{ name: 'reader', token }],
      contexts: [{ name: 'reader', cluster: kc.getCurrentCluster().name, user: 'reader' }], currentContext: 'reader' });
    expect('forbidden', await refused(() => reader.makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: ns })),
      [403, 'Forbidden', `configmaps is forbidden: User "system:serviceaccount:${ns}:reader" cannot list resource "configmaps" in API group "" in the namespace "${ns}"`]);
  },
};

let failed = 0;
for (const [name, check] of Object.entries(checks)) {
  const started = performance.now();
  try {
    await check();
    console.log(`ok   ${name} (${((performance.now() - started) / 1000).toFixed(2)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${String(e?.message ?? e).replaceAll('\n', ' | ')}`);
    console.error(e);
  }
}
console.log(`javascript client: ${Object.keys(checks).length} checks, ${failed} failing`);
process.exit(failed ? 1 : 0);
