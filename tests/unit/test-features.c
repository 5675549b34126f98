/* test-features.c: `berth features` says what berth does, from the tables
 * that do it (berth-features.c): every hook, mount option, namespace and
 * seccomp name listed is one the config parser takes and the code that
 * applies it accepts, and what is left out is refused. The memory policy
 * names: tests/unit/test-placement.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/berth-features.h"
#include "criu/criu.h"
#include "cgroup/cgroup.h"
#include "hooks/hooks.h"
#include "ns/ns.h"
#include "rootfs/mount.h"
#include "rootfs/rootfs.h"
#include "security/security.h"
#include "oci.h"

static oci_features *feat;
static oci_config *cfg;

static void setup(void)
{
    berth_error_t err = NULL;

    ck_assert_int_eq(berth_features_build(&feat, &err), 0);
}

static void teardown(void)
{
    oci_features_free(feat);
    oci_config_free(cfg);
    cfg = NULL;
}

/* Parses a config (single quotes for double) that must be valid JSON and
 * schema. */
/* fmt: one of the literal templates below, with one %s */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static oci_config *parse(const char *fmt, const char *name)
{
    struct oci_diags diags = {0};
    char *json = NULL, buf[256];

    ck_assert_int_ge(asprintf(&json, fmt, name), 0);
    for (char *p = json; *p; p++)
        if (*p == '\'')
            *p = '"';
    oci_config_free(cfg);
    cfg = oci_parse(&oci_config_desc, json, strlen(json), &diags);
    ck_assert_msg(cfg != NULL, "parse %s: %s", json,
                  oci_diags_first_error(&diags, buf, sizeof(buf)) ?: "?");
    oci_diags_clear(&diags);
    free(json);
    return cfg;
}

START_TEST(test_hooks)
{
    ck_assert_uint_eq(feat->hooks_len, BERTH_HOOK_POSTSTOP + 1);
    for (size_t i = 0; i < feat->hooks_len; i++) {
        const oci_hook *h = NULL;
        /* the config parser takes it, and the runner finds it under its kind */
        parse("{'ociVersion':'1.3.0','root':{'path':'r'},'hooks':{'%s':[{'path':'/bin/true'}]}}",
              feat->hooks[i]);
        ck_assert_uint_eq(berth_hooks_get(cfg->hooks, (enum berth_hook_kind)i, &h), 1);
        ck_assert_str_eq(h->path, "/bin/true");
    }
}
END_TEST

START_TEST(test_mount_options)
{
    char *bogus[] = {"nosuchoption"};
    struct berth_mount_step s = {.kind = BERTH_MOUNT_FS};
    berth_error_t err = NULL;

    ck_assert_uint_ge(feat->mountOptions_len, 60);
    for (size_t i = 0; i < feat->mountOptions_len; i++) {
        char *one[] = {feat->mountOptions[i]};
        s = (struct berth_mount_step){.kind = BERTH_MOUNT_FS};
        ck_assert_msg(berth_mount_parse_options(one, 1, "mounts[0]", &s, &err) == 0, "%s: %s",
                      one[0], err ? err->msg : "");
        ck_assert_ptr_nonnull(berth_mount_opt_find(one[0]));
    }
    /* what is not listed is data for the filesystem, not an option berth
     * applies: no flag, no propagation, no recursive attribute */
    s = (struct berth_mount_step){.kind = BERTH_MOUNT_FS};
    ck_assert_int_eq(berth_mount_parse_options(bogus, 1, "mounts[0]", &s, &err), 0);
    ck_assert_ptr_null(berth_mount_opt_find("nosuchoption"));
    free(s.data);
}
END_TEST

START_TEST(test_namespaces)
{
    size_t spec = 0;

    for (; oci_namespace_types[spec]; spec++) {
        bool listed = false;
        for (size_t i = 0; i < feat->linux->namespaces_len; i++)
            listed |= strcmp(feat->linux->namespaces[i], oci_namespace_types[spec]) == 0;
        ck_assert_msg(listed, "%s is not listed", oci_namespace_types[spec]);
    }
    ck_assert_uint_eq(feat->linux->namespaces_len, spec);
    for (size_t i = 0; i < feat->linux->namespaces_len; i++)
        ck_assert_int_ne(berth_ns_type_flag(feat->linux->namespaces[i]), 0);
}
END_TEST

/* 0 when the profile builds, else whether the error is libseccomp not
 * knowing the architecture (2) or another (1). */
static int build(const char *fmt, const char *name)
{
    struct berth_seccomp *f = NULL;
    berth_error_t err = NULL;
    int r;

    parse(fmt, name);
    r = berth_seccomp_build(cfg->linux->seccomp, NULL, &f, &err);
    if (r < 0)
        r = strstr(err->msg, "is not supported by libseccomp") ? 2 : 1;
    berth_error_release(&err);
    berth_seccomp_free(f);
    return r;
}

#define PROFILE(x) "{'ociVersion':'1.3.0','root':{'path':'r'},'linux':{'seccomp':{" x "}}}"

START_TEST(test_seccomp_names)
{
    const oci_feat_seccomp *s = feat->linux->seccomp;
    size_t listed = 0;

    for (size_t i = 0; i < s->actions_len; i++)
        ck_assert_msg(
            !build(PROFILE("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/l','syscalls':"
                           "[{'names':['getpid'],'action':'%s'}]"),
                   s->actions[i]),
            "action %s", s->actions[i]);
    for (size_t i = 0; i < s->operators_len; i++)
        ck_assert_msg(
            !build(PROFILE("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getpid'"
                           "],'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':1,"
                           "'valueTwo':1,'op':'%s'}]}]"),
                   s->operators[i]),
            "operator %s", s->operators[i]);
    /* every architecture of the spec that the linked libseccomp knows is
     * listed, and only those (a listed one may still not mix with the
     * native one: libseccomp wants one byte order per filter) */
    for (size_t i = 0; oci_seccomp_archs[i]; i++) {
        bool in = false;
        for (size_t k = 0; k < s->archs_len; k++)
            in |= strcmp(s->archs[k], oci_seccomp_archs[i]) == 0;
        listed += in;
        ck_assert_msg((build(PROFILE("'defaultAction':'SCMP_ACT_ALLOW','architectures':['%s']"),
                             oci_seccomp_archs[i]) == 2) == !in,
                      "arch %s: listed %d", oci_seccomp_archs[i], in);
    }
    ck_assert_uint_eq(listed, s->archs_len);
}
END_TEST

/* runc lists "bundle", "org.systemd.property." and "org.criu.config": it
 * acts on them. berth acts on org.criu.config (the name criu-rpc.c looks
 * up) and the org.systemd.property. prefix (systemd-annotations.c), so it
 * lists exactly those. */
START_TEST(test_unsafe_annotations)
{
    ck_assert_uint_eq(feat->potentiallyUnsafeConfigAnnotations_len, 2);
    ck_assert_str_eq(feat->potentiallyUnsafeConfigAnnotations[0], BERTH_CRIU_CONFIG_ANNOTATION);
    ck_assert_str_eq(feat->potentiallyUnsafeConfigAnnotations[1], BERTH_SD_PROPERTY_PREFIX);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("features");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_hooks);
    tcase_add_test(tc, test_mount_options);
    tcase_add_test(tc, test_namespaces);
    tcase_add_test(tc, test_seccomp_names);
    tcase_add_test(tc, test_unsafe_annotations);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
