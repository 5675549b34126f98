/* test-systemd-unit.c: the systemd cgroup driver's pure part
 * (systemd-unit.h): runc's cgroupsPath rules, slice expansion, and the unit
 * properties of linux.resources, checked against what runc 1.1.5 asked
 * systemd 252 for in the systemd VM (tests/cgroup2-vm/vm.sh
 * BERTH_VM_SYSTEMD=v2, `systemctl show runc-t1.scope`). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup-internal.h"
#include "cgroup/systemd-unit.h"

static void unit_ok(const char *cgpath, const char *slice, const char *name, const char *path,
                    bool is_slice)
{
    struct berth_sd_unit u;
    berth_error_t err = NULL;

    ck_assert_msg(berth_sd_unit_parse(cgpath, "c1", false, &u, &err) == 0, "%s: %s",
                  cgpath ? cgpath : "", err ? err->msg : "");
    ck_assert_str_eq(u.slice, slice);
    ck_assert_str_eq(u.name, name);
    ck_assert_str_eq(u.path, path);
    ck_assert_int_eq(u.is_slice, is_slice);
    berth_sd_unit_release(&u);
}

static void unit_bad(const char *cgpath, const char *msg)
{
    struct berth_sd_unit u;
    berth_error_t err = NULL;

    ck_assert_int_lt(berth_sd_unit_parse(cgpath, "c1", false, &u, &err), 0);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err->msg, msg), "%s: `%s` lacks `%s`", cgpath, err->msg, msg);
    berth_error_release(&err);
}

START_TEST(test_unit_names)
{
    unit_ok(NULL, "system.slice", "berth-c1.scope", "/system.slice/berth-c1.scope", false);
    unit_ok("", "system.slice", "berth-c1.scope", "/system.slice/berth-c1.scope", false);
    unit_ok("machine.slice:runc:t1", "machine.slice", "runc-t1.scope",
            "/machine.slice/runc-t1.scope", false);
    /* empty slice: system.slice; empty prefix: NAME.scope */
    unit_ok(":crio:abc", "system.slice", "crio-abc.scope", "/system.slice/crio-abc.scope", false);
    unit_ok("user.slice::abc", "user.slice", "abc.scope", "/user.slice/abc.scope", false);
    /* nested slices expand to their parents */
    unit_ok("kubepods-besteffort-pod1.slice:cri-containerd:abc", "kubepods-besteffort-pod1.slice",
            "cri-containerd-abc.scope",
            "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/"
            "cri-containerd-abc.scope",
            false);
    /* a name ending in .slice is a slice unit of its own */
    unit_ok("system.slice:x:test-a.slice", "system.slice", "test-a.slice",
            "/test.slice/test-a.slice", true);
    unit_ok("-.slice:p:n", "-.slice", "p-n.scope", "/p-n.scope", false);
}
END_TEST

/* A rootless user's instance (runc's rootless systemd manager): the
 * default slice is user.slice, for an empty cgroupsPath and an empty slice
 * field; the path is relative to the instance's own cgroup. */
START_TEST(test_unit_user)
{
    const char *paths[] = {NULL, "", ":berth:c1"};

    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct berth_sd_unit u;
        berth_error_t err = NULL;

        ck_assert_int_eq(berth_sd_unit_parse(paths[i], "c1", true, &u, &err), 0);
        ck_assert_str_eq(u.slice, "user.slice");
        ck_assert_str_eq(u.path, "/user.slice/berth-c1.scope");
        ck_assert(u.user);
        berth_sd_unit_release(&u);
    }
}
END_TEST

START_TEST(test_unit_errors)
{
    /* runc's wording, which engines match */
    unit_bad("/berth/c1", "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd "
                          "cgroups, got \"/berth/c1\" instead");
    unit_bad("a:b", "of format \"slice:prefix:name\"");
    unit_bad("a:b:c:d", "of format \"slice:prefix:name\"");
    unit_bad("system.slice:p:", "the unit name is empty");
    unit_bad("system.slice:p:a/b", "cannot contain '/'");
    unit_bad("system:p:n", "invalid slice name: system");
    unit_bad("a--b.slice:p:n", "invalid slice name: a--b.slice");
    unit_bad("-a.slice:p:n", "invalid slice name: -a.slice");
    unit_bad("a-.slice:p:n", "invalid slice name: a-.slice");
    unit_bad(".slice:p:n", "invalid slice name: .slice");
    unit_bad("a/b.slice:p:n", "invalid slice name: a/b.slice");
}
END_TEST

START_TEST(test_expand_slice)
{
    char *p = NULL;
    berth_error_t err = NULL;

    ck_assert_int_eq(berth_sd_expand_slice("a-b-c.slice", &p, &err), 0);
    ck_assert_str_eq(p, "/a.slice/a-b.slice/a-b-c.slice");
    free(p);
    ck_assert_int_eq(berth_sd_expand_slice("system.slice", &p, &err), 0);
    ck_assert_str_eq(p, "/system.slice");
    free(p);
    ck_assert_int_eq(berth_sd_expand_slice("-.slice", &p, &err), 0);
    ck_assert_str_eq(p, "");
    free(p);
}
END_TEST

/* The properties as one string "A=x|B=y" for compact assertions. */
static char *joined(const struct berth_sd_props *p)
{
    size_t len = 1;
    char *s;

    for (size_t i = 0; i < p->n; i++)
        len += strlen(p->v[i]) + 1;
    s = calloc(1, len);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < p->n; i++) {
        if (i)
            strcat(s, "|");
        strcat(s, p->v[i]);
    }
    return s;
}

START_TEST(test_unit_props)
{
    struct berth_sd_unit u;
    struct berth_sd_props p = {0};
    berth_error_t err = NULL;
    char *s;

    ck_assert_int_eq(berth_sd_unit_parse("machine.slice:berth:t1", "t1", false, &u, &err), 0);
    ck_assert_int_eq(berth_sd_props_unit(&u, "t1", 42, true, &p, &err), 0);
    s = joined(&p);
    ck_assert_str_eq(s, "Description=s:berth container t1|Slice=s:machine.slice|Delegate=b:true|"
                        "PIDs=au:42|MemoryAccounting=b:true|CPUAccounting=b:true|"
                        "IOAccounting=b:true|TasksAccounting=b:true|DefaultDependencies=b:false");
    free(s);
    berth_sd_props_release(&p);
    berth_sd_unit_release(&u);
    /* a slice unit: Wants= its parent, no delegation; v1 accounting names */
    ck_assert_int_eq(berth_sd_unit_parse("system.slice:x:k-a.slice", "t1", false, &u, &err), 0);
    ck_assert_int_eq(berth_sd_props_unit(&u, "t1", 42, false, &p, &err), 0);
    s = joined(&p);
    ck_assert_str_eq(s, "Description=s:berth container t1|Wants=s:system.slice|PIDs=au:42|"
                        "MemoryAccounting=b:true|CPUAccounting=b:true|BlockIOAccounting=b:true|"
                        "TasksAccounting=b:true|DefaultDependencies=b:false");
    free(s);
    berth_sd_props_release(&p);
    berth_sd_unit_release(&u);
}
END_TEST

START_TEST(test_cpuset_mask)
{
    char *hex = NULL;
    berth_error_t err = NULL;

    ck_assert_int_eq(berth_sd_cpuset_mask("0-3", &hex, &err), 0);
    ck_assert_str_eq(hex, "0f");
    free(hex);
    ck_assert_int_eq(berth_sd_cpuset_mask("1,8-9,15", &hex, &err), 0);
    ck_assert_str_eq(hex, "0283");
    free(hex);
    ck_assert_int_eq(berth_sd_cpuset_mask("0", &hex, &err), 0);
    ck_assert_str_eq(hex, "01");
    free(hex);
    static const char *const bad[] = {"", "a", "3-1", "1,", ",1", "1-", "-1", "1 2", "9000"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(berth_sd_cpuset_mask(bad[i], &hex, &err) < 0, "%s accepted", bad[i]);
        ck_assert_ptr_nonnull(strstr(err->msg, "invalid cpuset"));
        berth_error_release(&err);
    }
}
END_TEST

static char *res_props(const oci_resources *res, bool v2, bool create, int64_t *quota)
{
    struct berth_sd_props p = {0};
    berth_error_t err = NULL;
    int64_t q;
    char *s;

    ck_assert_msg(berth_sd_props_resources(res, v2, create, &p, quota ? quota : &q, &err) == 0,
                  "%s", err ? err->msg : "");
    s = joined(&p);
    berth_sd_props_release(&p);
    return s;
}

START_TEST(test_resource_props_v2)
{
    oci_memory mem = {.limit = 104857600,
                      .limit_present = true,
                      .reservation = 52428800,
                      .reservation_present = true,
                      .swap = 209715200,
                      .swap_present = true};
    oci_cpu cpu = {.shares = 512,
                   .shares_present = true,
                   .quota = 50000,
                   .quota_present = true,
                   .period = 100000,
                   .period_present = true,
                   .cpus = "0-1",
                   .mems = "0"};
    oci_pids pids = {.limit = 100, .limit_present = true};
    oci_block_io bio = {.weight = 500, .weight_present = true};
    oci_resources res = {.memory = &mem, .cpu = &cpu, .pids = &pids, .blockIO = &bio};
    int64_t quota;
    char *s;

    /* at update without devices: no device properties */
    s = res_props(&res, true, false, &quota);
    ck_assert_str_eq(s, "MemoryMax=t:104857600|MemoryLow=t:52428800|MemorySwapMax=t:104857600|"
                        "CPUWeight=t:59|CPUQuotaPeriodUSec@242=t:100000|"
                        "CPUQuotaPerSecUSec=t:500000|AllowedCPUs@244=ay:03|"
                        "AllowedMemoryNodes@244=ay:01|TasksMax=t:100|IOWeight=t:4950");
    ck_assert_int_eq(quota, -2); /* 500 ms per second: no rounding */
    free(s);
    /* -1 is systemd's infinity; a quota rounded up to 10 ms per second,
     * and the files get the rounded quota too (runc's rule) */
    mem.limit = -1;
    mem.swap_present = mem.reservation_present = false;
    cpu.quota = 12345;
    cpu.shares_present = false;
    cpu.cpus = cpu.mems = NULL;
    pids.limit = -1;
    bio.weight_present = false;
    s = res_props(&res, true, false, &quota);
    ck_assert_str_eq(s, "MemoryMax=t:18446744073709551615|CPUQuotaPeriodUSec@242=t:100000|"
                        "CPUQuotaPerSecUSec=t:130000|TasksMax=t:18446744073709551615");
    ck_assert_int_eq(quota, 13000);
    free(s);
    /* pids.limit 0: systemd refuses TasksMax=0, so 1 (as runc) */
    res.memory = NULL;
    res.cpu = NULL;
    pids.limit = 0;
    s = res_props(&res, true, false, &quota);
    ck_assert_str_eq(s, "TasksMax=t:1");
    free(s);
}
END_TEST

START_TEST(test_resource_props_v1_and_unified)
{
    oci_memory mem = {.limit = 1048576, .limit_present = true};
    oci_cpu cpu = {.shares = 512, .shares_present = true};
    oci_block_io bio = {.weight = 0, .weight_present = true}; /* docker's "not set" */
    oci_resources res = {.memory = &mem, .cpu = &cpu, .blockIO = &bio};
    char *keys[] = {"memory.high", "cpu.max",          "cpuset.cpus",
                    "io.weight",   "memory.oom.group", "hugetlb.2MB.max"};
    char *values[] = {"max", "20000 50000", "1", "default 100", "1", "0"};
    char *s;

    s = res_props(&res, false, false, NULL);
    ck_assert_str_eq(s, "MemoryLimit=t:1048576|CPUShares=t:512");
    free(s);
    res.memory = NULL;
    res.cpu = NULL;
    res.unified.keys = keys;
    res.unified.values = values;
    res.unified.len = 6;
    /* update: OOMPolicy only at creation; io.weight per device is no
     * property; hugetlb has none */
    s = res_props(&res, true, false, NULL);
    ck_assert_str_eq(s, "MemoryHigh=t:18446744073709551615|CPUQuotaPeriodUSec@242=t:50000|"
                        "CPUQuotaPerSecUSec=t:400000|AllowedCPUs@244=ay:02");
    free(s);
    values[0] = "lots";
    {
        struct berth_sd_props p = {0};
        berth_error_t err = NULL;
        int64_t q;

        ck_assert_int_lt(berth_sd_props_resources(&res, true, false, &p, &q, &err), 0);
        ck_assert_ptr_nonnull(
            strstr(err->msg, "unified \"memory.high\": value \"lots\" is not a number or max"));
        berth_error_release(&err);
        berth_sd_props_release(&p);
    }
}
END_TEST

START_TEST(test_device_props)
{
    oci_device_cgroup rules[] = {
        {.allow = false, .access = "rwm"}, /* deny all */
        {.allow = true,
         .type = "c",
         .major = 10,
         .major_present = true,
         .minor = 200,
         .minor_present = true,
         .access = "rw"},
        {.allow = true, .type = "b", .major = 8, .major_present = true, .access = "r"},
        {.allow = true, .type = "c", .minor = 5, .minor_present = true, .access = "r"}, /* *:5 */
    };
    oci_resources res = {.devices = rules, .devices_len = 4};
    char *s;

    /* at create the list is complete: the config's rules then the
     * defaults (/dev/null 1:3 ... /dev/pts 136:*, mknod of any char and
     * block device), as strict allow-list entries */
    s = res_props(&res, true, true, NULL);
    ck_assert_msg(strncmp(s,
                          "DeviceAllow=a(ss):|DevicePolicy=s:strict|DeviceAllow=a(ss):"
                          "/dev/char/10:200 rw,block-8 r,",
                          strlen("DeviceAllow=a(ss):|DevicePolicy=s:strict|DeviceAllow=a(ss):"
                                 "/dev/char/10:200 rw,block-8 r,")) == 0,
                  "%s", s);
    ck_assert_ptr_nonnull(strstr(s, "/dev/char/1:3 rwm"));
    ck_assert_ptr_nonnull(strstr(s, "char-136 rwm"));
    ck_assert_ptr_nonnull(strstr(s, "char-* m"));
    ck_assert_ptr_nonnull(strstr(s, "block-* m"));
    /* *:5 has no systemd syntax: no entry (not a wildcard one) */
    ck_assert_ptr_null(strstr(s, "char-* r"));
    free(s);
    /* a later deny takes back what it covers */
    rules[3] = (oci_device_cgroup){
        .allow = false, .type = "c", .major = 10, .major_present = true, .access = "w"};
    s = res_props(&res, true, true, NULL);
    ck_assert_ptr_nonnull(strstr(s, "/dev/char/10:200 r,"));
    free(s);
    /* privileged: allow all */
    rules[0] = (oci_device_cgroup){.allow = true, .access = "rwm"};
    res.devices_len = 1;
    s = res_props(&res, true, true, NULL);
    ck_assert_str_eq(s, "DeviceAllow=a(ss):|DevicePolicy=s:auto");
    free(s);
    /* a deny list fails closed in systemd's view */
    rules[1] = (oci_device_cgroup){.allow = false,
                                   .type = "c",
                                   .major = 1,
                                   .major_present = true,
                                   .minor = 3,
                                   .minor_present = true,
                                   .access = "rwm"};
    res.devices_len = 2;
    s = res_props(&res, true, true, NULL);
    ck_assert_str_eq(s, "DeviceAllow=a(ss):|DevicePolicy=s:strict");
    free(s);
    /* update without devices: none */
    res.devices = NULL;
    res.devices_len = 0;
    s = res_props(&res, true, false, NULL);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

/* org.systemd.property.* annotations as runc takes them (its
 * spec_linux_test.go cases): GVariant text to "NAME=SIG:VALUE", the
 * Sec -> USec conversion, and runc's errors. */
static char *ann_props(const char *key, const char *value, berth_error_t *err)
{
    char *keys[] = {(char *)"other", (char *)key};
    char *values[] = {(char *)"ignored", (char *)value};
    oci_string_map a = {.keys = keys, .values = values, .len = 2};
    struct berth_sd_props p = {0};
    char *s = NULL;

    if (berth_sd_props_annotations(&a, &p, err) == 0)
        s = p.n == 1 ? strdup(p.v[0]) : strdup("(count)");
    berth_sd_props_release(&p);
    return s;
}

START_TEST(test_annotations)
{
    static const struct {
        const char *key, *value, *want;
    } ok[] = {
        {"org.systemd.property.TimeoutStopUSec", "uint64 123456789", "TimeoutStopUSec=t:123456789"},
        {"org.systemd.property.TimeoutStopSec", "456", "TimeoutStopUSec=t:456000000"},
        {"org.systemd.property.TimeoutStopSec", "byte 234", "TimeoutStopUSec=t:234000000"},
        {"org.systemd.property.TimeoutStopSec", "int16 234", "TimeoutStopUSec=t:234000000"},
        {"org.systemd.property.TimeoutStopSec", "uint16 234", "TimeoutStopUSec=t:234000000"},
        {"org.systemd.property.TimeoutStopSec", "int32 234", "TimeoutStopUSec=t:234000000"},
        {"org.systemd.property.TimeoutStopSec", "uint32 234", "TimeoutStopUSec=t:234000000"},
        {"org.systemd.property.TimeoutStopSec", "int64 234", "TimeoutStopUSec=t:234000000"},
        {"org.systemd.property.TimeoutStopSec", "@t 234", "TimeoutStopUSec=t:234000000"},
        {"org.systemd.property.TimeoutStopSec", "2.5", "TimeoutStopUSec=t:2500000"},
        {"org.systemd.property.CollectMode", "'inactive-or-failed'",
         "CollectMode=s:inactive-or-failed"},
        {"org.systemd.property.Description", "\"say \\\"hi\\\"\"", "Description=s:say \"hi\""},
        {"org.systemd.property.SendSIGHUP", "true", "SendSIGHUP=b:true"},
        {"org.systemd.property.SendSIGHUP", "@b false", "SendSIGHUP=b:false"},
        {"org.systemd.property.Nice", "int32 -5", "Nice=i:-5"},
        {"org.systemd.property.Weight", "uint64 18446744073709551615",
         "Weight=t:18446744073709551615"},
        {"org.systemd.property.Wants", "['a.service', \"b.service\"]",
         "Wants=as:a.service\nb.service\n"},
        {"org.systemd.property.Wants", "@as []", "Wants=as:"},
        /* "Sec" after an upper-case letter is a name of its own (runc) */
        {"org.systemd.property.ASec", "uint32 1", "ASec=u:1"},
    };
    static const struct {
        const char *key, *value, *msg;
    } bad[] = {
        {"org.systemd.property.Xx", "1",
         "annotation org.systemd.property.Xx name incorrect: too short"},
        {"org.systemd.property.Foo1", "1",
         "annotation org.systemd.property.Foo1 name incorrect: contains non-alphabetic character"},
        {"org.systemd.property.TimeoutStopSec", "'string'",
         "annotation org.systemd.property.TimeoutStopSec='string' value parse error: not a number"},
        {"org.systemd.property.TimeoutStopSec", "int32 -1",
         "annotation org.systemd.property.TimeoutStopSec=int32 -1 value parse error: not a number"},
        {"org.systemd.property.CollectMode", "inactive",
         "annotation org.systemd.property.CollectMode=inactive value parse error: Invalid "
         "argument"},
        {"org.systemd.property.CollectMode", "'open",
         "annotation org.systemd.property.CollectMode='open value parse error: Invalid argument"},
        {"org.systemd.property.Nice", "byte 256",
         "annotation org.systemd.property.Nice=byte 256 value parse error: Numerical result out of "
         "range"},
        {"org.systemd.property.Nice", "uint32 1.5",
         "annotation org.systemd.property.Nice=uint32 1.5 value parse error: Invalid argument"},
        {"org.systemd.property.Wants", "['a', 1]",
         "annotation org.systemd.property.Wants=['a', 1] value parse error: Invalid argument"},
    };
    berth_error_t err = NULL;

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char *s = ann_props(ok[i].key, ok[i].value, &err);
        ck_assert_msg(s, "%s=%s: %s", ok[i].key, ok[i].value, err ? err->msg : "");
        ck_assert_str_eq(s, ok[i].want);
        free(s);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *s = ann_props(bad[i].key, bad[i].value, &err);
        ck_assert_msg(!s, "%s=%s accepted: %s", bad[i].key, bad[i].value, s);
        ck_assert_str_eq(err->msg, bad[i].msg);
        berth_error_release(&err);
    }
}
END_TEST

int main(void)
{
    Suite *su = suite_create("systemd-unit");
    TCase *t = tcase_create("unit");
    SRunner *sr;
    int failed;

    tcase_add_test(t, test_unit_names);
    tcase_add_test(t, test_unit_user);
    tcase_add_test(t, test_unit_errors);
    tcase_add_test(t, test_expand_slice);
    tcase_add_test(t, test_unit_props);
    tcase_add_test(t, test_cpuset_mask);
    tcase_add_test(t, test_resource_props_v2);
    tcase_add_test(t, test_resource_props_v1_and_unified);
    tcase_add_test(t, test_device_props);
    tcase_add_test(t, test_annotations);
    suite_add_tcase(su, t);
    sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
