"""cases.py: the bundles and command sequences differ.py runs under runc
and berth. The base is `runc spec` (terminal off, root writable) with
process.args = ["/bin/checker", *probe]; each case edits it.

A case is a dict:
  name        unique, the TAP description
  edit(c, b)  changes config c (a dict) and may add files to bundle dir b
  probe       checker commands (default ["all"])
  compare     "outcome": compare only whether it started (configs that
              fail, or whose output depends on the runtime's own pid)
  ignore      keys of the probe's report not to compare
  steps       a CLI case: commands, "{id}" replaced; create/run get --bundle
  divergence  the id of a known, deliberate difference: docs/divergences.md
              must list it as `id`
  todo        a known difference not fixed yet (TAP TODO: reported, not
              failing); the text says where it is tracked
  skip()      returns a reason to skip, or None
  sandbox     an edit for a pod sandbox run first (`run -d`); "{sandbox}" in
              the case's config becomes its pid
  listener    run the seccomp agent of tests/integration/helpers
              (seccomp-listener.c); "@LISTENER@" becomes its socket
  tty         run under script(1), for process.terminal
  collect     files (relative to the bundle) the hooks wrote, compared
  timeout     seconds for `run` (default 30)

What the spec lists and this file does not cover, and why, is in
tests/differential/README.md.
"""
import json
import os
import platform


def v1_only():
    return None if os.path.isfile("/sys/fs/cgroup/memory/memory.limit_in_bytes") else \
        "reads cgroup v1 files (the host is not v1/hybrid)"


def rootless_spec(c, b):
    """What `runc spec --rootless` writes (user namespace, no network
    namespace, a mapping of the caller's ids), with the probe."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([os.environ.get("DIFF_RUNC", "runc"), "spec", "--rootless"], cwd=d,
                       check=True)
        with open(os.path.join(d, "config.json")) as f:
            spec = json.load(f)
    spec["process"]["terminal"] = False
    spec["process"]["args"] = c["process"]["args"]
    spec["root"]["readonly"] = False
    spec["linux"]["cgroupsPath"] = c["linux"]["cgroupsPath"]
    c.clear()
    c.update(spec)


def x86_64_only():
    return None if platform.machine() == "x86_64" else "profiles here name x86_64 syscalls"


def proc(**kw):
    def edit(c, b):
        c["process"].update(kw)
    return edit


def chain(*edits):
    def edit(c, b):
        for e in edits:
            e(c, b)
    return edit


def linux(**kw):
    def edit(c, b):
        c["linux"].update(kw)
    return edit


def mount_opt(dest, *opts):
    def edit(c, b):
        for m in c["mounts"]:
            if m["destination"] == dest:
                m["options"] = list(m.get("options", [])) + list(opts)
    return edit


def add_mount(**m):
    def edit(c, b):
        c["mounts"].append(dict(m))
    return edit


def mkdir(path, mode=0o755, owner=None):
    def edit(c, b):
        p = os.path.join(b, "rootfs", path.lstrip("/"))
        os.makedirs(p, exist_ok=True)
        os.chmod(p, mode)
        if owner is not None:
            os.chown(p, owner, owner)
    return edit


def hostfile(name, text):
    def edit(c, b):
        with open(os.path.join(b, name), "w") as f:
            f.write(text)
    return edit


def namespaces(*drop, add=()):
    def edit(c, b):
        ns = [n for n in c["linux"]["namespaces"] if n["type"] not in drop]
        ns += [{"type": t} for t in add]
        c["linux"]["namespaces"] = ns
    return edit


def userns(c, b):
    c["linux"]["namespaces"].append({"type": "user"})
    c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    os.chown(b, 100000, 100000)
    for d, dirs, files in os.walk(os.path.join(b, "rootfs")):
        os.lchown(d, 100000, 100000)
        for f in files + dirs:
            os.lchown(os.path.join(d, f), 100000, 100000)


# The checker's needs and nothing of a runtime's own (x86_64).
MINIMAL = ["read", "write", "exit", "exit_group", "execve", "brk", "arch_prctl",
           "set_tid_address", "set_robust_list", "rseq", "prlimit64", "mmap", "munmap",
           "mprotect", "openat", "close", "fstat", "newfstatat", "readlink", "uname",
           "getrandom", "ioctl", "lseek", "futex"]
# What runc 1.1 itself still calls after loading the filter.
RUNC_NEEDS = ["fstatfs", "getdents64", "fcntl", "capget", "capset", "prctl", "setgroups",
              "setresuid", "setresgid", "getuid", "getgid", "getpid", "getppid", "getcwd", "chdir",
              "fchdir", "umask", "sched_getaffinity", "rt_sigaction", "rt_sigprocmask",
              "rt_sigreturn", "sigaltstack", "gettid", "tgkill", "clone", "madvise", "nanosleep",
              "epoll_create1", "epoll_ctl", "epoll_pwait", "pipe2", "write", "mincore",
              "sendto", "recvfrom", "sendmsg", "recvmsg", "close_range", "dup3", "setns",
              "faccessat", "access", "pread64", "statfs"]


def seccomp(default="SCMP_ACT_ERRNO", names=MINIMAL, extra=(), **kw):
    def edit(c, b):
        p = {"defaultAction": default, "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": list(names), "action": "SCMP_ACT_ALLOW"}] + list(extra)}
        p.update(kw)
        c["linux"]["seccomp"] = p
    return edit


# containers-common's profile (Debian's golang-github-containers-common):
# what podman and CRI-O send, in Docker's archMap/includes form. Turned into
# the OCI profile an engine writes for the default capabilities, as
# podman's seccomp package does.
ENGINE_PROFILE = "/usr/share/containers/seccomp.json"
DEFAULT_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
                "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
                "CAP_SETUID", "CAP_SYS_CHROOT"]


def engine_profile_missing():
    if platform.machine() != "x86_64":
        return "the engine profile is turned into an x86_64 one here"
    if not os.path.exists(ENGINE_PROFILE):
        return "%s missing (apt-get install golang-github-containers-common)" % ENGINE_PROFILE
    return None


def engine_profile(caps=DEFAULT_CAPS):
    with open(ENGINE_PROFILE) as f:
        src = json.load(f)
    native = "SCMP_ARCH_X86_64"
    archs = []
    for m in src.get("archMap", []):
        if m["architecture"] == native:
            archs = [native] + m.get("subArchitectures", [])
    out = {"defaultAction": src["defaultAction"], "architectures": archs, "syscalls": []}
    if "defaultErrnoRet" in src:
        out["defaultErrnoRet"] = src["defaultErrnoRet"]
    for sc in src["syscalls"]:
        inc, exc = sc.get("includes", {}), sc.get("excludes", {})
        if inc.get("arches") and "amd64" not in inc["arches"] and "x86_64" not in inc["arches"]:
            continue
        if any(c not in caps for c in inc.get("caps", [])):
            continue
        if any(c in caps for c in exc.get("caps", [])):
            continue
        if "amd64" in exc.get("arches", []):
            continue
        rule = {k: v for k, v in sc.items() if k in ("names", "action", "args", "errnoRet")}
        if "name" in sc and "names" not in rule:
            rule["names"] = [sc["name"]]
        out["syscalls"].append(rule)
    return out


def engine_like(c, b):
    """The shape podman and containerd give an ordinary container."""
    c["process"]["capabilities"] = {k: list(DEFAULT_CAPS) for k in
                                    ("bounding", "effective", "permitted")}
    c["process"]["noNewPrivileges"] = False
    c["process"]["oomScoreAdj"] = 0
    c["linux"]["seccomp"] = engine_profile()
    c["linux"]["maskedPaths"] = [
        "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap"]
    c["linux"]["readonlyPaths"] = ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq",
                                   "/proc/sys", "/proc/sysrq-trigger"]
    for m in c["mounts"]:
        if m["destination"] == "/dev/shm":
            m["options"] = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name):
    """The config an engine really wrote (fixtures/NAME.json, made by
    capture.py from tests/engines), with its placeholders filled in: the
    probe, files for its bind sources, the cgroupsPath of this run."""
    def edit(c, b):
        with open(os.path.join(FIXTURES, name + ".json")) as f:
            fx = json.load(f)
        meta = fx.pop("_fixture")
        files = os.path.join(b, "engine-files")
        os.makedirs(files, exist_ok=True)
        for fname, kind in meta["files"].items():
            p = os.path.join(files, fname)
            if kind == "dir":
                os.makedirs(p, exist_ok=True)
            else:
                with open(p, "w") as f:
                    f.write("127.0.0.1 localhost\n" if fname == "hosts" else "diff\n")
        text = json.dumps(fx).replace("@FILES@", files)
        text = text.replace("@CGROUPS_PATH@", c["linux"]["cgroupsPath"])
        fx = json.loads(text)
        fx["process"]["args"] = c["process"]["args"]
        c.clear()
        c.update(fx)
    return edit


USER1000 = proc(user={"uid": 1000, "gid": 1000})
# A host directory for volumes (differ.py makes it; not /tmp, which holds
# the bundles themselves).
VOL = os.environ.get("DIFF_VOL", "/nonexistent")

CASES = [
    # ---- process ------------------------------------------------------------
    {"name": "runc spec defaults"},
    {"name": "user 1000:1000 with additionalGids", "edit": proc(
        user={"uid": 1000, "gid": 1000, "additionalGids": [10, 20, 1000]})},
    {"name": "user 0 with umask 077", "edit": proc(user={"uid": 0, "gid": 0, "umask": 63})},
    {"name": "user 1000 without capabilities object",
     "edit": chain(USER1000, lambda c, b: c["process"].pop("capabilities"))},
    {"name": "cwd /tmp", "edit": proc(cwd="/tmp")},
    {"name": "cwd created by the runtime", "edit": proc(cwd="/a/new/dir")},
    {"name": "cwd 0700 root-owned, user 1000",
     "edit": chain(USER1000, proc(cwd="/secret"), mkdir("/secret", 0o700))},
    {"name": "cwd 0700 owned by user 1000",
     "edit": chain(USER1000, proc(cwd="/mine"), mkdir("/mine", 0o700, owner=1000))},
    {"name": "env with duplicates and empty values",
     "edit": proc(env=["PATH=/bin", "A=1", "A=2", "EMPTY=", "HOME=/h"])},
    {"name": "env without HOME for user 1000", "edit": chain(USER1000, proc(env=["PATH=/bin"]))},
    {"name": "rlimits", "edit": proc(rlimits=[
        {"type": "RLIMIT_NOFILE", "soft": 256, "hard": 512},
        {"type": "RLIMIT_CORE", "soft": 0, "hard": 0},
        {"type": "RLIMIT_NPROC", "soft": 100, "hard": 200}])},
    {"name": "capabilities: ambient without inheritable",
     "edit": lambda c, b: c["process"]["capabilities"].update(ambient=["CAP_KILL", "CAP_CHOWN"])},
    {"name": "capabilities: ambient with inheritable, user 1000",
     "edit": chain(USER1000, lambda c, b: c["process"]["capabilities"].update(
         inheritable=["CAP_KILL"], ambient=["CAP_KILL"], permitted=["CAP_KILL"],
         effective=["CAP_KILL"]))},
    {"name": "capabilities: effective not permitted", "compare": "outcome",
     "edit": lambda c, b: c["process"]["capabilities"].update(
         effective=["CAP_SYS_ADMIN"], permitted=["CAP_KILL"])},
    {"name": "capabilities: empty sets",
     "edit": lambda c, b: c["process"].update(capabilities={})},
    {"name": "capabilities: unknown name", "edit": lambda c, b: c["process"]["capabilities"][
        "bounding"].append("CAP_NOT_A_CAP")},
    {"name": "noNewPrivileges false", "edit": proc(noNewPrivileges=False)},
    {"name": "oomScoreAdj 500", "edit": proc(oomScoreAdj=500)},
    # lowering it needs CAP_SYS_RESOURCE, which root lacks on some hosts
    # (this one): then both must refuse
    {"name": "oomScoreAdj -500", "edit": proc(oomScoreAdj=-500), "compare": "outcome"},
    {"name": "personality LINUX32", "probe": ["sched"],
     "edit": linux(personality={"domain": "LINUX32"}), "divergence": "newer-runc-fields"},
    {"name": "scheduler SCHED_BATCH", "divergence": "newer-runc-fields", "probe": ["sched"],
     "edit": proc(scheduler={"policy": "SCHED_BATCH", "nice": 5})},
    {"name": "ioPriority", "divergence": "newer-runc-fields", "probe": ["sched"],
     "edit": proc(ioPriority={"class": "IOPRIO_CLASS_BE", "priority": 4})},
    {"name": "process.terminal (a pty as stdio, /dev/console)", "tty": True,
     "edit": proc(terminal=True), "probe": ["stat", "/dev/console", "fds", "ids", "env"]},
    {"name": "hostname and domainname", "divergence": "newer-runc-fields",
     "edit": lambda c, b: c.update(hostname="diffhost", domainname="diff.example")},
    {"name": "no process.args[0] in PATH", "compare": "outcome",
     "edit": proc(args=["no-such-binary"])},
    {"name": "args[0] relative with PATH", "edit": proc(args=["checker", "ids", "cwd"])},

    {"name": "runc spec --rootless, run by root", "edit": rootless_spec,
     "probe": ["ids", "caps", "ns", "mounts"]},
    {"name": "resources: cpu quota and period", "skip": v1_only,
     "edit": lambda c, b: c["linux"].update(resources={"cpu": {"quota": 30000, "period": 60000}}),
     "probe": ["file", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
               "file", "/sys/fs/cgroup/cpu/cpu.cfs_period_us"]},
    {"name": "resources: memory with swap and reservation", "skip": v1_only,
     "edit": lambda c, b: c["linux"].update(resources={"memory": {
         "limit": 67108864, "swap": 134217728, "reservation": 33554432}}),
     "probe": ["file", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
               "file", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
               "file", "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes"]},

    # ---- mounts -------------------------------------------------------------
    {"name": "rootfsPropagation rshared", "edit": linux(rootfsPropagation="rshared"),
     "divergence": "rootfs-rshared"},
    {"name": "rootfsPropagation rslave", "edit": linux(rootfsPropagation="rslave")},
    {"name": "rootfsPropagation private", "edit": linux(rootfsPropagation="private")},
    {"name": "rootfsPropagation unbindable", "edit": linux(rootfsPropagation="unbindable"),
     "divergence": "runc-rootfs-unbindable"},
    {"name": "root.readonly", "edit": lambda c, b: c["root"].update(readonly=True),
     "probe": ["ro", "/", "ro", "/tmp", "ro", "/dev", "mounts"]},
    {"name": "ro tmpfs /dev", "edit": mount_opt("/dev", "ro"),
     "probe": ["ro", "/dev", "stat", "/dev/pts", "ro", "/dev/null", "mounts"]},
    {"name": "ro tmpfs with a mount beneath",
     "edit": chain(add_mount(destination="/data", type="tmpfs", source="tmpfs", options=["ro"]),
                   add_mount(destination="/data/sub", type="tmpfs", source="tmpfs")),
     "probe": ["ro", "/data", "ro", "/data/sub", "mounts"]},
    {"name": "bind of a file", "probe": ["stat", "/etc/bound", "ro", "/etc/bound", "mounts"],
     "edit": chain(hostfile("hostfile", "x\n"), add_mount(
         destination="/etc/bound", type="bind", source="hostfile", options=["rbind", "ro"]))},
    {"name": "bind of a dir rw, rprivate",
     "edit": chain(mkdir("/srv"), add_mount(destination="/srv/data", type="none",
                                            source=VOL, options=["rbind", "rprivate"])),
     "probe": ["ro", "/srv/data", "mounts"]},
    {"name": "bind rslave and rshared volumes (Kubernetes)",
     "edit": chain(add_mount(destination="/vol1", type="bind", source=VOL,
                             options=["rbind", "rslave"]),
                   add_mount(destination="/vol2", type="bind", source=VOL,
                             options=["rbind", "rshared"]),
                   linux(rootfsPropagation="rslave")),
     "probe": ["mounts"]},
    {"name": "tmpfs with mode and nosuid", "probe": ["stat", "/scratch", "mounts"],
     "edit": add_mount(destination="/scratch", type="tmpfs", source="tmpfs",
                       options=["nosuid", "nodev", "mode=1777", "size=1m"])},
    {"name": "mount of an unknown fs type", "compare": "outcome",
     "edit": add_mount(destination="/x", type="nosuchfs", source="none")},
    {"name": "bind source missing", "compare": "outcome",
     "edit": add_mount(destination="/x", type="bind", source="/no/such/dir", options=["rbind"])},
    {"name": "maskedPaths and readonlyPaths extra", "probe": ["ro", "/proc/sys", "mounts"],
     "edit": lambda c, b: (c["linux"]["maskedPaths"].append("/etc/passwd"),
                           c["linux"]["readonlyPaths"].append("/tmp"))},

    # ---- namespaces ---------------------------------------------------------
    {"name": "no network namespace (host /sys bound)", "edit": namespaces("network"),
     "probe": ["ns", "mounts"]},
    {"name": "no pid namespace", "edit": namespaces("pid"), "probe": ["ns", "ids"]},
    {"name": "cgroup namespace", "edit": namespaces(add=["cgroup"]),
     "probe": ["ns", "cgroup", "mounts"]},
    {"name": "user namespace with mappings", "edit": userns, "probe": ["ids", "caps", "ns"]},
    {"name": "hostname without uts namespace", "compare": "outcome",
     "edit": chain(namespaces("uts"), lambda c, b: c.update(hostname="x"))},

    # ---- linux --------------------------------------------------------------
    {"name": "sysctl", "probe": ["file", "/proc/sys/net/ipv4/ip_forward",
                                 "file", "/proc/sys/kernel/shm_rmid_forced"],
     "edit": linux(sysctl={"net.ipv4.ip_forward": "1", "kernel.shm_rmid_forced": "1"})},
    {"name": "devices: a fuse node", "probe": ["stat", "/dev/fuse"],
     "edit": lambda c, b: c["linux"].update(devices=[
         {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 0o666,
          "uid": 0, "gid": 0}])},

    # ---- seccomp ------------------------------------------------------------
    {"name": "seccomp: default-deny, only the program's syscalls, nnp", "skip": x86_64_only,
     "edit": seccomp(), "probe": ["seccomp", "syscall", "439", "syscall", "61"],
     "divergence": "seccomp-last-step"},
    {"name": "seccomp: default-deny, only the program's syscalls, no nnp", "skip": x86_64_only,
     "edit": chain(seccomp(), proc(noNewPrivileges=False)),
     "probe": ["seccomp", "syscall", "439"], "divergence": "seccomp-last-step"},
    {"name": "seccomp: what runc needs too, nnp", "skip": x86_64_only,
     "edit": seccomp(names=MINIMAL + RUNC_NEEDS),
     "probe": ["seccomp", "syscall", "439", "syscall", "61", "syscall", "435"]},
    {"name": "seccomp: kill default, errnoRet rule", "skip": x86_64_only,
     "edit": seccomp(default="SCMP_ACT_KILL_PROCESS", names=MINIMAL + RUNC_NEEDS, extra=[
         {"names": ["wait4"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]),
     "probe": ["seccomp", "syscall", "439", "syscall", "61"]},
    {"name": "seccomp: allow default with denials", "skip": x86_64_only,
     "edit": seccomp(default="SCMP_ACT_ALLOW", names=["read"], extra=[
         {"names": ["wait4", "faccessat2"], "action": "SCMP_ACT_ERRNO"}]),
     "probe": ["seccomp", "syscall", "439", "syscall", "61"]},
    {"name": "seccomp: defaultErrnoRet ENOSYS", "skip": x86_64_only,
     "edit": seccomp(names=MINIMAL + RUNC_NEEDS, defaultErrnoRet=38),
     "probe": ["syscall", "439", "syscall", "61"]},
    {"name": "seccomp: unknown syscall names are skipped", "skip": x86_64_only,
     "edit": seccomp(names=MINIMAL + RUNC_NEEDS + ["not_a_syscall"]), "probe": ["seccomp"]},
    {"name": "seccomp: a rule with no names", "compare": "outcome",
     "divergence": "seccomp-empty-names", "edit": seccomp(default="SCMP_ACT_ALLOW", names=[])},
    # runc 1.1.5 hangs here (runc-notify-deadlock): 5 s are enough to tell
    {"name": "seccomp: notify rules served by an agent", "listener": True, "timeout": 5,
     "divergence": "runc-notify-deadlock",
     "edit": chain(proc(args=["/bin/sh", "-c", "mkdir /tmp/n; echo mkdir.rc=$?; "
                        "test -d /tmp/n && echo mkdir.made=yes || echo mkdir.made=no"]),
                   seccomp(default="SCMP_ACT_ALLOW", names=["read"], listenerPath="@LISTENER@",
                           extra=[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}])),
     "probe": []},
    {"name": "seccomp: a notify rule on write", "listener": True, "compare": "outcome",
     "divergence": "seccomp-notify-write",
     "edit": seccomp(default="SCMP_ACT_ALLOW", names=["read"], listenerPath="@LISTENER@",
                     extra=[{"names": ["write"], "action": "SCMP_ACT_NOTIFY"}]),
     "probe": ["ids"]},
    {"name": "seccomp: a notify rule without listenerPath", "compare": "outcome",
     "edit": seccomp(default="SCMP_ACT_ALLOW", names=["read"], extra=[
         {"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}])},
    {"name": "seccomp: a notify rule with no agent listening", "compare": "outcome",
     "edit": seccomp(default="SCMP_ACT_ALLOW", names=["read"], listenerPath="/nonexistent/sock",
                     extra=[{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}])},
    {"name": "seccomp: unknown action", "compare": "outcome",
     "edit": seccomp(default="SCMP_ACT_NOPE")},

    {"name": "seccomp: containers-common's profile as podman sends it", "skip": engine_profile_missing,
     "edit": engine_like, "probe": ["all", "syscall", "439", "syscall", "169", "syscall", "250"]},
    {"name": "seccomp: the same profile for user 1000 with nnp", "skip": engine_profile_missing,
     "edit": chain(engine_like, USER1000, proc(noNewPrivileges=True)),
     "probe": ["ids", "caps", "seccomp", "syscall", "165", "syscall", "101"]},

    # ---- the configs engines wrote (fixtures/, captured from tests/engines)
    {"name": "fixture: podman run", "edit": fixture("podman-run")},
    {"name": "fixture: docker run", "edit": fixture("docker-run")},
    {"name": "fixture: docker run --user 1234", "edit": fixture("docker-run-user")},
    {"name": "fixture: ctr run (containerd's runc shim)", "edit": fixture("containerd-run")},
    {"name": "fixture: ctr run --user 1234", "edit": fixture("containerd-run-user")},

    # ---- Kubernetes: a pod sandbox, and a container joining it by path -------
    {"name": "kubernetes: container in a pod sandbox", "skip": engine_profile_missing,
     "sandbox": chain(engine_like, lambda c, b: c["linux"].update(
         cgroupsPath="/kubepods/besteffort/poddiff/sandbox"), lambda c, b: c.update(
         hostname="pod-0")),
     "edit": chain(engine_like, lambda c, b: c["linux"].update(
         cgroupsPath="/kubepods/besteffort/poddiff/app",
         namespaces=[{"type": "pid"}, {"type": "mount"},
                     {"type": "ipc", "path": "/proc/{sandbox}/ns/ipc"},
                     {"type": "uts", "path": "/proc/{sandbox}/ns/uts"},
                     {"type": "network", "path": "/proc/{sandbox}/ns/net"}],
         rootfsPropagation="rslave"),
         add_mount(destination="/data/host-to-container", type="bind", source=VOL,
                   options=["rbind", "rslave", "rw"]),
         add_mount(destination="/data/bidirectional", type="bind", source=VOL,
                   options=["rbind", "rshared", "rw"]),
         add_mount(destination="/etc/hostname", type="bind", source="hostfile",
                   options=["rbind", "rprivate", "ro"]),
         hostfile("hostfile", "pod-0\n"),
         # containerd sets no hostname for a container of a pod: it
         # would rename the pod's shared uts namespace
         lambda c, b: c.pop("hostname", None)),
     "probe": ["all", "hostname"]},

    # ---- hooks --------------------------------------------------------------
    {"name": "hooks: the working directory, stdin and env of each kind", "probe": ["ids"],
     "edit": lambda c, b: c.update(hooks={
         k: [{"path": "/bin/sh", "env": ["HOOKVAR=%s" % k],
              "args": ["sh", "-c", "cd_=$(pwd); cat > %s/%s.state; "
                       "echo \"$cd_ $HOOKVAR $(env | grep -c .)\" > %s/%s.ctx" % (
                           d, k, d, k)]}]
         for k, d in (("prestart", b), ("createRuntime", b), ("createContainer", b),
                      ("poststart", b), ("poststop", b), ("startContainer", ""))}),
     # startContainer runs in the container: its "" directory is the root,
     # the bundle's rootfs seen from the host
     "collect": ["%s%s.%s" % ("rootfs/" if k == "startContainer" else "", k, x)
                 for k in ("prestart", "createRuntime", "createContainer", "startContainer",
                           "poststart", "poststop") for x in ("state", "ctx")],
     "divergence": "hook-state-status"},
    {"name": "hooks: failing prestart", "compare": "outcome",
     "edit": lambda c, b: c.update(hooks={"prestart": [{"path": "/bin/false"}]})},
    {"name": "hooks: a prestart hook past its timeout", "compare": "outcome",
     "edit": lambda c, b: c.update(hooks={"prestart": [
         {"path": "/bin/sleep", "args": ["sleep", "5"], "timeout": 1}]})},
    {"name": "hooks: missing hook binary", "compare": "outcome",
     "edit": lambda c, b: c.update(hooks={"createRuntime": [{"path": "/no/such/hook"}]})},

    # ---- cgroups ------------------------------------------------------------
    {"name": "resources: memory, pids, cpu shares", "skip": v1_only,
     "probe": ["cgroup", "file", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
               "file", "/sys/fs/cgroup/pids/pids.max", "file", "/sys/fs/cgroup/cpu/cpu.shares",
               "file", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"],
     "edit": lambda c, b: c["linux"].update(resources={
         "memory": {"limit": 67108864}, "pids": {"limit": 50}, "cpu": {"shares": 512},
         "devices": [{"allow": False, "access": "rwm"}]})},
    {"name": "cgroupsPath unset", "probe": ["cgroup"], "divergence": "default-cgroups-path",
     "edit": lambda c, b: c["linux"].pop("cgroupsPath")},
    {"name": "resources: unified on a v1 host", "compare": "outcome",
     "edit": lambda c, b: c["linux"].update(resources={"unified": {"memory.max": "64M"}})},

    # ---- the command line ---------------------------------------------------
    {"name": "cli: lifecycle of a running container", "probe": ["sleep", "300"], "steps": [
        ["create", "{id}"], ["state", "{id}"], ["ps", "--format", "json", "{id}"],
        ["exec", "{id}", "/nonexistent"], ["exec", "--cwd", "/nope", "{id}", "true"],
        ["update", "--pids-limit", "50", "{id}"],
        ["start", "{id}"], ["start", "{id}"], ["update", "--memory", "64m", "{id}"],
        ["pause", "{id}"], ["pause", "{id}"], ["update", "--pids-limit", "60", "{id}"],
        ["exec", "{id}", "true"], ["resume", "{id}"], ["resume", "{id}"],
        ["exec", "{id}", "sh", "-c", "exit 3"], ["list", "--format", "json"], ["list", "-q"],
        ["kill", "{id}", "KILL"], ["sleep", "0.5"], ["state", "{id}"],
        ["exec", "{id}", "true"], ["update", "--pids-limit", "70", "{id}"],
        ["kill", "{id}", "KILL"], ["kill", "--all", "{id}", "KILL"],
        ["ps", "{id}"], ["ps", "--format", "json", "{id}"], ["pause", "{id}"],
        ["delete", "{id}"], ["delete", "{id}"], ["state", "{id}"], ["kill", "{id}"]]},
    {"name": "cli: signal numbers out of range", "probe": ["sleep", "300"],
     "divergence": "kill-signal-number", "steps": [
         ["run", "-d", "{id}"], ["kill", "{id}", "4294967305"], ["sleep", "0.3"],
         ["state", "{id}"], ["delete", "-f", "{id}"]]},
    {"name": "cli: run -d, delete -f of a running container", "probe": ["sleep", "300"],
     "steps": [["run", "-d", "{id}"], ["delete", "{id}"], ["delete", "-f", "{id}"],
               ["state", "{id}"]]},
]
