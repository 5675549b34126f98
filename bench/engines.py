"""engines.py: the rows of bench.py that measure what engines send (issue 22).

The configs in bench/configs/ were captured from podman 4.3 and dockerd 20.10
driving berth on this machine (k8s.json is shaped from docker's as containerd's
CRI plugin writes a pod container: the sandbox's network, ipc and uts
namespaces joined by path); bench/configs/README.md says what was changed.
Every runtime gets the same bundle, rows are interleaved like bench.py's.
"""
import glob
import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = ("podman", "docker", "k8s")


class Engines:
    def __init__(self, b):
        self.b = b  # the Bench: rts, work, rootfs, rounds, root(), ops, log, sh, rmdir_retry
        self.files = os.path.join(b.work, "engine-files")
        self.sandboxes = {}  # runtime -> pid of its k8s sandbox container
        self.podman = None
        self.made, self.made_cg = [], []

    # ---- bundles ---------------------------------------------------------
    def setup(self):
        os.makedirs(os.path.join(self.files, "shm"), exist_ok=True)
        for f, text in (("hostname", "bench\n"), ("hosts", "127.0.0.1 localhost\n"),
                        ("resolv.conf", ""), (".containerenv", ""), ("termination-log", "")):
            with open(os.path.join(self.files, f), "w") as fh:
                fh.write(text)
        # A pod sandbox per runtime, made by that runtime, whose namespaces
        # the k8s container joins (containerd's pause container).
        for name, p in self.b.rts.items():
            root = self.b.root(name)
            # no pipes: the detached container would hold them open
            r = subprocess.run([p, "--root", root, "run", "-d", "--bundle", self.b.sleep_bundle, "sandbox"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, check=False)
            st = self.b.sh([p, "--root", root, "state", "sandbox"], check=False)
            if r.returncode == 0 and st.returncode == 0:
                self.sandboxes[name] = json.loads(st.stdout)["pid"]

    def bundle(self, cfg, rt, args):
        """The bundle of config cfg for runtime rt (k8s: joins rt's sandbox)."""
        d = os.path.join(self.b.work, f"eb-{cfg}-{rt}-{args[0].split('/')[-1]}")
        with open(os.path.join(HERE, "configs", cfg + ".json")) as f:
            t = f.read()
        t = t.replace("@ROOTFS@", self.b.rootfs).replace("@FILES@", self.files)
        t = t.replace("@SANDBOX@", f"/proc/{self.sandboxes.get(rt, 0)}/ns")
        c = json.loads(t)
        c["process"]["args"] = args
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(c, f)
        return d

    def cleanup(self):
        for name, p in self.b.rts.items():
            self.b.sh([p, "--root", self.b.root(name), "delete", "--force", "sandbox"], check=False)
        if self.podman:
            self.podman_cleanup()

    # ---- rows --------------------------------------------------------------
    def run_rows(self):
        n = 10 if self.b.quick else 30
        rounds = 2 if self.b.quick else 3
        out = {"n": n}
        for cfg in CONFIGS:
            self.b.log(f"engine config {cfg}: {rounds} rounds of {n} sequential runs")
            rts = {k: v for k, v in self.b.rts.items() if cfg != "k8s" or k in self.sandboxes}
            bundles = {name: self.bundle(cfg, name, ["/bin/true"]) for name in rts}

            def cmds(r, rts=rts, bundles=bundles, cfg=cfg):
                return [(name, [self.b.ops, "loop", str(n), p, self.b.root(name), bundles[name], f"{cfg}{r}-"])
                        for name, p in rts.items()]
            out[cfg] = self.b.rounds(rounds, cmds, 1)
        self.b.res["eng_run"] = out

    def op_rows(self):
        """exec and create+start with podman's config."""
        runs = 10 if self.b.quick else 20
        rounds = 2 if self.b.quick else 3
        out = {}
        sleepers = {n: self.bundle("podman", n, ["/bin/sleep", "100000"]) for n in self.b.rts}
        trues = {n: self.bundle("podman", n, ["/bin/true"]) for n in self.b.rts}
        q = lambda *a: " ".join([self.b.ops] + [str(x) for x in a])
        self.b.log(f"podman config: exec, {rounds} rounds of {runs}")
        out["exec"] = self.b.rounds(
            rounds, lambda r: [(n, [p, "--root", self.b.root(n), "exec", "eng-x", "/bin/true"])
                               for n, p in self.b.rts.items()], runs,
            setup=lambda n: q("running", self.b.rts[n], self.b.root(n), sleepers[n], "eng-x"),
            cleanup=lambda n: q("clean", self.b.rts[n], self.b.root(n), "eng-x"))
        self.b.log(f"podman config: create+start, {rounds} rounds of {runs}")
        out["create+start"] = self.b.rounds(
            rounds, lambda r: [(n, [self.b.ops, "cs", p, self.b.root(n), trues[n], "eng-cs"])
                               for n, p in self.b.rts.items()], runs,
            prepare=lambda n: q("clean", self.b.rts[n], self.b.root(n), "eng-cs"),
            cleanup=lambda n: q("clean", self.b.rts[n], self.b.root(n), "eng-cs"))
        self.b.res["eng_ops"] = out

    def list_rows(self):
        """list and state with 1, 100 and 1000 containers (created, default config)."""
        sizes = (1, 20, 100) if self.b.quick else (1, 100, 1000)
        runs = 10 if self.b.quick else 20
        out = {}
        have = 0
        for size in sizes:
            self.b.log(f"list/state with {size} containers")
            for name, p in self.b.rts.items():
                r = self.b.sh([self.b.ops, "many", str(size - have), p, self.b.root(name), self.b.sleep_bundle,
                        f"m{size}-"], check=False)
                if r.returncode:
                    out.setdefault("_errors", {})[name] = r.stderr.strip()[-200:]
            have = size
            out[f"list {size}"] = self.b.rounds(
                2, lambda r: [(n, [p, "--root", self.b.root(n), "list"]) for n, p in self.b.rts.items()], runs)
            out[f"state {size}"] = self.b.rounds(
                2, lambda r: [(n, [p, "--root", self.b.root(n), "state", "m1-0"])
                              for n, p in self.b.rts.items()], runs)
        out["sizes"] = list(sizes)
        # every container of the roots, the k8s sandboxes too: run last
        for name, p in self.b.rts.items():
            self.b.sh([self.b.ops, "clean", p, self.b.root(name)], check=False)
        self.sandboxes = {}
        self.b.res["eng_list"] = out

    def lifecycle_rows(self):
        n, par = (20, 5) if self.b.quick else (100, 10)
        self.b.log(f"{n} lifecycles {par} at a time (podman config)")
        bundles = {name: self.bundle("podman", name, ["/bin/true"]) for name in self.b.rts}
        self.b.res["eng_life"] = {"n": n, "par": par, "data": self.b.rounds(
            2, lambda r: [(name, [self.b.ops, "lifecycles", str(n), str(par), p, self.b.root(name),
                                  bundles[name], f"lc{r}-"]) for name, p in self.b.rts.items()], 1)}

    def main(self):
        self.setup()
        self.run_rows()
        self.op_rows()
        self.lifecycle_rows()
        self.list_rows()
        self.podman_rows()

    # ---- podman ------------------------------------------------------------
    def podman_setup(self):
        if not shutil.which("podman") or not shutil.which("conmon"):
            return "podman or conmon not installed"
        d = os.path.join(self.b.work, "podman")
        # podman passes no --root: berth keeps its compiled seccomp programs
        # in /run/berth/seccomp~cache; one this run made goes with it.
        self.made = [p for p in ("/run/berth", "/run/berth/seccomp~cache") if not os.path.exists(p)]
        # with cgroupfs podman puts conmon in <controller>/libpod_parent/conmon
        self.made_cg = [c + "libpod_parent" for c in glob.glob("/sys/fs/cgroup/*/")
                        if not os.path.exists(c + "libpod_parent")]
        for sub in ("root", "run", "tmp"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        # No static_dir: podman's exit command (`podman container cleanup`,
        # run by conmon without CONTAINERS_CONF) must find the same database
        # (graphroot/libpod), or every attached run waits 20 s for an exit
        # code that is never stored.
        with open(os.path.join(d, "containers.conf"), "w") as f:
            f.write('[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n'
                    'netns = "none"\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
                    f'events_logfile_path = "{d}/events.log"\ntmp_dir = "{d}/tmp"\n')
        with open(os.path.join(d, "storage.conf"), "w") as f:
            f.write(f'[storage]\ndriver = "overlay"\nrunroot = "{d}/run"\ngraphroot = "{d}/root"\n')
        with open(os.path.join(d, "registries.conf"), "w") as f:
            f.write("unqualified-search-registries = []\n")
        self.penv = dict(os.environ, CONTAINERS_CONF=f"{d}/containers.conf",
                         CONTAINERS_STORAGE_CONF=f"{d}/storage.conf",
                         CONTAINERS_REGISTRIES_CONF=f"{d}/registries.conf")
        self.podman = d
        tar = os.path.join(d, "rootfs.tar")
        self.b.sh(["tar", "-C", self.b.rootfs, "-cf", tar, "."])
        r = self.b.sh(["podman", "import", "-q", tar, "localhost/berth-bench"], check=False, env=self.penv)
        if r.returncode:
            return "podman import failed: " + r.stderr.strip()[-200:]
        return None

    def pm(self, rt, *args):
        # -C: conmon drops an "oom" file in its working directory, inherited
        return ["env", "-C", self.podman, f"CONTAINERS_CONF={self.penv['CONTAINERS_CONF']}",
                f"CONTAINERS_STORAGE_CONF={self.penv['CONTAINERS_STORAGE_CONF']}",
                f"CONTAINERS_REGISTRIES_CONF={self.penv['CONTAINERS_REGISTRIES_CONF']}",
                "podman", "--runtime", rt, "--cgroup-manager", "cgroupfs", "--events-backend", "file"] + list(args)

    def podman_rows(self):
        why = self.podman_setup()
        if why:
            self.b.res["eng_podman"] = {"_note": why}
            return
        runs = 5 if self.b.quick else 10
        rounds = 2 if self.b.quick else 3
        out = {}
        self.b.log(f"podman run --rm: {rounds} rounds of {runs}")
        out["run"] = self.b.rounds(rounds, lambda r: [
            (n, self.pm(p, "run", "--rm", "--network", "none", "localhost/berth-bench", "/bin/true"))
            for n, p in self.b.rts.items()], runs)
        for n, p in self.b.rts.items():
            subprocess.run(self.pm(p, "run", "-d", "--name", "bench-x-" + n, "--network", "none",
                                   "localhost/berth-bench", "/bin/sleep", "100000"),
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        self.b.log(f"podman exec: {rounds} rounds of {runs}")
        out["exec"] = self.b.rounds(rounds, lambda r: [
            (n, self.pm(p, "exec", "bench-x-" + n, "/bin/true")) for n, p in self.b.rts.items()], runs)
        self.b.res["eng_podman"] = out
        self.podman_cleanup()

    def podman_cleanup(self):
        first = next(iter(self.b.rts.values()), "runc")
        self.b.sh(self.pm(first, "rm", "-af", "-t", "0"), check=False)
        self.b.sh(self.pm(first, "rmi", "-af"), check=False)
        # storage mounts under the bench's tmpfs go with its mount namespace
        for p in reversed(self.made):
            shutil.rmtree(p, ignore_errors=True)
        # conmon may still be on its way out after `rm -af`: a busy cgroup
        # is tried again for up to 2 s
        for cg in self.made_cg:
            for d in (cg + "/conmon", cg):
                self.b.rmdir_retry(d, 20, 0.1)
        self.podman = None
