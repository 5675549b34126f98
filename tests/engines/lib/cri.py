#!/usr/bin/python3
"""cri.py: the calls a kubelet makes to its CRI runtime (containerd's CRI
plugin), enough to run a pod the way a Kubernetes node does, without a
kubelet or crictl (neither is packaged in Debian 12).

The CRI is gRPC (k8s.io/cri-api, runtime.v1). Only python3-grpcio is
needed: the few messages are encoded and decoded here by hand from their
field numbers (api.proto of cri-api v1), not from generated stubs.

Usage: cri.py SOCKET VERB ARGS...
  version                       prints the runtime's name and CRI version
  runp                          RunPodSandbox; prints the sandbox id
  create POD NAME IMAGE MEM CMD...  CreateContainer (MEM bytes, 0 = none)
  start ID | stop ID | rm ID    StartContainer / StopContainer / RemoveContainer
  exec ID CMD...                ExecSync: the output on stdout, its exit code ours
  update ID MEM                 UpdateContainerResources (memory limit)
  stopp POD | rmp POD           StopPodSandbox / RemovePodSandbox
The pod is described by the environment, as a kubelet with the systemd
cgroup driver describes it: CRI_POD_NAME, CRI_POD_UID, CRI_CGROUP_PARENT
(e.g. kubepods-besteffort-pod<uid>.slice) and CRI_HANDLER (the
RuntimeClass handler, a runtime of containerd's CRI config).
"""
import os
import sys

import grpc

SERVICE = "/runtime.v1.RuntimeService/"
NODE, CONTAINER, POD = 2, 1, 0  # NamespaceMode


# ---- protobuf wire format ---------------------------------------------------
def _varint(n):
    n &= (1 << 64) - 1  # int64 negatives as ten-byte varints
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _len(num, data):
    return _varint(num << 3 | 2) + _varint(len(data)) + data


def s(num, text):
    return _len(num, text.encode()) if text else b""


def i(num, value):
    return _varint(num << 3) + _varint(value) if value else b""


def m(num, *parts):
    return _len(num, b"".join(parts))


def decode(data):
    """Top-level fields: {number: [value, ...]} (varints as int, the rest bytes)."""
    fields, pos = {}, 0

    def varint():
        nonlocal pos
        n = shift = 0
        while True:
            b = data[pos]
            pos += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return n

    while pos < len(data):
        key = varint()
        num, wt = key >> 3, key & 7
        if wt == 0:
            v = varint()
        elif wt == 2:
            n = varint()
            v = data[pos:pos + n]
            pos += n
        elif wt in (1, 5):
            n = 8 if wt == 1 else 4
            v = data[pos:pos + n]
            pos += n
        else:
            raise ValueError("unsupported wire type %d" % wt)
        fields.setdefault(num, []).append(v)
    return fields


# ---- the messages -------------------------------------------------------------
def namespaces(network, pid, ipc):  # NamespaceOption
    return i(1, network) + i(2, pid) + i(3, ipc)


def sandbox_config():  # PodSandboxConfig
    name, uid = os.environ["CRI_POD_NAME"], os.environ["CRI_POD_UID"]
    # No hostname: a kubelet sets none for a pod on the node's network
    # (its UTS namespace is the node's too).
    return (m(1, s(1, name), s(2, uid), s(3, "default"))  # metadata
            + m(8, s(1, os.environ["CRI_CGROUP_PARENT"]),  # linux.cgroup_parent
                m(2, m(1, namespaces(NODE, CONTAINER, POD)))))  # security_context


def resources(mem):  # LinuxContainerResources
    return i(4, int(mem))


def container_config(name, image, mem, cmd):  # ContainerConfig
    return (m(1, s(1, name))  # metadata
            + m(2, s(1, image))  # image
            + b"".join(s(3, a) for a in cmd)  # command
            + m(15, m(1, resources(mem)),  # linux.resources
                m(2, m(3, namespaces(NODE, CONTAINER, POD)))))  # security_context


def call(chan, method, request, timeout=120):
    rpc = chan.unary_unary(SERVICE + method)  # bytes in, bytes out
    return decode(rpc(request, timeout=timeout))


def text(fields, num):
    return fields.get(num, [b""])[0].decode()


def main(argv):
    chan = grpc.insecure_channel("unix://" + argv[1])
    verb, args = argv[2], argv[3:]
    if verb == "version":
        r = call(chan, "Version", s(1, "v1"))
        print(text(r, 2), text(r, 4))
    elif verb == "runp":
        r = call(chan, "RunPodSandbox", m(1, sandbox_config()) + s(2, os.environ["CRI_HANDLER"]))
        print(text(r, 1))
    elif verb == "create":
        pod, name, image, mem, cmd = args[0], args[1], args[2], args[3], args[4:]
        r = call(chan, "CreateContainer",
                 s(1, pod) + m(2, container_config(name, image, mem, cmd)) + m(3, sandbox_config()))
        print(text(r, 1))
    elif verb in ("start", "rm"):
        call(chan, {"start": "StartContainer", "rm": "RemoveContainer"}[verb], s(1, args[0]))
    elif verb == "stop":
        call(chan, "StopContainer", s(1, args[0]) + i(2, 10))
    elif verb in ("stopp", "rmp"):
        call(chan, {"stopp": "StopPodSandbox", "rmp": "RemovePodSandbox"}[verb], s(1, args[0]))
    elif verb == "exec":
        r = call(chan, "ExecSync", s(1, args[0]) + b"".join(s(2, a) for a in args[1:]) + i(3, 60))
        sys.stdout.write(text(r, 1))
        sys.stderr.write(text(r, 2))
        return r.get(3, [0])[0]
    elif verb == "update":
        call(chan, "UpdateContainerResources", s(1, args[0]) + m(2, resources(args[1])))
    else:
        sys.exit("cri.py: unknown verb " + verb)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except grpc.RpcError as e:
        sys.exit("cri.py %s: %s: %s" % (sys.argv[2], e.code().name, e.details()))
