/* criu-pb.c: the few bits of the protobuf wire format criu's RPC needs
 * (rpc.proto is proto2): varints, length-delimited strings and messages
 * written; a criu_resp read back. Debian ships no libcriu nor its
 * generated code, and these ~100 lines are the whole of what berth sends
 * and reads. */
#include "criu-internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5 };

static void pb_put(struct berth_pb *b, const void *p, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        uint8_t *grown;

        while (cap < b->len + n)
            cap *= 2;
        grown = realloc(b->buf, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->buf = grown;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, p, n);
    b->len += n;
}

static void pb_raw_varint(struct berth_pb *b, uint64_t v)
{
    uint8_t out[10];
    size_t n = 0;

    do {
        out[n] = v & 0x7f;
        v >>= 7;
        if (v)
            out[n] |= 0x80;
        n++;
    } while (v);
    pb_put(b, out, n);
}

static void pb_key(struct berth_pb *b, unsigned field, unsigned wire)
{
    pb_raw_varint(b, (uint64_t)field << 3 | wire);
}

/* int32 as protobuf writes it: a negative value sign-extended to 64 bits */
void berth_pb_int(struct berth_pb *b, unsigned field, int64_t v)
{
    pb_key(b, field, WIRE_VARINT);
    pb_raw_varint(b, (uint64_t)v);
}

void berth_pb_bytes(struct berth_pb *b, unsigned field, const void *p, size_t n)
{
    pb_key(b, field, WIRE_LEN);
    pb_raw_varint(b, n);
    pb_put(b, p, n);
}

void berth_pb_string(struct berth_pb *b, unsigned field, const char *s)
{
    berth_pb_bytes(b, field, s, strlen(s));
}

void berth_pb_stringf(struct berth_pb *b, unsigned field, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    berth_pb_bytes(b, field, s, n);
    free(s);
}

void berth_pb_message(struct berth_pb *b, unsigned field, const struct berth_pb *sub)
{
    if (sub->failed)
        b->failed = true;
    berth_pb_bytes(b, field, sub->buf, sub->len);
}

void berth_pb_free(struct berth_pb *b)
{
    free(b->buf);
    *b = (struct berth_pb){0};
}

struct pb_field {
    unsigned field, wire;
    uint64_t v;       /* WIRE_VARINT */
    const uint8_t *p; /* WIRE_LEN */
    size_t n;
};

static int pb_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*p >= end)
            return -EBADMSG;
        *v |= (uint64_t)(**p & 0x7f) << shift;
        if (!(*(*p)++ & 0x80))
            return 0;
    }
    return -EBADMSG;
}

/* The next field of [*p, end): 1, 0 at the end, -EBADMSG when malformed. */
static int pb_next(const uint8_t **p, const uint8_t *end, struct pb_field *f)
{
    uint64_t key;

    if (*p >= end)
        return 0;
    if (pb_read_varint(p, end, &key) < 0)
        return -EBADMSG;
    f->field = key >> 3;
    f->wire = key & 7;
    switch (f->wire) {
    case WIRE_VARINT:
        return pb_read_varint(p, end, &f->v) < 0 ? -EBADMSG : 1;
    case WIRE_LEN:
        if (pb_read_varint(p, end, &f->v) < 0 || f->v > (uint64_t)(end - *p))
            return -EBADMSG;
        f->p = *p;
        f->n = f->v;
        *p += f->n;
        return 1;
    case WIRE_I64:
    case WIRE_I32:
        if ((size_t)(end - *p) < (f->wire == WIRE_I64 ? 8u : 4u))
            return -EBADMSG;
        *p += f->wire == WIRE_I64 ? 8 : 4;
        return 1;
    default:
        return -EBADMSG;
    }
}

/* criu_restore_resp.pid and criu_notify.{script,pid}: each a message with
 * an optional string at 1 and an int32 at 1 or 2. */
static int pb_sub(const struct pb_field *f, struct berth_criu_resp *r, bool notify)
{
    const uint8_t *p = f->p, *end = f->p + f->n;
    struct pb_field g;
    int k;

    while ((k = pb_next(&p, end, &g)) > 0) {
        if (notify && g.field == 1 && g.wire == WIRE_LEN)
            snprintf(r->script, sizeof(r->script), "%.*s", (int)g.n, (const char *)g.p);
        else if (g.field == (notify ? 2u : 1u) && g.wire == WIRE_VARINT)
            r->pid = (pid_t)(int32_t)g.v;
    }
    return k;
}

int berth_criu_resp_parse(const void *buf, size_t len, struct berth_criu_resp *r)
{
    const uint8_t *p = buf, *end = p + len;
    struct pb_field f;
    bool have_type = false;
    int k;

    *r = (struct berth_criu_resp){0};
    while ((k = pb_next(&p, end, &f)) > 0) {
        if (f.wire == WIRE_VARINT && f.field == 1) {
            r->type = (int)f.v;
            have_type = true;
        } else if (f.wire == WIRE_VARINT && f.field == 2) {
            r->success = f.v != 0;
        } else if (f.wire == WIRE_VARINT && f.field == 7) {
            r->cr_errno = (int)(int32_t)f.v;
        } else if (f.wire == WIRE_LEN && (f.field == 4 || f.field == 5)) {
            if (pb_sub(&f, r, f.field == 5) < 0)
                return -EBADMSG;
        } else if (f.wire == WIRE_LEN && f.field == 9) {
            snprintf(r->errmsg, sizeof(r->errmsg), "%.*s", (int)f.n, (const char *)f.p);
        }
    }
    return k < 0 || !have_type ? -EBADMSG : 0;
}
