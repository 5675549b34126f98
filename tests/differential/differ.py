#!/usr/bin/env python3
"""differ.py: berth against runc on the same bundles (issue 17).

Every case of cases.py is run under both runtimes, one after the other, with
the same container id and bundle contents. The static probe
(tests/integration/helpers/checker) reports what the container sees; the
reports are normalised (namespace inodes, mount ids, pipe inodes, paths of
the bundle) and compared key by key. A case whose config fails compares the
outcome (started or not) instead; CLI cases compare exit statuses and the
shape of the output of each command on a container in each state.

Output is TAP, one test per case; a difference that cases.py marks as known
must be listed in docs/divergences.md under its id (checked here), and then
counts as an explained divergence, not a failure. The last line is
"differential: N cases, S same, E explained, U unexplained, K skipped".

Usage: differ.py --berth B --runc R --checker C --srcdir S --tmp DIR [-v] [NAME...]
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

TIMEOUT = 30


def run(argv, cwd=None, timeout=TIMEOUT):
    """Runs argv; stdout and stderr go through files, not pipes: a detached
    container keeps its stdio open long after `create` returns."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                               timeout=timeout)
            status = p.returncode
        except subprocess.TimeoutExpired:
            status = "timeout"
        out.seek(0)
        err.seek(0)
        return status, out.read().decode(errors="replace"), err.read().decode(errors="replace")


class Runtime:
    def __init__(self, name, binary, root):
        self.name, self.binary, self.root = name, binary, root

    def cmd(self, *args, cwd=None, timeout=TIMEOUT):
        return run([self.binary, "--root", self.root] + list(args), cwd=cwd, timeout=timeout)

    def cleanup(self, cid):
        self.cmd("delete", "--force", cid, timeout=10)


# ---------------------------------------------------------------- normalise

def host_ns():
    out = {}
    for n in os.listdir("/proc/self/ns"):
        try:
            out[n] = str(os.stat("/proc/self/ns/" + n).st_ino)
        except OSError:
            pass
    return out


HOST_NS = host_ns()


# Differences on every case, each deliberate and listed in
# docs/divergences.md under its id: berth's mount lines are rewritten to
# runc's form (or dropped, replacement None) before the comparison, so that
# the cases still see every other difference.
GLOBAL = [
    # "ro" on the v1 cgroup mount makes berth's tmpfs at /sys/fs/cgroup
    # read-only too; runc leaves that tmpfs writable.
    ("cgroup-v1-tmpfs-ro", re.compile(r"^(/ /sys/fs/cgroup )ro,"), r"\1rw,"),
    # On a hybrid host berth also mounts the cgroup2 hierarchy at
    # /sys/fs/cgroup/unified, as the host has it; runc 1.1 leaves it out.
    ("hybrid-unified-mount", re.compile(r"^\S+ /sys/fs/cgroup/unified .*cgroup2"), None),
]


def rewrite(lines, runc_lines):
    """berth's mount lines with the GLOBAL rules applied: only to lines runc
    does not have itself (a host /sys bound recursively brings the host's
    cgroup2 mount, in both)."""
    out = []
    theirs = set(runc_lines)
    for line in lines:
        for _, rx, repl in GLOBAL:
            if line in theirs:
                break
            if rx.search(line):
                line = None if repl is None else rx.sub(repl, line)
            if line is None:
                break
        if line is not None:
            out.append(line)
    return out


def norm_mount(line, bundle, cid):
    # mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPER
    left, _, right = line.partition(" - ")
    f = left.split()
    if len(f) < 6:
        return line
    root, point, opts, optional = f[3], f[4], f[5], f[6:]
    tags = sorted(re.sub(r":\d+$", "", o) for o in optional)
    r = right.split()
    fstype = r[0] if r else "?"
    source = r[1] if len(r) > 1 else "?"
    if fstype in ("cgroup", "cgroup2"):
        source = fstype  # free text for these filesystems ("systemd", "none", ...)
    sup = r[2] if len(r) > 2 else ""
    # tmpfs/devpts sizes and inode counts follow the host's memory; the
    # superblock's ro/rw follows how the mount was made (mount(2) with
    # MS_RDONLY or mount_setattr), while what a process can do is the
    # mount's own ro/rw, compared in opts.
    sup = ",".join(o for o in sup.split(",")
                   if not re.match(r"(size|nr_inodes|inode64)", o) and o not in ("ro", "rw"))
    s = " ".join([root, point, opts, ",".join(tags), fstype, source, sup])
    s = s.replace(bundle, "<bundle>").replace(cid, "<id>")
    return s


def ns_inodes(pid):
    out = {}
    for n in os.listdir("/proc/%d/ns" % pid):
        try:
            out[str(os.stat("/proc/%d/ns/%s" % (pid, n)).st_ino)] = "sandbox"
        except OSError:
            pass
    return out


def normalise(report, bundle, cid, joined=None):
    """checker's key=value lines -> {key: value or sorted list}; `joined`
    maps namespace inodes of a sandbox to "sandbox"."""
    out = {}
    mounts = []
    fds = []
    for line in report.splitlines():
        k, sep, v = line.partition("=")
        if not sep:
            continue
        if k == "mount":
            mounts.append(norm_mount(v, bundle, cid))
            continue
        if k.startswith("ns."):
            v = "host" if HOST_NS.get(k[3:]) == v else (joined or {}).get(v, "own")
        elif k in ("pid", "ppid"):
            pass
        elif k.startswith("fd."):
            v = re.sub(r"\[\d+\]", "[*]", v)
            fds.append((k, v))
            continue
        elif k == "cgroup":
            v = v.replace(cid, "<id>")
            out.setdefault("cgroup", []).append(v)
            continue
        out[k] = v.replace(bundle, "<bundle>").replace(cid, "<id>")
    if mounts:
        out["mounts"] = sorted(mounts)
    if fds:
        out["fds.targets"] = sorted(v for _, v in fds)
    if "cgroup" in out:
        out["cgroup"] = sorted(out["cgroup"])
    return out


def diff(a, b):
    """Keys whose values differ, as (key, runc, berth)."""
    d = []
    for k in sorted(set(a) | set(b)):
        va, vb = a.get(k), b.get(k)
        if va == vb:
            continue
        if isinstance(va, list) or isinstance(vb, list):
            va, vb = set(va or []), set(vb or [])
            d.append((k, sorted(va - vb), sorted(vb - va)))
        else:
            d.append((k, va, vb))
    return d


# ------------------------------------------------------------------- cases

class Ctx:
    def __init__(self, args):
        self.args = args
        self.tmp = args.tmp
        self.base = os.path.join(self.tmp, "base")
        self.runtimes = [Runtime("runc", args.runc, os.path.join(self.tmp, "root-runc")),
                         Runtime("berth", args.berth, os.path.join(self.tmp, "root-berth"))]

    def bundle(self, rt, case, cid, sandbox_pid=None, kind="", listener=None):
        b = os.path.join(self.tmp, "b-%s%s" % (rt.name, kind))
        if os.path.exists(b):
            shutil.rmtree(b)
        shutil.copytree(self.base, b, symlinks=True)
        with open(os.path.join(b, "config.json")) as f:
            c = json.load(f)
        c["process"]["args"] = ["/bin/checker"] + case.get("probe", ["all"])
        # Without it each runtime has its own default (runc: under its own
        # cgroup; berth: /berth/ID); the case "cgroupsPath unset" has that.
        c["linux"]["cgroupsPath"] = "/berth-differential/" + cid
        edit = case.get("sandbox" if kind else "edit")
        if kind:
            c["process"]["args"] = ["/bin/checker", "sleep", "300"]
        if edit:
            edit(c, b)
        text = json.dumps(c, indent=1)
        if sandbox_pid:
            text = text.replace("{sandbox}", str(sandbox_pid))
        if listener:
            text = text.replace("@LISTENER@", listener)
        with open(os.path.join(b, "config.json"), "w") as f:
            f.write(text)
        return b


def leftovers(rt, cid):
    """What a finished `run` left on the host: state, cgroups, mounts."""
    left = []
    if os.path.isdir(rt.root) and cid in os.listdir(rt.root):
        left.append("state " + cid)
    for d, dirs, _ in os.walk("/sys/fs/cgroup"):
        if os.path.basename(d) == cid:
            left.append("cgroup " + d)
            dirs[:] = []
    with open("/proc/self/mountinfo") as f:
        left += ["mount " + l.split()[4] for l in f if "/b-%s/" % rt.name in l.split()[4]]
    return left


def collect(case, b, cid):
    """Files the case's hooks wrote into the bundle, normalised: a hook's
    state JSON loses ociVersion (the runtimes' spec versions differ) and its
    pid; paths lose the bundle and the id."""
    out = {}
    for name in case.get("collect", []):
        try:
            with open(os.path.join(b, name)) as f:
                text = f.read()
        except OSError as e:
            out["collect." + name] = "missing (%s)" % e.strerror
            continue
        text = text.replace(b, "<bundle>").replace(cid, "<id>")
        try:
            j = json.loads(text)
            if isinstance(j, dict):
                j.pop("ociVersion", None)
                if "pid" in j:
                    j["pid"] = "<pid>" if j["pid"] else 0
                text = json.dumps(j, sort_keys=True)
        except ValueError:
            pass
        out["collect." + name] = text.strip()
    return out


def start_listener(ctx, rt):
    """The seccomp agent of tests/integration/helpers/seccomp-listener.c on
    a socket of this runtime's: answers mkdir/mkdirat with 0 without running
    them, lets every other notified syscall continue."""
    d = os.path.join(ctx.tmp, "agent-" + rt.name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    binary = os.path.join(ctx.tmp, "seccomp-listener")
    if not os.path.exists(binary):
        subprocess.run(["gcc", "-O2", "-o", binary, os.path.join(
            ARGS.srcdir, "tests/integration/helpers/seccomp-listener.c")], check=True)
    p = subprocess.Popen([binary, os.path.join(d, "l.sock"), d, "0"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(os.path.join(d, "ready")):
            break
        time.sleep(0.05)
    return p, os.path.join(d, "l.sock")


def start_sandbox(ctx, rt, case, cid):
    """A pod sandbox: run -d, then its pid (for /proc/PID/ns paths)."""
    sb = ctx.bundle(rt, case, cid, kind="-sandbox")
    status, _, err = rt.cmd("run", "-d", "--bundle", sb, cid + "-sb", cwd=sb)
    if status != 0:
        raise RuntimeError("%s: sandbox: %s" % (rt.name, err.strip()[-300:]))
    status, out, err = rt.cmd("state", cid + "-sb")
    return json.loads(out)["pid"]


def run_config_case(ctx, case, cid):
    results = {}
    for rt in ctx.runtimes:
        pid = start_sandbox(ctx, rt, case, cid) if "sandbox" in case else None
        joined = ns_inodes(pid) if pid else None
        agent, sock = start_listener(ctx, rt) if case.get("listener") else (None, None)
        b = ctx.bundle(rt, case, cid, sandbox_pid=pid, listener=sock)
        if case.get("tty"):
            # process.terminal: runc wants a controlling terminal to proxy;
            # script(1) gives both runtimes a pty (\r and runc's NUL go)
            status, out, err = run(["script", "-qec", shlex.join(
                [rt.binary, "--root", rt.root, "run", "--bundle", b, cid]), "/dev/null"], cwd=b)
            out = out.replace("\r", "").replace("\0", "").replace("^@", "")
        else:
            status, out, err = rt.cmd("run", "--bundle", b, cid, cwd=b,
                                      timeout=case.get("timeout", TIMEOUT))
        if agent:
            agent.kill()
            agent.wait()
        left = leftovers(rt, cid) if rt.name == "berth" else []
        rt.cleanup(cid)
        if pid:
            rt.cleanup(cid + "-sb")
        if left:  # berth's own standard, whatever runc does
            return False, [("left behind", "", " ".join(left))]
        results[rt.name] = (status, out, err, b, joined, collect(case, b, cid))
    (rs, ro, re_, rb, rj, rc), (bs, bo, be, bb, bj, bc) = results["runc"], results["berth"]
    if case.get("compare") != "outcome" and rs != 0 and bs != 0:
        # a case meant to compare reports that neither runtime runs is broken
        return False, [("outcome", "status %s: %s" % (rs, re_.strip()[-300:]),
                        "status %s: %s (both failed: a broken case?)" % (bs, be.strip()[-300:]))]
    if case.get("compare") == "outcome" or rs != 0 or bs != 0:
        same = (rs == 0) == (bs == 0)
        detail = [("outcome", "status %s: %s" % (rs, re_.strip()[-300:]),
                   "status %s: %s" % (bs, be.strip()[-300:]))]
        if same and rc != bc:
            return False, diff(rc, bc)
        return same, ([] if same else detail)
    nr, nb = normalise(ro, rb, cid, rj), normalise(bo, bb, cid, bj)
    nr.update(rc)
    nb.update(bc)
    if "mounts" in nb:
        nb["mounts"] = rewrite(nb["mounts"], nr.get("mounts", []))
    d = diff(nr, nb)
    for k in case.get("ignore", []):
        d = [x for x in d if x[0] != k]
    return not d, d


def cli_shape(status, out):
    """What a CLI comparison looks at: the status, and the output's shape."""
    o = out.strip()
    if not o:
        return (status, "")
    try:
        j = json.loads(o)
        if isinstance(j, dict):
            return (status, "json:" + ",".join(j))
        if isinstance(j, list):
            return (status, "json-list:" + ",".join(j[0]) if j and isinstance(j[0], dict)
                    else "json-list:%d" % len(j))
        return (status, "json:" + json.dumps(j))
    except ValueError:
        return (status, "lines:%d:%s" % (len(o.splitlines()), o.splitlines()[0].split()[0]))


def run_cli_case(ctx, case, cid):
    seen = {}
    for rt in ctx.runtimes:
        b = ctx.bundle(rt, case, cid)
        steps = []
        for step in case["steps"]:
            argv = [a.replace("{id}", cid) for a in step]
            if argv[0] in ("create", "run"):
                argv = [argv[0], "--bundle", b] + argv[1:]
            if argv[0] == "sleep":
                subprocess.run(["sleep", argv[1]])
                continue
            status, out, err = rt.cmd(*argv, cwd=b)
            steps.append((" ".join(step), cli_shape(status, out), err.strip()[-200:]))
        rt.cleanup(cid)
        seen[rt.name] = steps
    d = []
    for (what, ra, rerr), (_, ba, berr) in zip(seen["runc"], seen["berth"]):
        if ra != ba:
            d.append((what, "%s %s" % (ra, rerr), "%s %s" % (ba, berr)))
    return not d, d


def documented(ids):
    path = os.path.join(ARGS.srcdir, "docs", "divergences.md")
    try:
        text = open(path).read()
    except OSError:
        return False
    return all(("`%s`" % i) in text for i in ids)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--berth", required=True)
    ap.add_argument("--runc", required=True)
    ap.add_argument("--checker", required=True)
    ap.add_argument("--srcdir", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("-v", action="store_true")
    ap.add_argument("names", nargs="*")
    ARGS = ap.parse_args()
    ctx = Ctx(ARGS)
    os.makedirs(ctx.tmp, exist_ok=True)
    os.environ["DIFF_VOL"] = os.path.join(ctx.tmp, "vol")
    os.environ["DIFF_RUNC"] = ARGS.runc
    os.makedirs(os.environ["DIFF_VOL"], exist_ok=True)
    global cases
    import cases
    # The base bundle: what `runc spec` writes, with the probe, no terminal.
    if os.path.exists(ctx.base):
        shutil.rmtree(ctx.base)
    subprocess.run([os.path.join(ARGS.srcdir, "contrib", "make-bundle.sh"), ctx.base,
                    "--checker", ARGS.checker, "--builtin-config"], check=True,
                   stdout=subprocess.DEVNULL)
    os.remove(os.path.join(ctx.base, "config.json"))
    subprocess.run([ARGS.runc, "spec"], cwd=ctx.base, check=True)
    with open(os.path.join(ctx.base, "config.json")) as f:
        c = json.load(f)
    c["process"]["terminal"] = False
    c["root"]["readonly"] = False
    with open(os.path.join(ctx.base, "config.json"), "w") as f:
        json.dump(c, f, indent=1)

    if not documented([g[0] for g in GLOBAL]):
        print("Bail out! a global rewrite of differ.py is not in docs/divergences.md")
        return 1
    selected = [c for c in cases.CASES if not ARGS.names or c["name"] in ARGS.names]
    counts = {"same": 0, "explained": 0, "unexplained": 0, "skipped": 0, "todo": 0}
    print("1..%d" % len(selected))
    for n, case in enumerate(selected, 1):
        name = case["name"]
        why = case.get("skip") and case["skip"]()
        if why:
            counts["skipped"] += 1
            print("ok %d - %s # SKIP %s" % (n, name, why))
            continue
        cid = "diff-%d-%d" % (os.getpid(), n)
        try:
            if "steps" in case:
                same, d = run_cli_case(ctx, case, cid)
            else:
                same, d = run_config_case(ctx, case, cid)
        except Exception as e:  # a broken case is a failure, not a crash
            same, d = False, [("exception", repr(e), "")]
        known = case.get("divergence")
        todo = case.get("todo")
        if todo and not same:  # TAP TODO: known, not fixed yet, not a failure
            counts["todo"] += 1
            print("not ok %d - %s # TODO %s" % (n, name, todo))
            for k, a, b in d[:15]:
                print("#   %s:\n#     runc:  %s\n#     berth: %s" % (k, a, b))
        elif same and not known:
            counts["same"] += 1
            print("ok %d - %s" % (n, name))
        elif not same and known and documented([known]):
            counts["explained"] += 1
            print("ok %d - %s (divergence `%s`, docs/divergences.md)" % (n, name, known))
            if ARGS.v:
                for k, a, b in d:
                    print("#   %s: runc %s / berth %s" % (k, a, b))
        else:
            counts["unexplained"] += 1
            if same:
                print("not ok %d - %s: listed as divergence `%s` but now the same" % (n, name, known))
            else:
                print("not ok %d - %s%s" % (n, name, " (`%s` not in docs/divergences.md)" % known
                                             if known else ""))
            for k, a, b in d[:15]:
                print("#   %s:\n#     runc:  %s\n#     berth: %s" % (k, a, b))
        sys.stdout.flush()
    print("# differential: %d cases, %d same, %d explained, %d unexplained, %d todo, "
          "%d skipped" % (len(selected), counts["same"], counts["explained"], counts["unexplained"],
                          counts["todo"], counts["skipped"]))
    return 1 if counts["unexplained"] else 0


if __name__ == "__main__":
    sys.exit(main())
