#!/bin/bash
# make-image.sh OUTDIR: builds the test image from busybox-static, no
# registry needed (ENGINES.md "Images without a registry"):
#   OUTDIR/rootfs/       /bin/busybox + applet links, /bin/checker (the
#                        integration tests' static helper) when given
#   OUTDIR/rootfs.tar    for `podman import` / `docker import`
#   OUTDIR/oci.tar       an OCI image layout archive (oci-layout, index.json,
#                        blobs/sha256: gzip layer, config, manifest) for
#                        `ctr image import`, named localhost/bbx:latest, and
#                        the same as localhost/pause:latest (sleep inf: a
#                        CRI sandbox image)
# CHECKER=path adds /bin/checker. Prints nothing on success.
set -euo pipefail
out=$1
bb=$(command -v busybox || echo /bin/busybox)
file "$bb" 2>/dev/null | grep -q 'statically linked' || {
    echo "make-image: $bb is not the static busybox (install busybox-static)" >&2
    exit 1
}
rm -rf "$out/rootfs"
mkdir -p "$out/rootfs"/{bin,sbin,etc,proc,sys,dev,tmp,root,home/u,var,run}
cp "$bb" "$out/rootfs/bin/busybox"
for a in $("$bb" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$out/rootfs/bin/$a"
done
if [ -n "${CHECKER:-}" ] && [ -x "$CHECKER" ]; then
    cp "$CHECKER" "$out/rootfs/bin/checker"
fi
chmod 1777 "$out/rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nu:x:1234:1234:u:/home/u:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$out/rootfs/etc/passwd"
printf 'root:x:0:\nu:x:1234:\nnobody:x:65534:\n' >"$out/rootfs/etc/group"
chown 1234:1234 "$out/rootfs/home/u"
tar --numeric-owner -C "$out/rootfs" -cf "$out/rootfs.tar" .

/usr/bin/python3 - "$out" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
out = sys.argv[1]
lay = os.path.join(out, "oci")
blobs = os.path.join(lay, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)
def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)
raw = open(os.path.join(out, "rootfs.tar"), "rb").read()
diff_id = "sha256:" + hashlib.sha256(raw).hexdigest()
layer_d, layer_n = put(gzip.compress(raw, mtime=0))
def image(name, process):
    cfg = {"architecture": "amd64", "os": "linux",
           "config": dict({"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                           "WorkingDir": "/"}, **process),
           "rootfs": {"type": "layers", "diff_ids": [diff_id]}}
    cfg_d, cfg_n = put(json.dumps(cfg).encode())
    man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_d, "size": cfg_n},
           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_d, "size": layer_n}]}
    man_d, man_n = put(json.dumps(man).encode())
    return {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": man_d, "size": man_n,
            "annotations": {"io.containerd.image.name": name,
                            "org.opencontainers.image.ref.name": "latest"}}
# localhost/pause: the same layer as a CRI sandbox image (a process that
# waits until it is killed).
idx = {"schemaVersion": 2, "manifests": [image("localhost/bbx:latest", {"Cmd": ["sh"]}),
                                         image("localhost/pause:latest", {"Entrypoint": ["/bin/sleep", "inf"]})]}
json.dump(idx, open(os.path.join(lay, "index.json"), "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(lay, "oci-layout"), "w"))
with tarfile.open(os.path.join(out, "oci.tar"), "w") as t:
    for name in ("oci-layout", "index.json", "blobs"):
        t.add(os.path.join(lay, name), arcname=name)
PY
rm -rf "$out/oci"
