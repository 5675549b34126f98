#!/usr/bin/env python3
"""bench.py: berth against crun, runc and a floor program; writes docs/performance.md.

Run it through bench/run.sh (which puts it in a private mount namespace where
crun 1.8.1 accepts the hybrid cgroup layout). Every timing is taken with
hyperfine, every peak RSS with /usr/bin/time, syscall counts with strace -c,
the profile with perf. Runtimes are measured interleaved: each round runs
every runtime once, in a rotated order, so that the machine's drift hits all
of them alike; the figures are medians over rounds and the ratios are taken
between figures of the same run (absolute times are not comparable between
runs on this noisy machine).
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OPS = os.path.join(HERE, "ops.sh")


def sh(args, check=True, **kw):
    return subprocess.run(args, check=check, text=True, capture_output=True, **kw)


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, a):
        self.a = a
        self.quick = a.quick
        # On /run (tmpfs), where the runtimes keep their state by default
        # (/run/berth, /run/crun, /run/runc): state roots on a disk file
        # system would measure ext4 inode allocation instead of the runtimes.
        self.work = tempfile.mkdtemp(prefix="berth-bench.", dir="/run")
        # This VM's /run is ext4 mounted with `discard`: every unlink of a
        # non-empty state file waits for a synchronous discard (perf sched:
        # blkdev_issue_discard under unlinkat/close), which measures the disk,
        # not the runtime. Usual hosts have /run on tmpfs, so the state roots
        # go on a tmpfs mounted here (run.sh made this mount namespace
        # private: nothing leaks out); --disk-state keeps /run as it is.
        self.tmpfs = False
        if not a.disk_state:
            sh(["mount", "-t", "tmpfs", "-o", "mode=0700", "berth-bench", self.work])
            self.tmpfs = True
        self.run_fs = sh(["findmnt", "-n", "-o", "FSTYPE,OPTIONS", "-T", self.work],
                         check=False).stdout.strip()
        self.rts = {}  # name -> binary
        self.notes = {}  # name -> why it is not measured
        self.res = {}
        self.cgroups = []
        self.ops = OPS
        self.log = log
        self.sh = sh
        self.engines = None

    # ---- setup -------------------------------------------------------
    def setup(self):
        w = self.work
        self.floor = os.path.join(w, "floor")
        sh(["gcc", "-O2", "-o", self.floor, os.path.join(HERE, "floor.c")])
        env = dict(os.environ, BERTH=self.a.berth)
        sh([os.path.join(self.a.srcdir, "contrib/make-bundle.sh"), os.path.join(w, "b")], env=env)
        self.rootfs = os.path.join(w, "b", "rootfs")
        with open(os.path.join(w, "b", "config.json")) as f:
            self.config = json.load(f)
        # crun 1.8.1 refuses "1.3.0" ("unknown version specified"); nothing in
        # the default config needs a newer version, so all runtimes get 1.0.2.
        self.config["ociVersion"] = "1.0.2"
        self.config["root"]["path"] = self.rootfs
        self.bundle = self.mkbundle("true", ["/bin/true"])
        self.sleep_bundle = self.mkbundle("sleep", ["/bin/sleep", "1000"])
        for name, path in (("berth", self.a.berth), ("crun", shutil.which("crun")),
                           ("runc", shutil.which("runc"))):
            if not path:
                self.notes[name] = "not installed"
                continue
            root = os.path.join(w, "root-" + name)
            r = sh([path, "--root", root, "run", "--bundle", self.bundle, "probe"], check=False)
            sh([OPS, "clean", path, root])
            if r.returncode != 0:
                self.notes[name] = "`run` fails: " + (r.stderr.strip().splitlines() or ["?"])[-1]
                log(f"{name}: {self.notes[name]}")
                continue
            self.rts[name] = path

    def mkbundle(self, name, args, cgroup=None, limit=None):
        d = os.path.join(self.work, "bundle-" + name)
        os.makedirs(d, exist_ok=True)
        c = json.loads(json.dumps(self.config))
        c["process"]["args"] = args
        lin = c.setdefault("linux", {})
        if cgroup:
            lin["cgroupsPath"] = cgroup
        if limit is not None:
            lin.setdefault("resources", {})["memory"] = {"limit": limit}
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(c, f, indent="\t")
        return d

    def root(self, name):
        return os.path.join(self.work, "root-" + name)

    @staticmethod
    def rmdir_retry(d, tries, pause):
        rmdir_retry(d, tries, pause)

    def cleanup(self):
        if self.engines:
            self.engines.cleanup()
        for name, path in self.rts.items():
            sh([OPS, "clean", path, self.root(name)], check=False)
        for cg in self.cgroups:
            cg_remove(cg)
        if self.tmpfs:
            sh(["umount", "-l", self.work], check=False)
        shutil.rmtree(self.work, ignore_errors=True)

    # ---- hyperfine -----------------------------------------------------
    def hyperfine(self, cmds, runs, prepare=None, setup=None, cleanup=None):
        """cmds: list of (name, argv). Returns {name: [(wall, user, sys), ...]} or error."""
        out = os.path.join(self.work, "hf.json")
        args = ["hyperfine", "-N", "--style", "none", "--runs", str(runs), "--export-json", out]
        if runs == 1:
            args += ["--warmup", "0"]
        res = {}
        for name, argv in cmds:
            a = list(args)
            if prepare:
                a += ["--prepare", prepare(name)]
            if setup:
                a += ["--setup", setup(name)]
            if cleanup:
                a += ["--cleanup", cleanup(name)]
            a += ["-n", name, " ".join(argv)]
            r = sh(a, check=False)
            if r.returncode != 0:
                res[name] = "error: " + (r.stderr.strip().splitlines() or ["?"])[-1][:200]
                continue
            with open(out) as f:
                j = json.load(f)["results"][0]
            res[name] = list(zip(j["times"], j["user"] if isinstance(j["user"], list) else [j["user"]] * len(j["times"]),
                                 j["system"] if isinstance(j["system"], list) else [j["system"]] * len(j["times"])))
        return res

    def rounds(self, nrounds, make_cmds, runs, **kw):
        """Interleaved: each round measures every runtime, order rotated."""
        acc = {}
        for r in range(nrounds):
            cmds = make_cmds(r)
            k = r % len(cmds)
            cmds = cmds[k:] + cmds[:k]
            for name, v in self.hyperfine(cmds, runs, **kw).items():
                if isinstance(v, str):
                    acc[name] = v
                elif not isinstance(acc.get(name), str):
                    acc.setdefault(name, []).extend(v)
        return acc

    # ---- measurements ----------------------------------------------------
    def bench_run100(self):
        n = 20 if self.quick else 100
        rounds = 3 if self.quick else 5
        log(f"{rounds} rounds of {n} sequential runs")

        def cmds(r):
            c = [("floor", [OPS, "floorloop", str(n), self.floor, self.rootfs])]
            for name, p in self.rts.items():
                c.append((name, [OPS, "loop", str(n), p, self.root(name), self.bundle, f"r{r}-"]))
            return c
        self.res["run"] = {"n": n, "rounds": rounds, "data": self.rounds(rounds, cmds, 1)}

    def bench_ops(self):
        runs = 10 if self.quick else 20
        rounds = 2 if self.quick else 3
        ops = {}
        for op in ("create", "start", "state", "delete", "exec"):
            log(f"{op}: {rounds} rounds of {runs}")
            rts = dict(self.rts)
            if op == "exec":
                why = self.exec_probe()
                if why:
                    rts.pop("berth", None)
                    ops.setdefault("_notes", {})["exec"] = why
            cid = "op-" + op

            def cmds(r, rts=rts, op=op, cid=cid):
                c = []
                for name, p in rts.items():
                    root = self.root(name)
                    argv = {
                        "create": [p, "--root", root, "create", "--bundle", self.bundle, cid],
                        "start": [p, "--root", root, "start", cid],
                        "state": [p, "--root", root, "state", cid],
                        "delete": [p, "--root", root, "delete", cid],
                        "exec": [p, "--root", root, "exec", cid, "/bin/true"],
                    }[op]
                    c.append((name, argv))
                return c

            def q(*a):
                return " ".join([OPS] + [str(x) for x in a])
            kw = {}
            if op == "create":
                kw["prepare"] = lambda n: q("clean", self.rts[n], self.root(n), cid)
            elif op == "start":
                kw["prepare"] = lambda n: q("created", self.rts[n], self.root(n), self.bundle, cid)
            elif op == "delete":
                kw["prepare"] = lambda n: q("stopped", self.rts[n], self.root(n), self.bundle, cid)
            elif op == "state":
                kw["setup"] = lambda n: q("created", self.rts[n], self.root(n), self.bundle, cid)
            elif op == "exec":
                kw["setup"] = lambda n: q("running", self.rts[n], self.root(n), self.sleep_bundle, cid)
            kw["cleanup"] = lambda n: q("clean", self.rts[n], self.root(n), cid)
            ops[op] = self.rounds(rounds, cmds, runs, **kw)
            for name, p in self.rts.items():
                sh([OPS, "clean", p, self.root(name), cid], check=False)
        self.res["ops"] = ops

    def exec_probe(self):
        """None if `berth exec` works, else why not ("berth: not implemented")."""
        if "berth" not in self.rts:
            return "berth: not measured"
        p, root = self.rts["berth"], self.root("berth")
        try:
            if sh([OPS, "running", p, root, self.sleep_bundle, "xprobe"], check=False).returncode:
                return "berth: cannot start the sleep container"
            r = sh([p, "--root", root, "exec", "xprobe", "/bin/true"], check=False)
        finally:
            sh([OPS, "clean", p, root, "xprobe"], check=False)
        if r.returncode == 0:
            return None
        if "not implemented" in r.stderr:
            return "berth: not implemented"
        return "berth: " + (r.stderr.strip().splitlines() or ["fails"])[-1][:150]

    def bench_parallel(self):
        n = 20 if self.quick else 100
        rounds = 2  # each round also deletes 300 containers (untimed): keeps make bench < 10 min
        log(f"{rounds} rounds of {n} parallel creates")

        def cmds(r):
            return [(name, [OPS, "par", str(n), p, self.root(name), self.bundle, "p"])
                    for name, p in self.rts.items()]
        self.res["par"] = {"n": n, "data": self.rounds(
            rounds, cmds, 1, prepare=lambda name: f"{OPS} clean {self.rts[name]} {self.root(name)}")}
        for name, p in self.rts.items():
            sh([OPS, "clean", p, self.root(name)], check=False)

    def maxrss(self, argv):
        r = sh(["/usr/bin/time", "-f", "MAXRSS %M"] + argv, check=False)
        m = re.findall(r"MAXRSS (\d+)", r.stderr)
        return (int(m[-1]) if m else None), r.returncode

    def bench_rss(self):
        log("peak RSS")
        k = 3 if self.quick else 7
        out = {"busybox true (host)": statistics.median(
            self.maxrss([os.path.join(self.rootfs, "bin/true")])[0] for _ in range(k))}
        out["floor"] = statistics.median(self.maxrss([self.floor, self.rootfs])[0] for _ in range(k))
        for name, p in self.rts.items():
            root = self.root(name)
            vals = [self.maxrss([p, "--root", root, "run", "--bundle", self.bundle, f"rss{i}"])[0]
                    for i in range(k)]
            out[name + " run"] = statistics.median(v for v in vals if v)
            sh([OPS, "created", p, root, self.bundle, "rss"])
            for op in ("state", "start", "delete"):
                if op == "delete":
                    sh([OPS, "stopped", p, root, self.bundle, "rss"])
                v, _ = self.maxrss([p, "--root", root, op, "rss"])
                out[f"{name} {op}"] = v
                if op == "state":
                    pass
            sh([OPS, "clean", p, root], check=False)
        self.res["rss"] = out

    def cg_dirs(self, cg):
        """Where the memory controller keeps cgroup cg (v1 memory or v2)."""
        return ["/sys/fs/cgroup/memory" + cg, "/sys/fs/cgroup" + cg]

    def mem_cgroup(self, cg):
        for d in self.cg_dirs(cg):
            if os.path.exists(os.path.join(d, "memory.max_usage_in_bytes")) or \
               os.path.exists(os.path.join(d, "memory.peak")):
                return d
        return None

    def bench_cgroup_mem(self):
        log("memory of the container cgroup")
        out = {}
        for name, p in self.rts.items():
            cg = f"/berth-bench-{name}-{os.getpid()}"
            self.cgroups.append(cg)
            b = self.mkbundle("cg-" + name, ["/bin/true"], cgroup=cg)
            root = self.root(name)
            r = sh([OPS, "stopped", p, root, b, "cg"], check=False)
            d = self.mem_cgroup(cg)
            if r.returncode != 0:
                out[name] = "create/start failed"
            elif not d:
                out[name] = "no memory cgroup created (cgroup placement not wired)"
            else:
                f = "memory.peak" if os.path.exists(d + "/memory.peak") else "memory.max_usage_in_bytes"
                with open(os.path.join(d, f)) as fh:
                    out[name] = int(fh.read())
            sh([OPS, "clean", p, root], check=False)
            cg_remove(cg)
        self.res["cgmem"] = out

    def runs_under(self, name, p, limit, cg):
        """Does `run` of /bin/true succeed under memory limit `limit`? None if not applied."""
        b = self.mkbundle("lim-" + name, ["/bin/true"], cgroup=cg, limit=limit)
        root = self.root(name)
        try:
            r = sh(["timeout", "20", p, "--root", root, "run", "--bundle", b, "lim"], check=False)
            ok = r.returncode == 0
        finally:
            sh([OPS, "clean", p, root], check=False)
            cg_remove(cg)
        return ok

    def limit_applied(self, name, p, cg):
        b = self.mkbundle("lim-" + name, ["/bin/true"], cgroup=cg, limit=64 << 20)
        root = self.root(name)
        sh([OPS, "created", p, root, b, "lim"], check=False)
        d = self.mem_cgroup(cg)
        ok = False
        if d and os.path.exists(d + "/memory.limit_in_bytes"):
            ok = int(open(d + "/memory.limit_in_bytes").read()) == 64 << 20
        elif d and os.path.exists(d + "/memory.max"):
            ok = open(d + "/memory.max").read().strip() == str(64 << 20)
        sh([OPS, "clean", p, root], check=False)
        cg_remove(cg)
        return ok

    def bench_min_limit(self):
        log("smallest memory limit (binary search, 4 KiB steps)")
        out = {}
        for name, p in self.rts.items():
            cg = f"/berth-bench-lim-{name}-{os.getpid()}"
            self.cgroups.append(cg)
            if not self.limit_applied(name, p, cg):
                out[name] = "memory limit not applied (cgroup placement not wired)"
                continue
            lo, hi = 0, 32 << 20  # lo fails, hi works (in pages of 4 KiB)
            if not self.runs_under(name, p, hi, cg):
                out[name] = "fails even under 32 MiB"
                continue
            lo, hi = 0, hi // 4096
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if self.runs_under(name, p, mid * 4096, cg):
                    hi = mid
                else:
                    lo = mid
            out[name] = hi * 4096
        self.res["minlimit"] = out

    def bench_strace(self):
        log("syscall counts (strace -c -f)")
        out = {}
        targets = [("floor", [self.floor, self.rootfs])]
        targets += [(n, [p, "--root", self.root(n), "run", "--bundle", self.bundle, "st"])
                    for n, p in self.rts.items()]
        for name, argv in targets:
            f = os.path.join(self.work, "strace-" + name)
            sh(["strace", "-c", "-f", "-o", f] + argv, check=False)
            txt = open(f).read()
            tot = re.search(r"^\S+\s+\S+\s+\S+\s+(\d+)\s+(\d+)?\s*total$", txt, re.M)
            rows = re.findall(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d+)?\s*(\w+)$", txt, re.M)
            out[name] = {"total": int(tot.group(1)) if tot else None,
                         "top": sorted(((int(c), s) for c, _, s in rows if s != "total"),
                                       reverse=True)[:12]}
            if name in self.rts:
                sh([OPS, "clean", self.rts[name], self.root(name)], check=False)
        self.res["strace"] = out

    def bench_ld(self):
        log("dynamic loader statistics")
        out = {}
        for name, p in self.rts.items():
            r = sh(["env", "LD_DEBUG=statistics", p, "--version"], check=False)
            txt = r.stderr
            m = re.search(r"total startup time in dynamic loader:\s*([\d,]+) cycles", txt)
            rel = re.search(r"number of relocations:\s*(\d+)", txt)
            libs = sh(["sh", "-c", f"ldd {p} 2>&1 | grep -c '=>' || true"], check=False).stdout.strip()
            out[name] = {"cycles": m.group(1) if m else "static (no loader)",
                         "relocs": rel.group(1) if rel else "-", "libs": libs}
        self.res["ld"] = out

    def bench_perf(self):
        if "berth" not in self.rts or not shutil.which("perf"):
            return
        log("perf profile of berth run")
        data = os.path.join(self.work, "perf.data")
        n = 30 if self.quick else 100
        r = sh(["perf", "record", "-q", "-F", "5000", "-g", "-o", data, "--",
                OPS, "loop", str(n), self.rts["berth"], self.root("berth"), self.bundle, "pf"], check=False)
        if r.returncode != 0:
            self.res["perf"] = "perf record failed: " + r.stderr[-200:]
            return
        rep = sh(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "comm,dso",
                  "-g", "none", "--percent-limit", "1.5"], check=False).stdout
        sym = sh(["perf", "report", "-i", data, "--stdio", "--no-children", "--comm", "berth",
                  "--sort", "sym", "-g", "none", "--percent-limit", "1.2"], check=False).stdout
        # Kernel time by system call: inclusive ("children") samples of the
        # syscall entry points, which a flat symbol profile spreads thin.
        ch = sh(["perf", "report", "-i", data, "--stdio", "--children", "--comm", "berth",
                 "--sort", "sym", "-g", "none"], check=False).stdout
        sysc = [l for l in ch.splitlines() if re.search(r"\] (__x64_sys_|__do_sys_)\w+$", l)][:14]
        clean = lambda t: "\n".join(l for l in t.splitlines() if l.strip() and not l.startswith("#"))
        self.res["perf"] = {"dso": clean(rep), "sym": clean(sym), "sys": "\n".join(sysc), "n": n}

    def machine(self):
        def first(cmd):
            r = sh(["sh", "-c", cmd], check=False)
            return (r.stdout.strip().splitlines() or [""])[0]
        cpu = first("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-").strip()
        mem = first("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
        return {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "host": f"{cpu}, {os.cpu_count()} CPUs, {mem} RAM",
            "os": first(". /etc/os-release; echo $PRETTY_NAME") + ", kernel " + platform.release(),
            "state roots": self.run_fs + (" (tmpfs mounted by the benchmark)" if self.tmpfs else " (/run as is, --disk-state)"),
            "cgroups": "v2" if os.path.exists("/sys/fs/cgroup/cgroup.controllers") else "v1 (hybrid)",
            "berth": first(f"{self.a.berth} --version") + " " + first(f"git -C {self.a.srcdir} rev-parse --short HEAD"),
            "crun": first("crun --version"),
            "runc": first("runc --version"),
            "hyperfine": first("hyperfine --version"),
            "gcc": first("gcc --version"),
        }

    def main(self):
        try:
            self.setup()
            self.bench_run100()
            self.bench_ops()
            self.bench_parallel()
            if not self.a.no_engines:
                import engines
                self.engines = engines.Engines(self)
                self.engines.main()
            self.bench_rss()
            self.bench_cgroup_mem()
            self.bench_min_limit()
            self.bench_strace()
            self.bench_ld()
            if not self.a.no_profile:
                self.bench_perf()
            self.res["machine"] = self.machine()
            self.res["notes"] = self.notes
            self.res["quick"] = self.quick
            with open(self.a.json, "w") as f:
                json.dump(self.res, f, indent=1)
            import report
            report.write(self.res, self.a.out, self.a.extra)
            log(f"wrote {self.a.out}")
        finally:
            self.cleanup()


def cg_remove(cg):
    """Remove cgroup cg from every hierarchy (kill what is left in it first)."""
    for top in os.listdir("/sys/fs/cgroup"):
        base = os.path.join("/sys/fs/cgroup", top)
        for d in (base + cg, "/sys/fs/cgroup" + cg):
            if not os.path.isdir(d):
                continue
            if d.startswith("/sys/fs/cgroup/unified/") and not os.path.ismount("/sys/fs/cgroup/unified"):
                # With unified unmounted (run.sh), crun 1.8.1 mkdirs its "v2"
                # cgroup as a plain directory of the /sys/fs/cgroup tmpfs.
                shutil.rmtree(d, ignore_errors=True)
                continue
            try:
                for pid in open(os.path.join(d, "cgroup.procs")).read().split():
                    os.kill(int(pid), 9)
            except OSError:
                pass
            rmdir_retry(d, 50, 0.02)


def rmdir_retry(d, tries, pause):
    """rmdir d, again after `pause` s while it is busy (a cgroup whose last
    process is still on its way out), at most `tries` times."""
    for _ in range(tries):
        try:
            os.rmdir(d)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(pause)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("berth")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--no-engines", action="store_true", help="skip the engine-config rows (issue 22)")
    ap.add_argument("--disk-state", action="store_true", help="state roots on /run as it is, not on a tmpfs")
    ap.add_argument("--out", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--extra", default=None, help="markdown appended verbatim (hand-written analysis)")
    ap.add_argument("--srcdir", required=True)
    a = ap.parse_args()
    sys.path.insert(0, HERE)
    Bench(a).main()
