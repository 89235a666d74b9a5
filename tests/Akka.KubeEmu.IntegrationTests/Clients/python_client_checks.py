#!/usr/bin/python3
"""Issue E7's stock-client checks with the official Python client (Debian's python3-kubernetes 22.x).

Drives a running emulator the way a Python user's code does: the typed CoreV1Api and friends, the
watch helper, the dynamic client for server-side apply (22.x's typed patch cannot send an apply
patch). One line per check; exit code 1 when any check fails. Run by OfficialClientSpecs:

    /usr/bin/python3 python_client_checks.py --kubeconfig PATH --namespace NS
"""
import argparse
import json
import sys
import tempfile
import time
import traceback

from kubernetes import client, config, dynamic, watch
from kubernetes.client.rest import ApiException

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def expect(what, actual, expected):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def status_of(error):
    """The Status body of a failed request, as a client reads it: code, reason, message."""
    body = json.loads(error.body)
    expect("kind", body.get("kind"), "Status")
    return error.status, body.get("reason"), body.get("message")


def refused(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ApiException as e:
        return status_of(e)
    raise AssertionError("the request succeeded")


class Checks:
    def __init__(self, api_client, namespace):
        self.api = api_client
        self.ns = namespace
        self.core = client.CoreV1Api(api_client)

    def config_map(self, name, **data):
        return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data=data or None)

    @check
    def watch_stream_yields_added_then_a_bookmark(self):
        # The watch helper sends watch=True: a server that reads only "true"/"1" answers a plain list
        # and the stream yields nothing.
        rv = self.core.list_namespaced_config_map(self.ns).metadata.resource_version
        self.core.create_namespaced_config_map(self.ns, self.config_map("watched"))
        w = watch.Watch()
        seen = []
        for event in w.stream(self.core.list_namespaced_config_map, self.ns, resource_version=rv,
                              allow_watch_bookmarks=True, timeout_seconds=3):
            obj = event["object"]
            name = obj["metadata"].get("name") if isinstance(obj, dict) else obj.metadata.name
            seen.append((event["type"], name))
            if event["type"] == "BOOKMARK":
                w.stop()
        expect("events", [t for t, _ in seen], ["ADDED", "BOOKMARK"])
        expect("added", seen[0][1], "watched")

    @check
    def create_without_api_version_and_kind(self):
        # The typed models leave apiVersion/kind unset unless the user sets them.
        created = self.core.create_namespaced_config_map(self.ns, self.config_map("typeless", a="b"))
        expect("apiVersion/kind", (created.api_version, created.kind), ("v1", "ConfigMap"))
        expect("data", created.data, {"a": "b"})

    @check
    def delete_answers_the_object_for_services_service_accounts_and_claims_and_a_status_for_config_maps(self):
        self.core.create_namespaced_service(self.ns, client.V1Service(
            metadata=client.V1ObjectMeta(name="gone"), spec=client.V1ServiceSpec(ports=[client.V1ServicePort(port=80)])))
        self.core.create_namespaced_service_account(self.ns, client.V1ServiceAccount(metadata=client.V1ObjectMeta(name="gone")))
        self.core.create_namespaced_persistent_volume_claim(self.ns, client.V1PersistentVolumeClaim(
            metadata=client.V1ObjectMeta(name="gone"), spec=client.V1PersistentVolumeClaimSpec(
                access_modes=["ReadWriteOnce"], resources=client.V1ResourceRequirements(requests={"storage": "1Gi"}))))
        self.core.create_namespaced_config_map(self.ns, self.config_map("gone"))
        answers = {}
        for kind, delete in [("Service", self.core.delete_namespaced_service),
                             ("ServiceAccount", self.core.delete_namespaced_service_account),
                             ("PersistentVolumeClaim", self.core.delete_namespaced_persistent_volume_claim),
                             ("ConfigMap", self.core.delete_namespaced_config_map)]:
            body = json.loads(delete("gone", self.ns, _preload_content=False).data)
            answers[kind] = (body["kind"], body.get("metadata", {}).get("name") if body["kind"] != "Status" else body["status"])
        expect("answers", answers, {"Service": ("Service", "gone"), "ServiceAccount": ("ServiceAccount", "gone"),
                                    "PersistentVolumeClaim": ("PersistentVolumeClaim", "gone"), "ConfigMap": ("Status", "Success")})
        # The typed call decodes the object its return type names.
        self.core.create_namespaced_service_account(self.ns, client.V1ServiceAccount(metadata=client.V1ObjectMeta(name="typed")))
        expect("typed answer", self.core.delete_namespaced_service_account("typed", self.ns).metadata.name, "typed")

    @check
    def a_stale_replace_is_a_409_conflict(self):
        first = self.core.create_namespaced_config_map(self.ns, self.config_map("stale", a="1"))
        first.data["a"] = "2"
        self.core.replace_namespaced_config_map("stale", self.ns, first)
        expect("status", refused(self.core.replace_namespaced_config_map, "stale", self.ns, first),
               (409, "Conflict", 'Operation cannot be fulfilled on configmaps "stale": the object has been modified; '
                                 "please apply your changes to the latest version and try again"))

    @check
    def a_dry_run_create_answers_without_resource_version_and_stores_nothing(self):
        answer = self.core.create_namespaced_config_map(self.ns, self.config_map("dry"), dry_run="All")
        expect("name", answer.metadata.name, "dry")
        expect("resourceVersion", answer.metadata.resource_version, None)
        expect("stored", refused(self.core.read_namespaced_config_map, "dry", self.ns)[0], 404)

    @check
    def server_side_apply_conflicts_then_force_takes_ownership(self):
        with tempfile.NamedTemporaryFile(suffix=".json") as cache:
            dyn = dynamic.DynamicClient(self.api, cache_file=cache.name)
        config_maps = dyn.resources.get(api_version="v1", kind="ConfigMap")

        def apply(owner, manager, force=None):
            # 22.x's dynamic client sends a str body as is; a dict would be refused before sending.
            body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"}, "data": {"owner": owner}})
            return dyn.server_side_apply(config_maps, body=body, name="applied", namespace=self.ns,
                                         field_manager=manager, force_conflicts=force)

        expect("created", apply("first", "first").data.owner, "first")
        try:
            apply("second", "second")
            raise AssertionError("the conflicting apply succeeded")
        except dynamic.exceptions.ConflictError as e:
            expect("conflict", status_of(e), (409, "Conflict", 'Apply failed with 1 conflict: conflict with "first": .data.owner'))
        forced = apply("second", "second", force=True)
        expect("forced", (forced.data.owner, [m.manager for m in forced.metadata.managedFields]), ("second", ["second"]))

    @check
    def not_found_and_invalid_answer_the_apiservers_status(self):
        expect("404", refused(self.core.read_namespaced_config_map, "absent", self.ns),
               (404, "NotFound", 'configmaps "absent" not found'))
        expect("422", refused(self.core.create_namespaced_config_map, self.ns, self.config_map("Bad_Name")),
               (422, "Invalid", 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 '
                                "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                                "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                                "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"))

    @check
    def a_custom_resource_is_created_and_listed(self):
        extensions = client.ApiextensionsV1Api(self.api)
        group, plural = "pychecks.kubeemu.test", "gadgets"
        extensions.create_custom_resource_definition({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}"},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"plural": plural, "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
                         "type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}}]},
        })
        try:
            deadline = time.monotonic() + 5
            while not any(c.type == "Established" and c.status == "True"
                          for c in extensions.read_custom_resource_definition(f"{plural}.{group}").status.conditions or []):
                if time.monotonic() > deadline:
                    raise AssertionError("the definition was not Established within 5 s")
                time.sleep(0.1)
            custom = client.CustomObjectsApi(self.api)
            created = custom.create_namespaced_custom_object(group, "v1", self.ns, plural, {
                "apiVersion": f"{group}/v1", "kind": "Gadget", "metadata": {"name": "g1"}, "spec": {"size": 3, "colour": "red"}})
            expect("pruned", created["spec"], {"size": 3})
            listed = custom.list_namespaced_custom_object(group, "v1", self.ns, plural)
            expect("list", (listed["kind"], [i["metadata"]["name"] for i in listed["items"]]), ("GadgetList", ["g1"]))
        finally:
            extensions.delete_custom_resource_definition(f"{plural}.{group}")

    @check
    def a_service_account_token_without_a_binding_is_forbidden(self):
        self.core.create_namespaced_service_account(self.ns, client.V1ServiceAccount(metadata=client.V1ObjectMeta(name="reader")))
        token = self.core.create_namespaced_service_account_token("reader", self.ns, client.AuthenticationV1TokenRequest(
            spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=600))).status.token
        configuration = client.Configuration()
        configuration.host = self.api.configuration.host
        configuration.ssl_ca_cert = self.api.configuration.ssl_ca_cert
        configuration.api_key = {"authorization": "Bearer " + token}
        with client.ApiClient(configuration) as reader:
            expect("forbidden", refused(client.CoreV1Api(reader).list_namespaced_config_map, self.ns),
                   (403, "Forbidden", f'configmaps is forbidden: User "system:serviceaccount:{self.ns}:reader" cannot list '
                                      f'resource "configmaps" in API group "" in the namespace "{self.ns}"'))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--namespace", required=True, help="an existing namespace the checks may fill")
    args = parser.parse_args()
    api_client = config.new_client_from_config(config_file=args.kubeconfig)
    checks = Checks(api_client, args.namespace)
    failed = 0
    for fn in CHECKS:
        started = time.monotonic()
        try:
            fn(checks)
            print(f"ok   {fn.__name__} ({time.monotonic() - started:.2f} s)", flush=True)
        except Exception as e:  # one failing check must not hide the others
            failed += 1
            detail = str(e).strip().replace("\n", " | ")
            print(f"FAIL {fn.__name__}: {type(e).__name__}: {detail}", flush=True)
            traceback.print_exc(file=sys.stderr)
    print(f"python client: {len(CHECKS)} checks, {failed} failing", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
