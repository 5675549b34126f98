/* test-mount.c: unit tests of the rootfs concern that need no root: the
 * mount option table, option parsing, the mount plan, and safe path
 * creation inside a directory used as a root (symlinks never leave it). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "rootfs/mount-flags.h"
#include "rootfs/mount.h"
#include "util/path-util.h"

static struct berth_mount_step parse(char **opts, size_t n, int want_ret)
{
    struct berth_mount_step s = {.kind = BERTH_MOUNT_FS};
    berth_error_t err = NULL;

    ck_assert_int_eq(berth_mount_parse_options(opts, n, "mounts[0]", &s, &err), want_ret);
    ck_assert((want_ret < 0) == (err != NULL));
    berth_error_release(&err);
    return s;
}

#define PARSE(ret, ...)                                                                            \
    ({                                                                                             \
        char *o_[] = {__VA_ARGS__};                                                                \
        parse(o_, sizeof(o_) / sizeof(o_[0]), ret);                                                \
    })

START_TEST(test_option_table)
{
    const struct berth_mount_opt *o;

    o = berth_mount_opt_find("ro");
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(o->kind, BERTH_MOPT_FLAG);
    ck_assert_uint_eq(o->flag, MS_RDONLY);
    ck_assert(!o->clear);
    ck_assert(berth_mount_opt_find("rw")->clear);
    ck_assert_int_eq(berth_mount_opt_find("rslave")->kind, BERTH_MOPT_PROPAGATION);
    ck_assert_uint_eq(berth_mount_opt_find("rslave")->flag, MS_SLAVE | MS_REC);
    ck_assert_int_eq(berth_mount_opt_find("rro")->kind, BERTH_MOPT_RECURSIVE);
    ck_assert_int_eq(berth_mount_opt_find("tmpcopyup")->kind, BERTH_MOPT_COPYUP);
    ck_assert_int_eq(berth_mount_opt_find("idmap")->kind, BERTH_MOPT_IDMAP);
    ck_assert_int_eq(berth_mount_opt_find("ridmap")->kind, BERTH_MOPT_IDMAP);
    ck_assert_ptr_null(berth_mount_opt_find("size=64k"));
    ck_assert_ptr_null(berth_mount_opt_find("RO"));
    /* every MUST option of config.md "Linux mount options" is known */
    const char *must[] = {"async",      "atime",      "bind",        "defaults",      "dev",
                          "diratime",   "dirsync",    "exec",        "iversion",      "lazytime",
                          "loud",       "noatime",    "nodev",       "nodiratime",    "noexec",
                          "noiversion", "nolazytime", "norelatime",  "nostrictatime", "nosuid",
                          "private",    "rbind",      "relatime",    "remount",       "ro",
                          "rprivate",   "rshared",    "rslave",      "runbindable",   "rw",
                          "shared",     "silent",     "slave",       "strictatime",   "suid",
                          "sync",       "unbindable", "nosymfollow", "symfollow",     "mand",
                          "nomand"};
    for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++)
        ck_assert_msg(berth_mount_opt_find(must[i]), "option %s unknown", must[i]);
}
END_TEST

START_TEST(test_parse_flags_and_data)
{
    struct berth_mount_step s =
        PARSE(0, "nosuid", "noexec", "ro", "size=65536k", "defaults", "mode=755");

    ck_assert_uint_eq(s.flags, MS_NOSUID | MS_NOEXEC | MS_RDONLY);
    ck_assert_str_eq(s.data, "size=65536k,mode=755");
    ck_assert_int_eq(s.kind, BERTH_MOUNT_FS);
    free(s.data);

    s = PARSE(0, "ro", "rw", "nodev", "dev");
    ck_assert_uint_eq(s.flags, 0);
    ck_assert_uint_eq(s.clear, MS_RDONLY | MS_NODEV);
    ck_assert_ptr_null(s.data);

    /* the atime family is one setting: the last one wins */
    s = PARSE(0, "noatime", "strictatime");
    ck_assert_uint_eq(s.flags, MS_STRICTATIME);
}
END_TEST

START_TEST(test_parse_bind_propagation)
{
    struct berth_mount_step s = PARSE(0, "rbind", "rslave", "ro");

    ck_assert_int_eq(s.kind, BERTH_MOUNT_BIND);
    ck_assert(s.recursive);
    ck_assert_uint_eq(s.propagation, MS_SLAVE | MS_REC);
    ck_assert_uint_eq(s.flags, MS_RDONLY);

    s = PARSE(0, "bind", "private");
    ck_assert(!s.recursive);
    ck_assert_uint_eq(s.propagation, MS_PRIVATE);
}
END_TEST

START_TEST(test_parse_recursive_attrs)
{
    struct berth_mount_step s = PARSE(0, "rbind", "rro", "rnosuid");

    ck_assert_uint_eq(s.rattr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID);
    ck_assert_uint_eq(s.rattr_clr, 0);

    s = PARSE(0, "rro", "rrw");
    ck_assert_uint_eq(s.rattr_set, 0);
    ck_assert_uint_eq(s.rattr_clr, MOUNT_ATTR_RDONLY);

    /* mount_setattr(2): an atime change clears the whole atime field */
    s = PARSE(0, "rnoatime");
    ck_assert_uint_eq(s.rattr_set, MOUNT_ATTR_NOATIME);
    ck_assert_uint_eq(s.rattr_clr, MOUNT_ATTR__ATIME);
    s = PARSE(0, "rnoatime", "rstrictatime");
    ck_assert_uint_eq(s.rattr_set, MOUNT_ATTR_STRICTATIME);
}
END_TEST

START_TEST(test_parse_unsupported)
{
    struct berth_mount_step s = {0};
    berth_error_t err = NULL;
    char *opts[] = {"rbind", "ridmap"};
    char *opts2[] = {"bind", "idmap"};

    ck_assert_int_eq(berth_mount_parse_options(opts, 2, "mounts[4]", &s, &err), 0);
    ck_assert(s.idmap && s.idmap_recursive && s.recursive);
    s = (struct berth_mount_step){0};
    ck_assert_int_eq(berth_mount_parse_options(opts2, 2, "mounts[4]", &s, &err), 0);
    ck_assert(s.idmap && !s.idmap_recursive);
    ck_assert_ptr_null(s.data); /* never passed to mount(2) (config.md) */
}
END_TEST

START_TEST(test_flags_to_attr)
{
    uint64_t set, clr;

    berth_mount_flags_to_attr(MS_RDONLY | MS_NOSUID, MS_NODEV, &set, &clr);
    ck_assert_uint_eq(set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID);
    ck_assert_uint_eq(clr, MOUNT_ATTR_NODEV);
    berth_mount_flags_to_attr(MS_NOATIME, 0, &set, &clr);
    ck_assert_uint_eq(set, MOUNT_ATTR_NOATIME);
    ck_assert_uint_eq(clr, MOUNT_ATTR__ATIME);
    berth_mount_flags_to_attr(0, 0, &set, &clr);
    ck_assert_uint_eq(set | clr, 0);
}
END_TEST

static oci_mount mnt(const char *dest, const char *type, const char *src, char **opts)
{
    size_t n = 0;

    while (opts && opts[n])
        n++;
    return (oci_mount){.destination = (char *)dest,
                       .type = (char *)type,
                       .source = (char *)src,
                       .options = opts,
                       .options_len = n};
}

START_TEST(test_plan)
{
    char *o_proc[] = {NULL};
    char *o_bind[] = {"rbind", "ro", NULL};
    char *o_sys[] = {"nosuid", "ro", NULL};
    char *o_cg[] = {"ro", NULL};
    char *o_tmp[] = {"mode=755", NULL};
    oci_mount mounts[] = {
        mnt("/proc", "proc", "proc", o_proc),
        mnt("/data", NULL, "data", o_bind),
        mnt("/sys", "sysfs", "sysfs", o_sys),
        mnt("/sys/fs/cgroup", "cgroup", "cgroup", o_cg),
        mnt("/etc/hosts", "bind", "/etc/hosts", NULL),
        mnt("/dev", "tmpfs", "tmpfs", o_tmp),
    };
    oci_namespace ns[] = {{.type = "pid"}, {.type = "mount"}};
    oci_linux linux_ = {.namespaces = ns, .namespaces_len = 2};
    oci_config cfg = {.mounts = mounts, .mounts_len = 6, .linux = &linux_};
    struct berth_mount_plan plan = {0};
    struct berth_mount_env env;
    berth_error_t err = NULL;

    berth_mount_env_init(&env, &cfg, "/bundle", false);
    ck_assert(!env.netns);
    ck_assert_int_eq(berth_mount_plan_build(&cfg, &env, &plan, &err), 0);
    ck_assert_uint_eq(plan.len, 6);
    ck_assert_str_eq(plan.steps[5].data, "mode=755");
    ck_assert_int_eq(plan.steps[0].kind, BERTH_MOUNT_FS);
    ck_assert_str_eq(plan.steps[0].source, "proc");
    /* config.md "Mounts": bind sources may be relative to the bundle */
    ck_assert_int_eq(plan.steps[1].kind, BERTH_MOUNT_BIND);
    ck_assert_str_eq(plan.steps[1].source, "/bundle/data");
    ck_assert(plan.steps[1].recursive);
    /* sysfs without a network namespace: a bind of the host /sys alone (not
     * its submounts), as runc; its "ro" comes at the end, with the cgroup
     * mount beneath it made (berth_mount_ro_late) */
    ck_assert_int_eq(plan.steps[2].kind, BERTH_MOUNT_BIND);
    ck_assert_str_eq(plan.steps[2].source, "/sys");
    ck_assert(!plan.steps[2].recursive);
    ck_assert(!(plan.steps[2].flags & MS_RDONLY));
    ck_assert(berth_mount_ro_late(&cfg, 2));
    ck_assert_int_eq(plan.steps[3].kind, BERTH_MOUNT_CGROUP);
    ck_assert_int_eq(plan.steps[4].kind, BERTH_MOUNT_BIND);
    ck_assert_ptr_eq(berth_mount_plan_find(&plan, "//sys/fs/cgroup/"), &plan.steps[3]);
    ck_assert_ptr_null(berth_mount_plan_find(&plan, "/sys/fs"));
    berth_mount_plan_free(&plan);

    /* mountLabel goes to the data of new filesystems, not proc or binds */
    berth_mount_env_init(&env, &cfg, "/bundle", false);
    env.mount_label = "system_u:object_r:container_file_t:s0:c1,c2";
    ck_assert_int_eq(berth_mount_plan_build(&cfg, &env, &plan, &err), 0);
    ck_assert_ptr_null(plan.steps[0].data);
    ck_assert_ptr_null(plan.steps[1].data);
    ck_assert_str_eq(plan.steps[5].data,
                     "mode=755,context=\"system_u:object_r:container_file_t:s0:c1,c2\"");
    berth_mount_plan_free(&plan);

    /* with a network namespace sysfs is mounted fresh */
    ns[1].type = "network";
    berth_mount_env_init(&env, &cfg, "/bundle", false);
    ck_assert_int_eq(berth_mount_plan_build(&cfg, &env, &plan, &err), 0);
    ck_assert_int_eq(plan.steps[2].kind, BERTH_MOUNT_FS);
    /* "ro" waits for the cgroup mount beneath it (berth_mount_ro_late) */
    ck_assert_uint_eq(plan.steps[2].flags, MS_NOSUID);
    berth_mount_plan_free(&plan);
    /* nothing beneath: ro at once */
    cfg.mounts_len = 3;
    ck_assert(!berth_mount_ro_late(&cfg, 2));
    ck_assert_int_eq(berth_mount_plan_build(&cfg, &env, &plan, &err), 0);
    ck_assert_uint_eq(plan.steps[2].flags, MS_NOSUID | MS_RDONLY);
    berth_mount_plan_free(&plan);
    /* /dev: always late, "rw" after "ro" wins */
    char *o_dev_ro[] = {"ro", NULL}, *o_dev_rw[] = {"ro", "rw", NULL};
    oci_mount dev[] = {mnt("/dev/", "tmpfs", "tmpfs", o_dev_ro),
                       mnt("/dev", "tmpfs", "t", o_dev_rw)};
    oci_config dcfg = {.mounts = dev, .mounts_len = 2};
    ck_assert(berth_mount_ro_late(&dcfg, 0));
    ck_assert(!berth_mount_ro_late(&dcfg, 1));
}
END_TEST

START_TEST(test_plan_errors)
{
    char *o_bind[] = {"bind", NULL};
    oci_mount mounts[] = {mnt("/proc", "proc", "proc", NULL), mnt("/x", NULL, NULL, o_bind)};
    oci_config cfg = {.mounts = mounts, .mounts_len = 2};
    struct berth_mount_plan plan = {0};
    struct berth_mount_env env;
    berth_error_t err = NULL;

    berth_mount_env_init(&env, &cfg, "/bundle", false);
    ck_assert_int_eq(berth_mount_plan_build(&cfg, &env, &plan, &err), -EINVAL);
    ck_assert_str_eq(err->msg, "mounts[1]: bind mount without a source");
    ck_assert_ptr_null(plan.steps);
    berth_error_release(&err);
}
END_TEST

/* ---- path-util: a temp dir plays the rootfs ---- */

static char tmpdir[] = "/tmp/berth-test-mount.XXXXXX";
static char rootdir[64];

static void path_setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(rootdir, sizeof(rootdir), "%s/root", tmpdir);
    ck_assert_int_eq(mkdir(rootdir, 0755), 0);
}

static void path_teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    (void)system(cmd);
}

/* lstat of tmpdir + suffix */
static bool exists(const char *suffix)
{
    char p[512];
    struct stat st;

    snprintf(p, sizeof(p), "%s%s", tmpdir, suffix);
    return lstat(p, &st) == 0;
}

START_TEST(test_path_rel)
{
    ck_assert_str_eq(berth_path_rel("//dev/pts"), "dev/pts");
    ck_assert_str_eq(berth_path_rel("/"), "");
    ck_assert_str_eq(berth_path_rel("rel"), "rel");
}
END_TEST

START_TEST(test_mkdir_in_root_symlinks)
{
    _cleanup_close_ int rootfd = open(rootdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    char link[128], outside[128];
    berth_error_t err = NULL;
    int fd;

    /* an absolute link to a place that exists on the host but not in the
     * root: it must be followed inside the root only */
    snprintf(outside, sizeof(outside), "%s/outside", tmpdir);
    ck_assert_int_eq(mkdir(outside, 0755), 0);
    snprintf(link, sizeof(link), "%s/abs", rootdir);
    ck_assert_int_eq(symlink(outside, link), 0);
    fd = berth_path_mkdir_in_root(rootfd, "/abs/x", 0755, &err);
    ck_assert_msg(fd >= 0, "%s", err ? err->msg : "");
    close(fd);
    ck_assert(!exists("/outside/x"));
    {
        char in[256];
        snprintf(in, sizeof(in), "/root%s/x", outside);
        ck_assert_msg(exists(in), "expected %s%s", tmpdir, in);
    }
    /* ../ cannot climb above the root */
    snprintf(link, sizeof(link), "%s/up", rootdir);
    ck_assert_int_eq(symlink("../../../../..", link), 0);
    fd = berth_path_mkdir_in_root(rootfd, "up/escaped", 0755, &err);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert(exists("/root/escaped"));
    ck_assert(!exists("/escaped"));
}
END_TEST

START_TEST(test_touch_and_open_in_root)
{
    _cleanup_close_ int rootfd = open(rootdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    berth_error_t err = NULL;
    char *name = NULL;
    struct stat st;
    int fd;

    fd = berth_path_touch_in_root(rootfd, "/etc/hosts", 0644, &err);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    close(fd);
    ck_assert(exists("/root/etc/hosts"));

    ck_assert_int_eq(berth_path_open_in_root(rootfd, "/nope", O_PATH, &err), -ENOENT);
    ck_assert_str_eq(err->msg, "open `/nope` in rootfs: No such file or directory");
    berth_error_release(&err);

    fd = berth_path_open_parent_in_root(rootfd, "/dev/pts/ptmx", &name, &err);
    ck_assert_int_ge(fd, 0);
    ck_assert_str_eq(name, "ptmx");
    ck_assert(exists("/root/dev/pts"));
    close(fd);
    free(name);
    ck_assert_int_eq(berth_path_open_parent_in_root(rootfd, "/", &name, &err), -EINVAL);
    berth_error_release(&err);
}
END_TEST

static Suite *mount_suite(void)
{
    Suite *s = suite_create("mount");
    TCase *tc = tcase_create("plan");
    TCase *tp = tcase_create("path");

    tcase_add_test(tc, test_option_table);
    tcase_add_test(tc, test_parse_flags_and_data);
    tcase_add_test(tc, test_parse_bind_propagation);
    tcase_add_test(tc, test_parse_recursive_attrs);
    tcase_add_test(tc, test_parse_unsupported);
    tcase_add_test(tc, test_flags_to_attr);
    tcase_add_test(tc, test_plan);
    tcase_add_test(tc, test_plan_errors);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(tp, path_setup, path_teardown);
    tcase_add_test(tp, test_path_rel);
    tcase_add_test(tp, test_mkdir_in_root_symlinks);
    tcase_add_test(tp, test_touch_and_open_in_root);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mount_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
