#!/usr/bin/env python3
"""check-layers.py: the layer rules of docs/architecture.md over src/.

Every folder of src/libberth is a module; the CLI (src/*.c) is the top. A
file may include:
  - any header of its own module;
  - the door of a module in a lower layer, or of another module in its own
    layer: the header named after the module (cgroup/cgroup.h), which
    brings in the rest of the module's public surface; util is a toolbox of
    independent helpers, each of its headers (not *-internal.h) a door;
and the modules' include graph must have no cycle. Headers that are not
berth's (libocispec, config.h, generated ones, the C library) are not
checked.

With --objects DIR (the build's src/libberth, whose module folders hold
the objects libtool compiled) the same rules hold for the calls: nm(1)
resolves every symbol an object uses to the object that defines it; a call
into a higher layer fails, and so does any cycle of objects calling each
other (a file that calls back into its caller: move the shared piece down
into a file of its own).

Usage: check-layers.py [--doc FILE] [--objects DIR] SRCDIR
                                  check; exit 1 on a violation (with --doc:
                                  also when FILE's include graph is not the
                                  code's)
       check-layers.py --graph SRCDIR   print the module graph

The graph is the block of FILE between the lines GRAPH_BEGIN and GRAPH_END.
"""
import os
import re
import subprocess
import sys

# The layers, bottom first (docs/architecture.md says why).
LAYERS = [
    ["util"],
    ["spec", "state"],
    ["ns", "rootfs", "security", "terminal", "hooks", "cgroup"],
    ["process"],
    ["container", "criu"],
    ["cli"],
]
LAYER = {m: i for i, mods in enumerate(LAYERS) for m in mods}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(src):
    """{path: module} for every .c/.h of src/ and src/libberth/*/."""
    out = {}
    lib = os.path.join(src, "libberth")
    for f in sorted(os.listdir(src)):
        if f.endswith((".c", ".h")):
            out[os.path.join(src, f)] = "cli"
    for m in sorted(os.listdir(lib)):
        d = os.path.join(lib, m)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith((".c", ".h")):
                out[os.path.join(d, f)] = m
    stray = [f for f in os.listdir(lib) if f.endswith((".c", ".h"))]
    return out, stray


def resolve(path, name, src):
    """The berth file an include names, or None for a foreign header."""
    for base in (os.path.dirname(path), os.path.join(src, "libberth"), src):
        p = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(p):
            return p
    return None


GRAPH_BEGIN = "<!-- check-layers: graph begin -->"
GRAPH_END = "<!-- check-layers: graph end -->"


def graph_lines(edges, doors):
    """Top layer first: each module, what it includes, and its doors (the
    headers other modules include)."""
    out = []
    for layer in reversed(LAYERS):
        for m in layer:
            out.append("%-9s (layer %d) -> %s" % (m, LAYER[m], " ".join(sorted(edges.get(m, ()))) or "-"))
            if doors.get(m):
                out.append("%-9s   doors: %s" % ("", " ".join(sorted(doors[m]))))
    return out


def doc_graph(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if GRAPH_BEGIN not in text or GRAPH_END not in text:
        return None
    block = text.split(GRAPH_BEGIN, 1)[1].split(GRAPH_END, 1)[0]
    return [l for l in block.splitlines() if l.strip() and not l.startswith("```")]


def object_graph(objdir):
    """{object: set(objects it calls)} over the library's objects, keyed
    "module/stem", from nm's defined (T, D, B, R) and undefined symbols."""
    defined, used = {}, {}
    for mod in sorted(os.listdir(objdir) if os.path.isdir(objdir) else ()):
        d = os.path.join(objdir, mod)
        if not os.path.isdir(d) or mod.startswith("."):
            continue
        for f in sorted(os.listdir(d)):
            if not (f.startswith("libberth_la-") and f.endswith(".o")):
                continue
            key = "%s/%s" % (mod, f[len("libberth_la-"):-2])
            out = subprocess.run(["nm", os.path.join(d, f)], capture_output=True, text=True,
                                 check=True).stdout
            used[key] = set()
            for line in out.splitlines():
                p = line.split()
                if len(p) == 3 and p[1] in "TDBR":
                    defined[p[2]] = key
                elif len(p) == 2 and p[0] == "U":
                    used[key].add(p[1])
    calls = {}
    for key, syms in used.items():
        for sym in syms:
            if sym in defined and defined[sym] != key:
                calls.setdefault(key, {}).setdefault(defined[sym], []).append(sym)
    return used, calls


def cycles(edges):
    """The strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def check_objects(objdir, errors):
    used, calls = object_graph(objdir)
    if not used:
        errors.append("%s: no libberth_la-*.o objects (build first)" % objdir)
        return 0
    for key, targets in sorted(calls.items()):
        mod = key.split("/")[0]
        for target, syms in sorted(targets.items()):
            tmod = target.split("/")[0]
            if tmod != mod and LAYER.get(tmod, 99) > LAYER.get(mod, 99):
                errors.append("%s calls %s of %s: %s (layer %d) calls %s (layer %d)" %
                              (key, ", ".join(sorted(syms)[:3]), target, mod, LAYER[mod], tmod,
                               LAYER[tmod]))
    for comp in cycles({k: set(v) for k, v in calls.items()}):
        errors.append("objects calling each other in a cycle: %s" % " ".join(comp))
    return len(used)


def main(argv):
    graph = "--graph" in argv
    args = [a for a in argv if a != "--graph"]
    doc = objdir = None
    while len(args) >= 2 and args[0] in ("--doc", "--objects"):
        if args[0] == "--doc":
            doc = args[1]
        else:
            objdir = args[1]
        args = args[2:]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src = args[0].rstrip("/")
    mods, stray = modules(src)
    errors = ["%s: a library file outside every module folder" % f for f in stray]
    edges = {}
    doors = {}
    for path, mod in mods.items():
        if mod not in LAYER:
            errors.append("%s: module `%s` has no layer in check-layers.py" % (path, mod))
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for name in INCLUDE.findall(text):
            target = resolve(path, name, src)
            if target is None or target not in mods:
                continue
            tmod = mods[target]
            if tmod == mod:
                continue
            edges.setdefault(mod, set()).add(tmod)
            if mod != "cli" or tmod != "cli":
                doors.setdefault(tmod, set()).add(os.path.basename(target))
            where = "%s: #include \"%s\"" % (os.path.relpath(path, src), name)
            if target.endswith("-internal.h"):
                errors.append("%s: another module's internal header (%s)" % (where, tmod))
            elif tmod not in ("util", "cli") and os.path.basename(target) != tmod + ".h":
                errors.append("%s: not the door of %s (include \"%s/%s.h\")" %
                              (where, tmod, tmod, tmod))
            elif LAYER.get(tmod, 99) > LAYER[mod]:
                errors.append("%s: %s (layer %d) includes %s (layer %d)" %
                              (where, mod, LAYER[mod], tmod, LAYER[tmod]))
    # cycles between modules (peers of one layer may include each other's
    # public headers, but not both ways round)
    state = {}

    def visit(m, stack):
        state[m] = 1
        for t in sorted(edges.get(m, ())):
            if state.get(t) == 1:
                cyc = stack[stack.index(t):] + [t] if t in stack else [m, t]
                errors.append("include cycle between modules: %s" % " -> ".join(cyc))
            elif t not in state:
                visit(t, stack + [t])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    nobj = check_objects(objdir, errors) if objdir else 0
    lines = graph_lines(edges, doors)
    if graph:
        print("\n".join(lines))
    if doc:
        got = doc_graph(doc)
        if got is None:
            errors.append("%s: no graph block (%s ... %s)" % (doc, GRAPH_BEGIN, GRAPH_END))
        elif got != lines:
            errors.append("%s: the include graph differs from the code's; put in the output of "
                          "contrib/check-layers.py --graph src" % doc)
    for e in errors:
        print("check-layers: " + e, file=sys.stderr)
    if not errors and not graph:
        n = len(mods)
        print("check-layers: %d files in %d modules follow the layers%s" %
              (n, len(set(mods.values())),
               ", and so do the calls of %d objects" % nobj if nobj else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
