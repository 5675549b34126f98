/* test-placement.c: the id-list parser shared by validation and the
 * appliers (id-list.h), and the memory policy names: every mode and flag of
 * the spec's enums (which `features` lists) is one the applier knows, and
 * `features` lists exactly those (placement.h, berth-features.c). */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/id-list.h"
#include "process/placement.h"
#include "container/berth-features.h"

#define WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

static bool has(const unsigned long *m, unsigned long id)
{
    return m[id / WORD_BITS] & (1UL << (id % WORD_BITS));
}

START_TEST(test_id_list)
{
    unsigned long m[BERTH_MASK_WORDS(256)] = {0};
    unsigned long bad = 0;

    ck_assert_int_eq(berth_id_list_parse("0-3,7,64,100-101", m, 256, NULL), 0);
    for (unsigned long i = 0; i < 256; i++)
        ck_assert_int_eq(has(m, i), i <= 3 || i == 7 || i == 64 || i == 100 || i == 101);
    /* The syntax alone (validation): no mask, ids up to 10^9. */
    ck_assert_int_eq(berth_id_list_parse("5", NULL, 0, NULL), 0);
    ck_assert_int_eq(berth_id_list_parse("1000000000", NULL, 0, NULL), 0);
    ck_assert_int_eq(berth_id_list_parse("0-9876543210", NULL, 0, NULL), -ERANGE);
    static const char *const malformed[] = {"", "-1", "1-", "3-1", "1,,2", "1,", "a", "1 2", "0x1"};
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
        ck_assert_msg(berth_id_list_parse(malformed[i], NULL, 0, NULL) == -EINVAL, "%s",
                      malformed[i]);
    ck_assert_int_eq(berth_id_list_parse(NULL, NULL, 0, NULL), -EINVAL);
    /* With a mask: an id beyond it is named. */
    memset(m, 0, sizeof(m));
    ck_assert_int_eq(berth_id_list_parse("1,250-256", m, 256, &bad), -ERANGE);
    ck_assert_uint_eq(bad, 256);
}
END_TEST

START_TEST(test_memory_policy_names)
{
    size_t modes = 0, flags = 0;
    oci_features *f = NULL;
    berth_error_t err = NULL;

    for (; oci_memory_policy_modes[modes]; modes++)
        ck_assert_msg(berth_memory_policy_known(oci_memory_policy_modes[modes], false), "%s",
                      oci_memory_policy_modes[modes]);
    for (; oci_memory_policy_flags[flags]; flags++)
        ck_assert_msg(berth_memory_policy_known(oci_memory_policy_flags[flags], true), "%s",
                      oci_memory_policy_flags[flags]);
    ck_assert(!berth_memory_policy_known("INTERLEAVE", false));
    ck_assert(!berth_memory_policy_known("MPOL_BIND", true));
    ck_assert(!berth_memory_policy_known(NULL, false));

    ck_assert_int_eq(berth_features_build(&f, &err), 0);
    ck_assert_ptr_nonnull(f->linux);
    ck_assert_ptr_nonnull(f->linux->memoryPolicy);
    ck_assert_uint_eq(f->linux->memoryPolicy->modes_len, modes);
    ck_assert_uint_eq(f->linux->memoryPolicy->flags_len, flags);
    for (size_t i = 0; i < modes; i++)
        ck_assert_str_eq(f->linux->memoryPolicy->modes[i], oci_memory_policy_modes[i]);
    for (size_t i = 0; i < flags; i++)
        ck_assert_str_eq(f->linux->memoryPolicy->flags[i], oci_memory_policy_flags[i]);
    oci_features_free(f);
}
END_TEST

START_TEST(test_apply_errors)
{
    berth_error_t err = NULL;
    oci_memory_policy bad_mode = {.mode = "MPOL_NOPE"};
    char *flags[] = {"MPOL_F_BOGUS"};
    oci_memory_policy bad_flag = {
        .mode = "MPOL_BIND", .nodes = "0", .flags = flags, .flags_len = 1};

    /* No policy: nothing to do. The others fail before any syscall. */
    ck_assert_int_eq(berth_memory_policy_apply(NULL, &err), 0);
    ck_assert_int_eq(berth_memory_policy_apply(&bad_mode, &err), -EINVAL);
    ck_assert_str_eq(err->msg, "memoryPolicy: invalid memory policy mode `MPOL_NOPE`");
    berth_error_release(&err);
    ck_assert_int_eq(berth_memory_policy_apply(&bad_flag, &err), -EINVAL);
    ck_assert_str_eq(err->msg, "memoryPolicy: invalid memory policy flag `MPOL_F_BOGUS`");
    berth_error_release(&err);
    ck_assert_int_eq(berth_cpu_affinity_set("8192", "execCPUAffinity.final", &err), -EINVAL);
    ck_assert_str_eq(err->msg,
                     "execCPUAffinity.final: CPU 8192 in `8192`: a kernel has at most 8192 CPUs");
    berth_error_release(&err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("placement");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_id_list);
    tcase_add_test(tc, test_memory_policy_names);
    tcase_add_test(tc, test_apply_errors);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
