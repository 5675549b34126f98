/* cgroup-v2-devices.c: the device allow list on cgroup v2.
 *
 * v2 has no devices.allow file: the kernel asks a BPF_PROG_TYPE_CGROUP_DEVICE
 * program attached to the cgroup for every open/mknod of a device node. We
 * compile the rule list into such a program, load it with bpf(2) and attach
 * it with BPF_F_ALLOW_MULTI, then detach whatever program was attached to
 * the same cgroup before (an update replaces the list; the kernel runs all
 * attached programs and ANDs their verdicts, so the old one must go).
 *
 * Semantics (the v1 list semantics that runc and crun reproduce): default
 * deny; rules are tried from the LAST to the first and the first match
 * decides, so a later rule overrides an earlier one as successive writes to
 * devices.allow/deny do. An allow rule matches when the requested access is
 * a subset of its access; a deny rule when they share any bit.
 *
 * Program layout: r2 = device type, r3 = requested access, r4 = major,
 * r5 = minor (from struct bpf_cgroup_dev_ctx), then one block per rule that
 * jumps to the next block on mismatch or returns the verdict, and a final
 * "return 0".
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "cgroup-v2.h"
#include "util/cleanup.h"

#define INSN(c, d, s, o, i)                                                                        \
    ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o)  INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define AND32(d, i)     INSN(BPF_ALU | BPF_AND | BPF_K, d, 0, 0, i)
#define RSH32(d, i)     INSN(BPF_ALU | BPF_RSH | BPF_K, d, 0, 0, i)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define JNE_IMM(d, i)   INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, 0, i)
#define JEQ_IMM(d, i)   INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, 0, i)
#define EXIT()          INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

struct prog {
    struct bpf_insn *v;
    size_t n, cap;
};

static int emit(struct prog *p, struct bpf_insn insn)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct bpf_insn *nv = realloc(p->v, cap * sizeof(*nv));

        if (!nv)
            return -ENOMEM;
        p->v = nv;
        p->cap = cap;
    }
    p->v[p->n++] = insn;
    return 0;
}

static int access_mask(const char *access)
{
    int m = 0;

    if (!access || !*access)
        return BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
    for (const char *c = access; *c; c++) {
        if (*c == 'm')
            m |= BPF_DEVCG_ACC_MKNOD;
        else if (*c == 'r')
            m |= BPF_DEVCG_ACC_READ;
        else if (*c == 'w')
            m |= BPF_DEVCG_ACC_WRITE;
        else
            return -EINVAL;
    }
    return m;
}

#define ACC_ALL (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)

/* One rule; every conditional jump skips to the end of the block.
 * Returns 1 when the rule matches everything (no jump): what follows it is
 * unreachable, and the verifier rejects unreachable instructions. */
static int emit_rule(struct prog *p, const oci_device_cgroup *d, berth_error_t *err)
{
    const char *type = d->type && *d->type ? d->type : "a";
    int mask = access_mask(d->access);
    size_t start = p->n;
    int r = 0;

    if (mask < 0)
        return berth_error_make(err, EINVAL, "devices: bad access `%s`", d->access);
    if (strcmp(type, "c") == 0)
        r = emit(p, JNE_IMM(BPF_REG_2, BPF_DEVCG_DEV_CHAR));
    else if (strcmp(type, "b") == 0)
        r = emit(p, JNE_IMM(BPF_REG_2, BPF_DEVCG_DEV_BLOCK));
    else if (strcmp(type, "a") != 0)
        return berth_error_make(err, EINVAL, "devices: bad type `%s`", type);
    if (r == 0 && d->allow && mask != ACC_ALL) {
        /* request & ~allowed != 0: asks for more than the rule gives */
        if ((r = emit(p, MOV32_REG(BPF_REG_1, BPF_REG_3))) == 0 &&
            (r = emit(p, AND32(BPF_REG_1, ~mask & ACC_ALL))) == 0)
            r = emit(p, JNE_IMM(BPF_REG_1, 0));
    } else if (r == 0 && !d->allow && mask != ACC_ALL) {
        /* request & denied == 0: nothing of it is denied here */
        if ((r = emit(p, MOV32_REG(BPF_REG_1, BPF_REG_3))) == 0 &&
            (r = emit(p, AND32(BPF_REG_1, mask))) == 0)
            r = emit(p, JEQ_IMM(BPF_REG_1, 0));
    }
    if (r == 0 && d->major_present && d->major >= 0)
        r = emit(p, JNE_IMM(BPF_REG_4, (int32_t)d->major));
    if (r == 0 && d->minor_present && d->minor >= 0)
        r = emit(p, JNE_IMM(BPF_REG_5, (int32_t)d->minor));
    if (r == 0 && (r = emit(p, MOV64_IMM(BPF_REG_0, d->allow ? 1 : 0))) == 0)
        r = emit(p, EXIT());
    if (r < 0)
        return berth_error_make(err, ENOMEM, "devices: build program");
    /* Patch the jumps: a mismatch continues at the next block. */
    for (size_t i = start; i < p->n; i++)
        if (BPF_CLASS(p->v[i].code) == BPF_JMP && BPF_OP(p->v[i].code) != BPF_EXIT)
            p->v[i].off = (int16_t)(p->n - (i + 1));
    return p->n - start == 2 ? 1 : 0;
}

int berth_cgv2_devices_program(const oci_device_cgroup *d, size_t n, bool with_defaults,
                               struct bpf_insn **ret, size_t *ret_len, berth_error_t *err)
{
    struct prog p = {0};
    int r = 0;

    /* struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }
     * with access_type = access << 16 | type. */
    if ((r = emit(&p, LDX_W(BPF_REG_2, BPF_REG_1, 0))) < 0 ||
        (r = emit(&p, MOV32_REG(BPF_REG_3, BPF_REG_2))) < 0 ||
        (r = emit(&p, AND32(BPF_REG_2, 0xffff))) < 0 || (r = emit(&p, RSH32(BPF_REG_3, 16))) < 0 ||
        (r = emit(&p, LDX_W(BPF_REG_4, BPF_REG_1, 4))) < 0 ||
        (r = emit(&p, LDX_W(BPF_REG_5, BPF_REG_1, 8))) < 0)
        goto nomem;
    /* Last rule first: the defaults come after the config's rules. */
    for (size_t i = with_defaults ? berth_cg_ndefault_devices : 0; r == 0 && i > 0; i--)
        if ((r = emit_rule(&p, &berth_cg_default_devices[i - 1], err)) < 0)
            goto fail;
    for (size_t i = n; r == 0 && d && i > 0; i--)
        if ((r = emit_rule(&p, &d[i - 1], err)) < 0)
            goto fail;
    /* Default deny, unless an unconditional rule already decided. */
    if (r == 0 && ((r = emit(&p, MOV64_IMM(BPF_REG_0, 0))) < 0 || (r = emit(&p, EXIT())) < 0))
        goto nomem;
    *ret = p.v;
    *ret_len = p.n;
    return 0;
nomem:
    r = berth_error_make(err, ENOMEM, "devices: build program");
fail:
    free(p.v);
    return r;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
    return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int prog_load(const struct bpf_insn *insns, size_t n, berth_error_t *err)
{
    static char log[8192];
    union bpf_attr attr;
    int fd;

    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = (uint32_t)n;
    attr.license = (uint64_t)(uintptr_t) "GPL";
    log[0] = '\0';
    attr.log_buf = (uint64_t)(uintptr_t)log;
    attr.log_size = sizeof(log);
    attr.log_level = 1;
    fd = sys_bpf(BPF_PROG_LOAD, &attr);
    if (fd < 0 && errno == ENOSPC) { /* log too small: load without it */
        attr.log_buf = 0;
        attr.log_size = 0;
        attr.log_level = 0;
        fd = sys_bpf(BPF_PROG_LOAD, &attr);
    }
    if (fd < 0)
        return berth_error_errno(err, "load the device eBPF program (%zu insns)%s%.200s", n,
                                 log[0] ? ", verifier: " : "", log);
    /* BPF_PROG_LOAD always returns an O_CLOEXEC fd. */
    return fd;
}

/* Ids of the device programs attached to this very cgroup. */
static int query_attached(int cgfd, uint32_t *ids, uint32_t *n)
{
    union bpf_attr attr;

    memset(&attr, 0, sizeof(attr));
    attr.query.target_fd = (uint32_t)cgfd;
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
    attr.query.prog_cnt = *n;
    if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
        return -errno;
    *n = attr.query.prog_cnt;
    return 0;
}

static void detach_id(int cgfd, uint32_t id)
{
    union bpf_attr attr;
    int fd;

    memset(&attr, 0, sizeof(attr));
    attr.prog_id = id;
    fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
    if (fd < 0)
        return;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgfd;
    attr.attach_bpf_fd = (uint32_t)fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    (void)sys_bpf(BPF_PROG_DETACH, &attr);
    close(fd);
}

int berth_cgv2_devices(int dirfd, const oci_device_cgroup *d, size_t n, bool with_defaults,
                       berth_error_t *err)
{
    _cleanup_free_ struct bpf_insn *insns = NULL;
    _cleanup_close_ int progfd = -1;
    uint32_t old[64], nold = 64;
    union bpf_attr attr;
    size_t len;
    int r;

    r = berth_cgv2_devices_program(d, n, with_defaults, &insns, &len, err);
    if (r < 0)
        return r;
    progfd = prog_load(insns, len, err);
    if (progfd < 0)
        return progfd;
    if (query_attached(dirfd, old, &nold) < 0)
        nold = 0;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)dirfd;
    attr.attach_bpf_fd = (uint32_t)progfd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
        return berth_error_errno(err, "attach the device eBPF program to the cgroup");
    /* The new list is in force; drop the old one(s) so it alone decides. */
    for (uint32_t i = 0; i < nold && i < 64; i++)
        detach_id(dirfd, old[i]);
    return 0;
}
