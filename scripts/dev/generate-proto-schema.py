#!/usr/bin/env python3
"""Regenerates src/Actors/Api/Protobuf/proto-schema.txt: the protobuf field numbers of the
Kubernetes API types, so that the API server can read request bodies that clients send as
application/vnd.kubernetes.protobuf (kubectl create, kubectl run, typed client-go clients).

The numbers are wire facts published by the Kubernetes project; they come from two checkouts
at the release the emulator reports (v0.32.x):

    git clone --branch v0.32.9 https://github.com/kubernetes/api
    git clone --branch v0.32.9 https://github.com/kubernetes/apimachinery
    scripts/dev/generate-proto-schema.py --api api --apimachinery apimachinery

generated.proto gives each message's fields (number, label, type); the Go struct tags give
what the proto file does not say: the JSON name (a handful differ from the proto name),
whether the field is inlined into its parent's JSON, and whether a zero value is written to
JSON (pointer fields and fields without omitempty) or dropped (omitempty scalars).

Never run by the build or the tests: the output is committed.
"""
import argparse
import os
import re
import sys

# API packages served (or used inside served objects); extend together with ResourceCatalog.
API_PACKAGES = [
    "core/v1", "apps/v1", "batch/v1", "coordination/v1", "events/v1", "policy/v1",
    "autoscaling/v1", "authentication/v1", "authorization/v1", "rbac/v1", "networking/v1", "scheduling/v1",
    "storage/v1", "discovery/v1", "autoscaling/v2", "node/v1", "admissionregistration/v1",
]
MACHINERY_PACKAGES = [
    "pkg/apis/meta/v1", "pkg/runtime", "pkg/runtime/schema", "pkg/util/intstr", "pkg/api/resource",
]

MESSAGE = re.compile(r"^message (\w+) \{")
FIELD = re.compile(r"^\s+(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+);")
MAP_FIELD = re.compile(r"^\s+map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+);")
PACKAGE = re.compile(r"^package ([\w.]+);")
STRUCT = re.compile(r"^type (\w+) struct \{")
NAMED_SLICE = re.compile(r"^type (\w+) \[\]")
GO_FIELD = re.compile(r"^\s+([^`]+?)\s+`([^`]*)`")
SCALARS = {"string", "bool", "int32", "int64", "uint32", "uint64", "double", "float", "bytes", "sint32", "sint64"}


def parse_proto(path):
    package, messages, current = None, {}, None
    for line in open(path, encoding="utf-8"):
        if m := PACKAGE.match(line):
            package = m.group(1)
        elif m := MESSAGE.match(line):
            current = []
            messages[m.group(1)] = current
        elif line.startswith("}"):
            current = None
        elif current is not None and (m := MAP_FIELD.match(line)):
            current.append(("map", f"{m.group(1)},{m.group(2)}", m.group(3), int(m.group(4))))
        elif current is not None and (m := FIELD.match(line)):
            current.append((m.group(1), m.group(2), m.group(3), int(m.group(4))))
    return package, messages


def parse_go(directory):
    """struct name -> {field number: (json name | None when inline, keep zero)}; named slice types."""
    structs, slices = {}, set()
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".go") or name.endswith("_test.go") or name.startswith("zz_generated"):
            continue
        current = None
        for line in open(os.path.join(directory, name), encoding="utf-8"):
            if m := STRUCT.match(line):
                current = structs.setdefault(m.group(1), {})
            elif m := NAMED_SLICE.match(line):
                slices.add(m.group(1))
            elif line.startswith("}"):
                current = None
            elif current is not None and (m := GO_FIELD.match(line)):
                declaration, tags = m.group(1).split(), m.group(2)
                proto = re.search(r'protobuf:"[a-z0-9]+,(\d+)', tags)
                if not proto:
                    continue
                json_tag = re.search(r'json:"([^"]*)"', tags)
                json_parts = (json_tag.group(1) if json_tag else "").split(",")
                go_type = declaration[-1]
                inline = "inline" in json_parts[1:]
                keep_zero = go_type.startswith("*") or "omitempty" not in json_parts[1:]
                current[int(proto.group(1))] = (None if inline else json_parts[0], keep_zero)
    return structs, slices


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--apimachinery", required=True)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../src/Actors/Api/Protobuf/proto-schema.txt"))
    args = parser.parse_args()

    directories = [os.path.join(args.api, p) for p in API_PACKAGES] + \
                  [os.path.join(args.apimachinery, p) for p in MACHINERY_PACKAGES]
    all_structs, all_slices, parsed = {}, set(), []
    for directory in directories:
        structs, slices = parse_go(directory)
        parsed.append((directory, structs, slices))
        for name, fields in structs.items():
            all_structs.setdefault(name, fields)
        all_slices |= slices

    out = ["# Generated by scripts/dev/generate-proto-schema.py from k8s.io/api and k8s.io/apimachinery v0.32."]
    out.append("# m <message> [list]  |  f <number> <json name or - when inlined> <opt|rep|map> <type> <z when a zero value is kept>")
    missing = []
    for directory, structs, slices in parsed:
        package, messages = parse_proto(os.path.join(directory, "generated.proto"))
        for message, fields in messages.items():
            if message in slices:
                out.append(f"m {package}.{message} list")
            else:
                out.append(f"m {package}.{message}")
            go = structs.get(message) or all_structs.get(message) or {}
            for label, proto_type, proto_name, number in fields:
                json_name, keep_zero = go.get(number, (proto_name, True))
                if number not in go and message not in slices:
                    missing.append(f"{package}.{message}.{proto_name}")
                if proto_type not in SCALARS and label != "map":
                    proto_type = qualify(proto_type, package)
                if label == "map":
                    key, value = proto_type.split(",")
                    proto_type = f"{key},{value if value in SCALARS else qualify(value, package)}"
                label = {"optional": "opt", "required": "opt", "repeated": "rep"}.get(label, label)
                out.append(f"f {number} {json_name or '-'} {label} {proto_type}{' z' if keep_zero else ''}")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {args.out}: {sum(1 for l in out if l.startswith('m '))} messages, "
          f"{sum(1 for l in out if l.startswith('f '))} fields", file=sys.stderr)
    if missing:
        print(f"fields without a Go tag (JSON name taken from the proto): {', '.join(missing)}", file=sys.stderr)


def qualify(type_name, package):
    return type_name.lstrip(".") if type_name.startswith(".") else f"{package}.{type_name}"


if __name__ == "__main__":
    main()
