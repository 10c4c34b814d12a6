#!/usr/bin/env python3
"""Checks that the workspace's `rust-version` is true of its dependencies: no crate in Cargo.lock
(dev-dependencies included) declares a newer one. Our own code is held to it by clippy's
`incompatible_msrv` lint, which reads the same field. Usage: scripts/check-msrv.py"""
import json
import subprocess
import sys


def version(text):
    return tuple(int(part) for part in text.split("."))


meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"]))
members = set(meta["workspace_members"])
ours = {p["rust_version"] for p in meta["packages"] if p["id"] in members}
if len(ours) != 1 or None in ours:
    sys.exit(f"every workspace crate must inherit one rust-version, found {sorted(map(str, ours))}")
(ours,) = ours
newer = sorted(
    (p["name"], p["version"], p["rust_version"])
    for p in meta["packages"]
    if p["id"] not in members and p.get("rust_version") and version(p["rust_version"]) > version(ours)
)
if newer:
    for name, v, needs in newer:
        print(f"{name} {v} needs Rust {needs}, newer than the workspace's rust-version {ours}")
    sys.exit(1)
print(f"rust-version {ours}: no dependency needs a newer Rust")
