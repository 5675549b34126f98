#!/usr/bin/env python3
"""capture.py: turns a config.json an engine wrote into a fixture.

    capture.py ENGINE CONFIG.json OUT.json

The configs come from tests/engines (run with BERTH_TEST_KEEP=1: each
script keeps $TEST_TMP/configs/*.json, the config of every container the
engine created). What only makes sense on the machine that ran the engine is
replaced by placeholders that cases.py fills in per run:
  root.path                 "rootfs" (the base bundle's)
  bind sources that are     "@FILES@/NAME" (NAME: the base name; cases.py
  engine files (hosts,      creates a file or directory there)
  hostname, resolv.conf,
  .containerenv, shm)
  linux.cgroupsPath         "@CGROUPS_PATH@"
  namespace paths           dropped (a new namespace: the engine's netns
                            file is gone)
  hooks                     dropped (dockerd's libnetwork-setkey needs the
                            daemon)
  process.args              replaced by the probe
Everything else (seccomp profile, capabilities, rlimits, masked and
readonly paths, mount options, resources, annotations) is kept verbatim.
"""
import json
import os
import sys


def main():
    engine, src, out = sys.argv[1:4]
    with open(src) as f:
        c = json.load(f)
    c["root"]["path"] = "rootfs"
    files = {}
    for m in c.get("mounts", []):
        s = m.get("source", "")
        if s.startswith("/") and ("bind" in m.get("options", []) or "rbind" in m.get("options", [])
                                  or m.get("type") == "bind"):
            if s.startswith(("/proc", "/sys", "/dev")):
                continue
            name = os.path.basename(s.rstrip("/"))
            files[name] = "dir" if os.path.isdir(s) else "file"
            m["source"] = "@FILES@/" + name
    lx = c.setdefault("linux", {})
    if "cgroupsPath" in lx:
        lx["cgroupsPath"] = "@CGROUPS_PATH@"
    for n in lx.get("namespaces", []):
        n.pop("path", None)
    c.pop("hooks", None)
    c["process"]["args"] = ["@PROBE@"]
    c["process"]["terminal"] = False
    c["_fixture"] = {"engine": engine, "files": files,
                     "note": "captured by tests/differential/capture.py from tests/engines"}
    with open(out, "w") as f:
        json.dump(c, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
