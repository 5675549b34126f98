/* test-criu-pb.c: the protobuf wire format of criu's RPC as berth writes
 * it (bytes checked against the encoding rules of rpc.proto's proto2) and
 * criu_resp as berth reads it: what criu sends for a restore, a
 * notification, a failure, and malformed answers refused. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "criu/criu-internal.h"

static void expect_bytes(const struct berth_pb *b, const char *want, size_t n)
{
    ck_assert(!b->failed);
    ck_assert_uint_eq(b->len, n);
    ck_assert_mem_eq(b->buf, want, n);
}

START_TEST(test_write)
{
    struct berth_pb b = {0}, sub = {0};

    berth_pb_int(&b, 1, 2); /* criu_req.type = RESTORE */
    expect_bytes(&b, "\x08\x02", 2);
    berth_pb_free(&b);
    /* a field number above 15 takes two bytes of key; 300 two of value */
    berth_pb_int(&b, 34, 300);
    expect_bytes(&b, "\x90\x02\xac\x02", 4);
    berth_pb_free(&b);
    /* int32 -1 is ten bytes, as protobuf sign-extends it */
    berth_pb_int(&b, 1, -1);
    expect_bytes(&b, "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
    berth_pb_free(&b);
    berth_pb_string(&b, CRIU_OPT_ROOT, "/r");
    berth_pb_stringf(&b, CRIU_OPT_EXTERNAL, "mnt[%s]:%s", "/a", "/b");
    expect_bytes(&b, "\x6a\x02/r\xaa\x02\x0amnt[/a]:/b", 17);
    berth_pb_free(&b);
    /* inherit_fd {key "pipe:[1]", fd 5} inside criu_opts field 27 */
    berth_pb_string(&sub, 1, "pipe:[1]");
    berth_pb_int(&sub, 2, 5);
    berth_pb_message(&b, CRIU_OPT_INHERIT_FD, &sub);
    expect_bytes(&b, "\xda\x01\x0c\x0a\x08pipe:[1]\x10\x05", 15);
    berth_pb_free(&b);
    berth_pb_free(&sub);
}
END_TEST

START_TEST(test_read)
{
    struct berth_pb b = {0}, sub = {0};
    struct berth_criu_resp r;

    /* restore answered: type 2, success, restore {pid 4242} */
    berth_pb_int(&b, 1, BERTH_CRIU_REQ_RESTORE);
    berth_pb_int(&b, 2, 1);
    berth_pb_int(&sub, 1, 4242);
    berth_pb_message(&b, 4, &sub);
    ck_assert_int_eq(berth_criu_resp_parse(b.buf, b.len, &r), 0);
    ck_assert_int_eq(r.type, BERTH_CRIU_REQ_RESTORE);
    ck_assert(r.success);
    ck_assert_int_eq(r.pid, 4242);
    berth_pb_free(&b);
    berth_pb_free(&sub);

    /* a notification: notify {script "orphan-pts-master", pid 7}, with
     * fields berth does not read (a fixed64, a fixed32) skipped */
    berth_pb_int(&b, 1, BERTH_CRIU_REQ_NOTIFY);
    berth_pb_int(&b, 2, 1);
    berth_pb_string(&sub, 1, "orphan-pts-master");
    berth_pb_int(&sub, 2, 7);
    berth_pb_message(&b, 5, &sub);
    {
        /* field 13 as fixed64, field 14 as fixed32, field 12 empty bytes */
        static const unsigned char extra[] = {0x69, 1,    2, 3, 4, 5, 6,    7,
                                              8,    0x75, 1, 2, 3, 4, 0x62, 0};
        unsigned char all[256];

        ck_assert_uint_lt(b.len + sizeof(extra), sizeof(all));
        memcpy(all, b.buf, b.len);
        memcpy(all + b.len, extra, sizeof(extra));
        ck_assert_int_eq(berth_criu_resp_parse(all, b.len + sizeof(extra), &r), 0);
    }
    ck_assert_int_eq(berth_criu_resp_parse(b.buf, b.len, &r), 0);
    ck_assert_int_eq(r.type, BERTH_CRIU_REQ_NOTIFY);
    ck_assert_str_eq(r.script, "orphan-pts-master");
    ck_assert_int_eq(r.pid, 7);
    berth_pb_free(&b);
    berth_pb_free(&sub);

    /* a failure: success false, cr_errno, cr_errmsg */
    berth_pb_int(&b, 1, BERTH_CRIU_REQ_DUMP);
    berth_pb_int(&b, 2, 0);
    berth_pb_int(&b, 7, EBADRQC);
    berth_pb_string(&b, 9, "Can't dump");
    ck_assert_int_eq(berth_criu_resp_parse(b.buf, b.len, &r), 0);
    ck_assert(!r.success);
    ck_assert_int_eq(r.cr_errno, EBADRQC);
    ck_assert_str_eq(r.errmsg, "Can't dump");

    /* cut short anywhere inside a field: refused, never read past */
    for (size_t n = 1; n < b.len; n++)
        if (n != 2 && n != 4 && n != 6)
            ck_assert_msg(berth_criu_resp_parse(b.buf, n, &r) == -EBADMSG, "%zu bytes", n);
    berth_pb_free(&b);
    /* no type: refused; a length beyond the message: refused */
    ck_assert_int_eq(berth_criu_resp_parse("\x10\x01", 2, &r), -EBADMSG);
    ck_assert_int_eq(berth_criu_resp_parse("\x08\x02\x4a\x7f", 4, &r), -EBADMSG);
    /* an eleven-byte varint: refused */
    ck_assert_int_eq(
        berth_criu_resp_parse("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12, &r),
        -EBADMSG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("criu-pb");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_write);
    tcase_add_test(tc, test_read);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
