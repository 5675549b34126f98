/* test-exe-seal.c: unit tests of exe-seal.c (CVE-2019-5736): the sealed
 * handle is our own binary and cannot be written through, by either method;
 * the inherited-fd check refuses exactly the binary's fds that would reach
 * a container. The integration attacks are in test-exe-seal.sh. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/exe-seal.h"

static char tmpdir[] = "/tmp/berth-test-exe-seal.XXXXXX";

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    strcpy(tmpdir, "/tmp/berth-test-exe-seal.XXXXXX");
}

/* The handle is close-on-exec, has our binary's size, and nothing written
 * through it (the container's attack: reopen it for writing through
 * /proc/self/fd) lands: the overlay refuses the open (EROFS), the sealed
 * memfd every write (EPERM). */
static void check_sealed(int fd)
{
    struct stat self, st;
    char path[64];
    int wfd;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(stat("/proc/self/exe", &self), 0);
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert_int_eq(st.st_size, self.st_size);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    wfd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (wfd < 0) {
        ck_assert_int_eq(errno, EROFS);
    } else {
        ck_assert_int_lt(write(wfd, "x", 1), 0);
        ck_assert_int_eq(errno, EPERM);
        close(wfd);
    }
    ck_assert_int_lt(truncate(path, 0), 0);
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(st.st_size, self.st_size);
}

START_TEST(test_seal_overlay)
{
    _cleanup_error_ berth_error_t err = NULL;
    _cleanup_close_ int fd = -1;
    const char *method = NULL;
    struct statvfs sv;

    if (geteuid() != 0)
        return; /* mounting overlayfs needs CAP_SYS_ADMIN: the memfd test covers this */
    fd = berth_exe_seal(tmpdir, &method, &err);
    ck_assert_msg(fd >= 0, "%s", err ? err->msg : "");
    ck_assert_str_eq(method, "overlayfs");
    ck_assert_int_eq(fstatvfs(fd, &sv), 0);
    ck_assert(sv.f_flag & ST_RDONLY);
    check_sealed(fd);
}
END_TEST

START_TEST(test_seal_memfd)
{
    _cleanup_error_ berth_error_t err = NULL;
    _cleanup_close_ int fd = -1;
    const char *method = NULL;
    char exe[PATH_MAX], root[PATH_MAX + 16];
    ssize_t n;
    int seals;

    /* A state root inside the binary's directory: overlayfs refuses the
     * overlapping layers, so this is the fallback path. */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    ck_assert_int_gt(n, 0);
    exe[n] = '\0';
    snprintf(root, sizeof(root), "%s/seal-root.%d", dirname(exe), (int)getpid());
    ck_assert_int_eq(mkdir(root, 0700), 0);
    fd = berth_exe_seal(root, &method, &err);
    ck_assert_msg(fd >= 0, "%s", err ? err->msg : "");
    ck_assert_str_eq(method, "memfd");
    seals = fcntl(fd, F_GET_SEALS);
    ck_assert_int_eq(seals & (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE),
                     F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
    ck_assert_int_lt(fcntl(fd, F_ADD_SEALS, 0), 0); /* F_SEAL_SEAL: no more changes */
    check_sealed(fd);
    (void)rmdir(root);
}
END_TEST

START_TEST(test_inspect_writable)
{
    _cleanup_error_ berth_error_t err = NULL;
    struct berth_exe_id id = {0};
    struct stat self;

    /* the test binary sits in the build tree, on a writable filesystem */
    ck_assert_int_eq(berth_exe_inspect(&id, &err), BERTH_EXE_WRITABLE);
    ck_assert_int_eq(stat("/proc/self/exe", &self), 0);
    ck_assert_uint_eq(id.dev, self.st_dev);
    ck_assert_uint_eq(id.ino, self.st_ino);
}
END_TEST

START_TEST(test_inherited_fds)
{
    _cleanup_error_ berth_error_t err = NULL;
    struct berth_exe_id origin, none = {0, 0};
    char path[PATH_MAX];
    struct stat st;
    int fd, high;

    snprintf(path, sizeof(path), "%s/binary", tmpdir);
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fstat(fd, &st), 0);
    origin = (struct berth_exe_id){st.st_dev, st.st_ino};
    /* the caller's fd 3+N-1 (no close-on-exec) is the binary: refused */
    high = fcntl(fd, F_DUPFD, 10);
    ck_assert_int_ge(high, 10);
    ck_assert_int_lt(berth_exe_check_inherited_fds(&origin, high - 3 + 1, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "is berth's own executable"));
    berth_error_release(&err);
    /* outside the preserved range it never reaches the container */
    ck_assert_int_eq(berth_exe_check_inherited_fds(&origin, high - 3, &err), 0);
    /* close-on-exec: one of berth's own, closed at the execve */
    ck_assert_int_eq(fcntl(high, F_SETFD, FD_CLOEXEC), 0);
    ck_assert_int_eq(berth_exe_check_inherited_fds(&origin, high - 3 + 1, &err), 0);
    ck_assert_int_eq(fcntl(high, F_SETFD, 0), 0);
    /* an unknown origin checks nothing */
    ck_assert_int_eq(berth_exe_check_inherited_fds(&none, high - 3 + 1, &err), 0);
    close(high);
    close(fd);
}
END_TEST

START_TEST(test_id_round_trip)
{
    struct berth_exe_id id = {2049, 123456789}, back = {0};
    char buf[64];

    berth_exe_id_format(&id, buf, sizeof(buf));
    ck_assert_str_eq(buf, "2049:123456789");
    ck_assert(berth_exe_id_parse(buf, &back));
    ck_assert_uint_eq(back.dev, id.dev);
    ck_assert_uint_eq(back.ino, id.ino);
    ck_assert(!berth_exe_id_parse("2049", &back));
    ck_assert(!berth_exe_id_parse("1:2:3", &back));
    ck_assert(!berth_exe_id_parse("1:2x", &back));
    ck_assert(!berth_exe_id_parse(NULL, &back));
}
END_TEST

static Suite *exe_seal_suite(void)
{
    Suite *s = suite_create("exe-seal");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_seal_overlay);
    tcase_add_test(tc, test_seal_memfd);
    tcase_add_test(tc, test_inspect_writable);
    tcase_add_test(tc, test_inherited_fds);
    tcase_add_test(tc, test_id_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(exe_seal_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
