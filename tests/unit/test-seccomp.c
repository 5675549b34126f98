/* test-seccomp.c: unit tests of the seccomp module (src/libberth/security/seccomp.c,
 * seccomp-notify.c) with check.
 *
 * Filters are built from linux.seccomp JSON (single quotes stand for double
 * quotes) and then loaded in a forked child, which makes the syscalls under
 * test and reports what happened through its exit status; the parent
 * asserts the observed effect (errno values, SIGSYS, notified syscalls), not
 * just that building succeeded.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "container/berth-features.h"
#include "security/berth-seccomp.h"
#include "oci-types.h"
#include "security/seccomp-notify.h"
#include "security/seccomp-cache.h"
#include "util/sha256.h"

/* ---- helpers ---------------------------------------------------------------- */

static oci_config *cfg;

static void cfg_free(void)
{
    oci_config_free(cfg);
    cfg = NULL;
}

/* Parses {"ociVersion","root","linux":{"seccomp":{<members>}}}. */
static const oci_seccomp *parse(const char *members)
{
    char *json = NULL;
    struct oci_diags diags = {0};
    char buf[256];

    ck_assert_int_ge(asprintf(&json,
                              "{'ociVersion':'1.3.0','root':{'path':'r'},'linux':{'seccomp':{%s}}}",
                              members),
                     0);
    for (char *p = json; *p; p++)
        if (*p == '\'')
            *p = '"';
    cfg_free();
    cfg = oci_parse(&oci_config_desc, json, strlen(json), &diags);
    ck_assert_msg(cfg != NULL, "parse %s: %s", json,
                  oci_diags_first_error(&diags, buf, sizeof(buf)) ?: "?");
    oci_diags_clear(&diags);
    free(json);
    return cfg->linux->seccomp;
}

static struct berth_seccomp *build_ok(const char *members)
{
    struct berth_seccomp *f = NULL;
    berth_error_t err = NULL;
    int r = berth_seccomp_build(parse(members), NULL, &f, &err);

    ck_assert_msg(r == 0, "build {%s}: %s", members, err ? err->msg : "?");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_gt(f->prog.len, 0);
    return f;
}

/* Building must fail with a message containing `text`. */
static void build_fails(const char *members, const char *text)
{
    struct berth_seccomp *f = NULL;
    berth_error_t err = NULL;
    int r = berth_seccomp_build(parse(members), NULL, &f, &err);

    ck_assert_msg(r < 0, "build {%s} succeeded", members);
    ck_assert_ptr_null(f);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err->msg, text), "message \"%s\" lacks \"%s\"", err->msg, text);
    berth_error_release(&err);
}

static void patch(char **field, const char *from, const char *to)
{
    if (*field && strcmp(*field, from) == 0) {
        free(*field);
        *field = strdup(to);
    }
}

/* Like build_fails, for values the schema already rejects at parse time:
 * a valid `from` is parsed and then replaced by `to` everywhere, so the
 * module's own (defensive) check runs. */
static void build_fails_patched(const char *members, const char *from, const char *to,
                                const char *text)
{
    oci_seccomp *s = (oci_seccomp *)parse(members);
    struct berth_seccomp *f = NULL;
    berth_error_t err = NULL;

    patch(&s->defaultAction, from, to);
    for (size_t i = 0; i < s->architectures_len; i++)
        patch(&s->architectures[i], from, to);
    for (size_t i = 0; i < s->flags_len; i++)
        patch(&s->flags[i], from, to);
    for (size_t i = 0; i < s->syscalls_len; i++) {
        patch(&s->syscalls[i].action, from, to);
        for (size_t j = 0; j < s->syscalls[i].args_len; j++)
            patch(&s->syscalls[i].args[j].op, from, to);
    }
    ck_assert_int_lt(berth_seccomp_build(s, NULL, &f, &err), 0);
    ck_assert_ptr_null(f);
    ck_assert_msg(strstr(err->msg, text), "message \"%s\" lacks \"%s\"", err->msg, text);
    berth_error_release(&err);
}

/* Loads f in a child (with no_new_privs, so no privilege is needed) and
 * runs fn there; returns the child's wait status. */
static int run_filtered(struct berth_seccomp *f, int (*fn)(void))
{
    int status;
    pid_t pid = fork();

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        berth_error_t err = NULL;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || berth_seccomp_load(f, NULL, &err) < 0)
            _exit(250);
        /* exit_group directly: a sanitizer's _exit interceptor would run
         * a leak check whose syscalls the filter may refuse */
        syscall(SYS_exit_group, fn());
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return status;
}

static int exit_code(int status)
{
    ck_assert_msg(WIFEXITED(status), "child did not exit (status 0x%x)", status);
    return WEXITSTATUS(status);
}

/* errno of a failed raw syscall, 0 on success (the child's exit code). */
#define ERRNO_OF(call) ((call) < 0 ? errno : 0)

static int do_getcwd(void)
{
    char buf[64];
    return ERRNO_OF(syscall(SYS_getcwd, buf, sizeof(buf)));
}

static int do_getppid(void)
{
    return ERRNO_OF(syscall(SYS_getppid));
}

/* ---- actions ---------------------------------------------------------------- */

START_TEST(errno_default_eperm)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd','chmod'],"
                 "'action':'SCMP_ACT_ERRNO'}]");

    ck_assert_uint_eq(f->rules, 2);
    ck_assert(!f->notify);
    ck_assert_int_eq(exit_code(run_filtered(f, do_getcwd)), EPERM);
    ck_assert_int_eq(exit_code(run_filtered(f, do_getppid)), 0);
    berth_seccomp_free(f);
}
END_TEST

START_TEST(errno_ret)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd'],"
                 "'action':'SCMP_ACT_ERRNO','errnoRet':42}]");

    ck_assert_int_eq(exit_code(run_filtered(f, do_getcwd)), 42);
    berth_seccomp_free(f);
}
END_TEST

/* defaultErrnoRet applies to every syscall the list does not allow. */
START_TEST(default_errno_ret_and_allow)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':13,'syscalls':[{'names':"
                 "['exit_group','exit','getppid'],'action':'SCMP_ACT_ALLOW'}]");

    ck_assert_int_eq(exit_code(run_filtered(f, do_getcwd)), EACCES);
    ck_assert_int_eq(exit_code(run_filtered(f, do_getppid)), 0);
    berth_seccomp_free(f);
}
END_TEST

static int expect_sigsys(const char *action)
{
    char members[200];
    struct berth_seccomp *f;
    int status;

    snprintf(members, sizeof(members),
             "'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],'action':'%s'}]",
             action);
    f = build_ok(members);
    status = run_filtered(f, do_getppid);
    berth_seccomp_free(f);
    ck_assert_msg(WIFSIGNALED(status), "%s: child exited with %d", action, WEXITSTATUS(status));
    return WTERMSIG(status);
}

START_TEST(kill_actions)
{
    /* SCMP_ACT_KILL is KILL_THREAD; the child has one thread, so all three
     * end the process with SIGSYS. */
    ck_assert_int_eq(expect_sigsys("SCMP_ACT_KILL"), SIGSYS);
    ck_assert_int_eq(expect_sigsys("SCMP_ACT_KILL_THREAD"), SIGSYS);
    ck_assert_int_eq(expect_sigsys("SCMP_ACT_KILL_PROCESS"), SIGSYS);
}
END_TEST

static volatile sig_atomic_t trapped_code;

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    trapped_code = si->si_code;
}

static int do_trapped_getppid(void)
{
    struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};

    sigaction(SIGSYS, &sa, NULL);
    (void)syscall(SYS_getppid);
    return trapped_code == 1 /* SYS_SECCOMP */ ? 0 : 1;
}

/* TRAP delivers a catchable SIGSYS with si_code SYS_SECCOMP, unlike KILL. */
START_TEST(trap)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getppid'],"
                 "'action':'SCMP_ACT_TRAP'}]");

    ck_assert_int_eq(exit_code(run_filtered(f, do_trapped_getppid)), 0);
    berth_seccomp_free(f);
}
END_TEST

/* TRACE without a tracer: seccomp(2) fails the syscall with ENOSYS. */
START_TEST(trace_without_tracer)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd'],"
                 "'action':'SCMP_ACT_TRACE','errnoRet':7}]");

    ck_assert_int_eq(exit_code(run_filtered(f, do_getcwd)), ENOSYS);
    berth_seccomp_free(f);
}
END_TEST

START_TEST(log_allows)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['exit_group','exit'],"
                 "'action':'SCMP_ACT_ALLOW'},{'names':['getppid'],'action':'SCMP_ACT_LOG'}]");

    ck_assert_int_eq(exit_code(run_filtered(f, do_getppid)), 0);
    ck_assert_int_eq(exit_code(run_filtered(f, do_getcwd)), EPERM);
    berth_seccomp_free(f);
}
END_TEST

/* A rule with the default action changes nothing and is dropped (libseccomp
 * would refuse it); a different errno is a different action. */
START_TEST(rule_equal_to_default_dropped)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['getcwd'],"
                 "'action':'SCMP_ACT_ERRNO'},{'names':['exit_group'],'action':'SCMP_ACT_ALLOW'},"
                 "{'names':['getppid'],'action':'SCMP_ACT_ERRNO','errnoRet':5}]");

    ck_assert_uint_eq(f->rules, 2);
    ck_assert_int_eq(exit_code(run_filtered(f, do_getppid)), EIO);
    berth_seccomp_free(f);
}
END_TEST

/* ---- arguments ---------------------------------------------------------------- */

/* getpgid(pid) has one harmless argument. A matched call fails with EDOM
 * (the rules' errnoRet); the child returns a bitmask of matched values. */
static const long probe_values[] = {0, 5, 6, 9, 10, 11, 0x25, 0x35};
#define N_PROBES (sizeof(probe_values) / sizeof(probe_values[0]))

static int probe_getpgid(void)
{
    int mask = 0;

    for (size_t i = 0; i < N_PROBES; i++)
        if (syscall(SYS_getpgid, probe_values[i]) < 0 && errno == EDOM)
            mask |= 1 << i;
    return mask;
}

static int matched_mask(const char *args)
{
    char members[400];
    struct berth_seccomp *f;
    int code;

    snprintf(members, sizeof(members),
             "'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getpgid'],"
             "'action':'SCMP_ACT_ERRNO','errnoRet':33,'args':[%s]}]",
             args);
    f = build_ok(members);
    code = exit_code(run_filtered(f, probe_getpgid));
    berth_seccomp_free(f);
    return code;
}

/* bit i = probe_values[i] matched: 0 5 6 9 10 11 0x25 0x35 */
#define BITS(a, b, c, d, e, f_, g, h)                                                              \
    ((a) | (b) << 1 | (c) << 2 | (d) << 3 | (e) << 4 | (f_) << 5 | (g) << 6 | (h) << 7)

START_TEST(operators)
{
    ck_assert_int_eq(matched_mask("{'index':0,'value':10,'op':'SCMP_CMP_EQ'}"),
                     BITS(0, 0, 0, 0, 1, 0, 0, 0));
    ck_assert_int_eq(matched_mask("{'index':0,'value':10,'op':'SCMP_CMP_NE'}"),
                     BITS(1, 1, 1, 1, 0, 1, 1, 1));
    ck_assert_int_eq(matched_mask("{'index':0,'value':10,'op':'SCMP_CMP_LT'}"),
                     BITS(1, 1, 1, 1, 0, 0, 0, 0));
    ck_assert_int_eq(matched_mask("{'index':0,'value':10,'op':'SCMP_CMP_LE'}"),
                     BITS(1, 1, 1, 1, 1, 0, 0, 0));
    ck_assert_int_eq(matched_mask("{'index':0,'value':10,'op':'SCMP_CMP_GE'}"),
                     BITS(0, 0, 0, 0, 1, 1, 1, 1));
    ck_assert_int_eq(matched_mask("{'index':0,'value':10,'op':'SCMP_CMP_GT'}"),
                     BITS(0, 0, 0, 0, 0, 1, 1, 1));
    /* (arg & value) == valueTwo: 0x25 & 0xf0 == 0x20, 0x35 & 0xf0 != 0x20 */
    ck_assert_int_eq(
        matched_mask("{'index':0,'value':240,'valueTwo':32,'op':'SCMP_CMP_MASKED_EQ'}"),
        BITS(0, 0, 0, 0, 0, 0, 1, 0));
}
END_TEST

/* Several conditions on the same argument: one rule each (OR), as runc. */
START_TEST(same_index_args_are_ored)
{
    ck_assert_int_eq(matched_mask("{'index':0,'value':5,'op':'SCMP_CMP_EQ'},"
                                  "{'index':0,'value':11,'op':'SCMP_CMP_EQ'}"),
                     BITS(0, 1, 0, 0, 0, 1, 0, 0));
    /* GE 6 "and" LE 10 would be 6, 9, 10; OR-ed it is everything. */
    ck_assert_int_eq(matched_mask("{'index':0,'value':6,'op':'SCMP_CMP_GE'},"
                                  "{'index':0,'value':10,'op':'SCMP_CMP_LE'}"),
                     BITS(1, 1, 1, 1, 1, 1, 1, 1));
}
END_TEST

/* getpriority(which, who): both conditions must hold (AND, one rule). */
static int probe_getpriority(void)
{
    int mask = 0;

    if (syscall(SYS_getpriority, PRIO_PROCESS, 12345) < 0 && errno == EDOM)
        mask |= 1;
    if (syscall(SYS_getpriority, PRIO_PROCESS, 0) < 0 && errno == EDOM)
        mask |= 2;
    if (syscall(SYS_getpriority, PRIO_PGRP, 12345) < 0 && errno == EDOM)
        mask |= 4;
    return mask;
}

START_TEST(distinct_index_args_are_anded)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getpriority'],"
                 "'action':'SCMP_ACT_ERRNO','errnoRet':33,'args':["
                 "{'index':0,'value':0,'op':'SCMP_CMP_EQ'},"
                 "{'index':1,'value':12345,'op':'SCMP_CMP_EQ'}]}]");

    ck_assert_uint_eq(f->rules, 1);
    ck_assert_int_eq(exit_code(run_filtered(f, probe_getpriority)), 1);
    berth_seccomp_free(f);
}
END_TEST

/* ---- names, architectures, flags ------------------------------------------------ */

START_TEST(unknown_names_skipped)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['no_such_call_x',"
                 "'getcwd','no_such_call_y'],'action':'SCMP_ACT_ERRNO'}]");

    ck_assert_uint_eq(f->rules, 1);
    ck_assert_uint_eq(f->unknown_len, 2);
    ck_assert_str_eq(f->unknown[0], "no_such_call_x");
    ck_assert_str_eq(f->unknown[1], "no_such_call_y");
    ck_assert_ptr_null(f->unknown[2]);
    ck_assert_int_eq(exit_code(run_filtered(f, do_getcwd)), EPERM);
    berth_seccomp_free(f);
}
END_TEST

START_TEST(architectures)
{
    struct berth_seccomp *one =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd'],"
                 "'action':'SCMP_ACT_ERRNO'}]");
    struct berth_seccomp *three =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64',"
                 "'SCMP_ARCH_X86','SCMP_ARCH_X32'],'syscalls':[{'names':['getcwd'],"
                 "'action':'SCMP_ACT_ERRNO'}]");

    /* more architectures, more arch checks and rule blocks in the BPF */
    ck_assert_uint_gt(three->prog.len, one->prog.len);
    ck_assert_int_eq(exit_code(run_filtered(three, do_getcwd)), EPERM);
    berth_seccomp_free(one);
    berth_seccomp_free(three);
    build_fails_patched("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86']",
                        "SCMP_ARCH_X86", "SCMP_ARCH_VAX", "architecture `SCMP_ARCH_VAX`");
    build_fails_patched("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86']",
                        "SCMP_ARCH_X86", "x86_64", "unknown architecture `x86_64`");
    /* in the spec's list, but only libseccomp >= 2.6 knows it */
    if (seccomp_arch_resolve_name("sheb") == 0)
        build_fails("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_SHEB']",
                    "architecture `SCMP_ARCH_SHEB` is not supported by libseccomp");
}
END_TEST

static bool host_supports(const char *flag)
{
    char **v = NULL;
    size_t n = 0;
    berth_error_t err = NULL;
    bool found = false;

    ck_assert_int_eq(berth_seccomp_supported_flags(oci_seccomp_flags, &v, &n, &err), 0);
    for (size_t i = 0; i < n; i++) {
        found = found || strcmp(v[i], flag) == 0;
        free(v[i]);
    }
    free(v);
    return found;
}

static void check_flag(const char *name, unsigned int bit, bool needs_notify)
{
    char members[400];

    snprintf(members, sizeof(members),
             "'defaultAction':'SCMP_ACT_ALLOW','flags':['%s'],%s'syscalls':[{'names':['getcwd'],"
             "'action':'%s'}]",
             name, needs_notify ? "'listenerPath':'/run/x.sock'," : "",
             needs_notify ? "SCMP_ACT_NOTIFY" : "SCMP_ACT_ERRNO");
    if (host_supports(name)) {
        struct berth_seccomp *f = build_ok(members);
        ck_assert_msg(f->flags & bit, "%s not set (flags 0x%x)", name, f->flags);
        if (!needs_notify)
            ck_assert_int_eq(exit_code(run_filtered(f, do_getcwd)), EPERM);
        berth_seccomp_free(f);
    } else {
        build_fails(members, name);
    }
}

START_TEST(flags)
{
    check_flag("SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC, false);
    check_flag("SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG, false);
    check_flag("SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW, false);
    check_flag("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 1U << 5, true);
    build_fails_patched("'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_LOG']",
                        "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_BOGUS",
                        "unknown flag `SECCOMP_FILTER_FLAG_BOGUS`");
}
END_TEST

/* ---- errors --------------------------------------------------------------------- */

START_TEST(errors)
{
    build_fails_patched("'defaultAction':'SCMP_ACT_TRAP'", "SCMP_ACT_TRAP", "SCMP_ACT_NOPE",
                        "defaultAction: unknown action `SCMP_ACT_NOPE`");
    build_fails_patched("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd'],"
                        "'action':'SCMP_ACT_TRAP'}]",
                        "SCMP_ACT_TRAP", "SCMP_ACT_EXPLODE",
                        "syscalls[0]: unknown action `SCMP_ACT_EXPLODE`");
    /* config-linux.md: errnoRet on an action without errno MUST fail */
    build_fails("'defaultAction':'SCMP_ACT_ALLOW','defaultErrnoRet':1",
                "defaultAction: errnoRet is set but action `SCMP_ACT_ALLOW`");
    build_fails("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd'],"
                "'action':'SCMP_ACT_KILL','errnoRet':1}]",
                "syscalls[0]: errnoRet is set but action `SCMP_ACT_KILL`");
    build_fails("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x','syscalls':[{'names':"
                "['getcwd'],'action':'SCMP_ACT_NOTIFY','errnoRet':1}]",
                "errnoRet is set but action `SCMP_ACT_NOTIFY`");
    build_fails_patched("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd'],"
                        "'action':'SCMP_ACT_ERRNO','args':[{'index':0,'value':1,"
                        "'op':'SCMP_CMP_EQ'}]}]",
                        "SCMP_CMP_EQ", "SCMP_CMP_ABOUT",
                        "syscalls[0].args[0]: unknown operator `SCMP_CMP_ABOUT`");
    build_fails("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['getcwd'],"
                "'action':'SCMP_ACT_ERRNO','args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]",
                "index 6 is outside 0..5");
    build_fails("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':70000",
                "errnoRet 70000 is larger than 65535");
    /* NOTIFY needs a listener, and cannot be the default */
    build_fails("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],"
                "'action':'SCMP_ACT_NOTIFY'}]",
                "listenerPath is not set");
    build_fails("'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/x'",
                "SCMP_ACT_NOTIFY cannot be the default action");
}
END_TEST

/* Without no_new_privs and without CAP_SYS_ADMIN the kernel refuses; the
 * message says what is missing. Needs root to become unprivileged. */
START_TEST(load_needs_nnp_or_cap)
{
    struct berth_seccomp *f;
    int status;
    pid_t pid;

    if (geteuid() != 0) {
        fprintf(stderr, "# SKIP load_needs_nnp_or_cap: needs root to drop privileges\n");
        return;
    }
    f = build_ok("'defaultAction':'SCMP_ACT_ALLOW'");
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        berth_error_t err = NULL;
        if (setresuid(65534, 65534, 65534) < 0)
            _exit(2);
        if (berth_seccomp_load(f, NULL, &err) == 0)
            _exit(3);
        _exit(err->status == EACCES && strstr(err->msg, "noNewPrivileges") ? 0 : 4);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(exit_code(status), 0);
    berth_seccomp_free(f);
}
END_TEST

/* ---- SCMP_ACT_NOTIFY ------------------------------------------------------------- */

/* The child loads a filter that notifies getppid, then calls it; the parent
 * takes the listener fd out of the child (no help from it), answers the
 * notification with 4242, and the child reports the value it got. */
START_TEST(notify_take_and_answer)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/unused.sock',"
                 "'syscalls':[{'names':['getppid'],'action':'SCMP_ACT_NOTIFY'}]");
    struct seccomp_notif req;
    struct seccomp_notif_resp resp;
    berth_error_t err = NULL;
    int pidfd, fd = -1, status;
    pid_t pid;

    ck_assert(f->notify);
    ck_assert(f->handover != NULL);
    ck_assert_int_eq(*f->handover, BERTH_SECCOMP_SLOT_PENDING);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int nfd = -1;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || berth_seccomp_load(f, &nfd, &err) < 0)
            _exit(250);
        if (nfd < 0 || !(fcntl(nfd, F_GETFD) & FD_CLOEXEC))
            _exit(251);
        _exit(syscall(SYS_getppid) == 4242 ? 0 : 1);
    }
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    ck_assert_int_ge(pidfd, 0);
    ck_assert_msg(berth_seccomp_notify_take(f, pidfd, &fd, &err) == 0, "take: %s",
                  err ? err->msg : "?");
    ck_assert_int_ge(fd, 0);
    memset(&req, 0, sizeof(req));
    ck_assert_int_eq(ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req), 0);
    ck_assert_int_eq(req.pid, pid);
    ck_assert_int_eq(req.data.nr, SYS_getppid);
    resp = (struct seccomp_notif_resp){.id = req.id, .val = 4242};
    ck_assert_int_eq(ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(exit_code(status), 0);
    close(fd);
    close(pidfd);
    berth_seccomp_free(f);
}
END_TEST

/* A child that dies before loading must not hang take(). */
START_TEST(notify_take_init_died)
{
    struct berth_seccomp *f =
        build_ok("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/unused.sock',"
                 "'syscalls':[{'names':['getppid'],'action':'SCMP_ACT_NOTIFY'}]");
    berth_error_t err = NULL;
    int pidfd, fd = -1;
    pid_t pid = fork();

    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    ck_assert_int_ge(pidfd, 0);
    ck_assert_int_lt(berth_seccomp_notify_take(f, pidfd, &fd, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "exited before loading"));
    berth_error_release(&err);
    waitpid(pid, NULL, 0);
    close(pidfd);
    berth_seccomp_free(f);
}
END_TEST

/* A failed load reaches take() as "no fd": the parent then reads the
 * init's ERROR message instead of waiting forever. */
START_TEST(notify_take_load_failed)
{
    struct berth_seccomp *f;
    berth_error_t err = NULL;
    int pidfd, fd = 0, status;
    pid_t pid;

    if (geteuid() != 0) {
        fprintf(stderr, "# SKIP notify_take_load_failed: needs root to drop privileges\n");
        return;
    }
    f = build_ok("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/unused.sock',"
                 "'syscalls':[{'names':['getppid'],'action':'SCMP_ACT_NOTIFY'}]");
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        /* no no_new_privs, no CAP_SYS_ADMIN: seccomp(2) fails with EACCES */
        if (setresuid(65534, 65534, 65534) < 0)
            _exit(2);
        _exit(berth_seccomp_load(f, NULL, &err) < 0 ? 0 : 3);
    }
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    ck_assert_int_ge(pidfd, 0);
    ck_assert_int_eq(berth_seccomp_notify_take(f, pidfd, &fd, &err), 0);
    ck_assert_int_eq(fd, -1);
    ck_assert_int_eq(*f->handover, -EACCES);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(exit_code(status), 0);
    close(pidfd);
    berth_seccomp_free(f);
}
END_TEST

static oci_state *make_state(void)
{
    static const char json[] = "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\","
                               "\"pid\":4422,\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}";
    oci_state *s = oci_parse(&oci_state_desc, json, strlen(json), NULL);

    ck_assert_ptr_nonnull(s);
    return s;
}

START_TEST(state_json)
{
    oci_state *s = make_state();
    berth_error_t err = NULL;
    char *json = NULL;

    ck_assert_int_eq(berth_seccomp_state_json("a\"b\\c\n", s, &json, &err), 0);
    ck_assert_str_eq(json, "{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,"
                           "\"metadata\":\"a\\\"b\\\\c\\n\",\"state\":{\"ociVersion\":"
                           "\"1.3.0\",\"id\":\"c1\",\"pid\":4422,\"status\":\"creating\","
                           "\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"}}}");
    free(json);
    /* metadata is optional */
    ck_assert_int_eq(berth_seccomp_state_json(NULL, s, &json, &err), 0);
    ck_assert_ptr_null(strstr(json, "metadata"));
    free(json);
    oci_free(&oci_state_desc, s);
}
END_TEST

/* notify_send: one connection, the JSON plus the fd, then EOF. */
START_TEST(notify_send)
{
    char dir[] = "/tmp/berth-seccomp-XXXXXX";
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    char buf[4096] = {0};
    union {
        char b[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf) - 1};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.b,
                         .msg_controllen = sizeof(control.b)};
    oci_state *s = make_state();
    berth_error_t err = NULL;
    struct stat a, b;
    int lsock, conn, sent_fd, got_fd;
    ssize_t n;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/l.sock", dir);
    lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_eq(bind(lsock, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(listen(lsock, 1), 0);
    sent_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ck_assert_msg(berth_seccomp_notify_send(addr.sun_path, "meta", s, sent_fd, &err) == 0,
                  "send: %s", err ? err->msg : "?");
    conn = accept(lsock, NULL, NULL);
    ck_assert_int_ge(conn, 0);
    n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
    ck_assert_int_gt(n, 0);
    ck_assert_ptr_nonnull(strstr(buf, "\"fds\":[\"seccompFd\"]"));
    ck_assert_ptr_nonnull(strstr(buf, "\"metadata\":\"meta\""));
    ck_assert_ptr_nonnull(CMSG_FIRSTHDR(&msg));
    ck_assert_int_eq(CMSG_FIRSTHDR(&msg)->cmsg_type, SCM_RIGHTS);
    memcpy(&got_fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
    ck_assert_int_eq(fstat(sent_fd, &a), 0);
    ck_assert_int_eq(fstat(got_fd, &b), 0);
    ck_assert(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    /* the runtime closed the connection after one state */
    ck_assert_int_eq(read(conn, buf, sizeof(buf)), 0);
    close(got_fd);
    close(conn);
    close(lsock);
    unlink(addr.sun_path);

    /* nobody listening any more: an error naming the path */
    ck_assert_int_lt(berth_seccomp_notify_send(addr.sun_path, NULL, s, sent_fd, &err), 0);
    ck_assert_ptr_nonnull(strstr(err->msg, "connect to listenerPath"));
    ck_assert_ptr_nonnull(strstr(err->msg, addr.sun_path));
    berth_error_release(&err);
    close(sent_fd);
    rmdir(dir);
    oci_free(&oci_state_desc, s);
}
END_TEST

/* ---- kept programs (seccomp-cache.c) ------------------------------------- */

static void hex_of(const void *data, size_t n, char out[2 * BERTH_SHA256_LEN + 1])
{
    uint8_t d[BERTH_SHA256_LEN];

    berth_sha256(data, n, d);
    berth_sha256_hex(d, out);
}

/* FIPS 180-4 example vectors, and a message fed in odd pieces. */
START_TEST(sha256_vectors)
{
    static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[2 * BERTH_SHA256_LEN + 1];
    struct berth_sha256 c;
    uint8_t d[BERTH_SHA256_LEN];
    char *million = malloc(1000000);

    hex_of("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hex_of(m448, strlen(m448), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', 1000000);
    berth_sha256_init(&c);
    for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 7 % 977 + 1)
        berth_sha256_update(&c, million + off, off + step > 1000000 ? 1000000 - off : step);
    berth_sha256_final(&c, d);
    berth_sha256_hex(d, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}
END_TEST

#define KEPT_PROFILE                                                                               \
    "'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdir'],'action':'SCMP_ACT_ERRNO'}]"

/* The key covers every member of the profile, and nothing else varies. */
START_TEST(key_covers_profile)
{
    uint8_t a[BERTH_SHA256_LEN], b[BERTH_SHA256_LEN], c[BERTH_SHA256_LEN];
    berth_error_t err = NULL;

    ck_assert_int_eq(berth_seccomp_key(parse(KEPT_PROFILE), a, &err), 0);
    ck_assert_int_eq(berth_seccomp_key(parse(KEPT_PROFILE), b, &err), 0);
    ck_assert_mem_eq(a, b, sizeof(a));
    ck_assert_int_eq(berth_seccomp_key(parse("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{"
                                             "'names':['mkdir'],'action':'SCMP_ACT_ERRNO',"
                                             "'errnoRet':1}]"),
                                       c, &err),
                     0);
    ck_assert_mem_ne(a, c, sizeof(a));
    ck_assert_int_eq(berth_seccomp_key(parse(KEPT_PROFILE ",'listenerMetadata':'x'"), c, &err), 0);
    ck_assert_mem_ne(a, c, sizeof(a));
}
END_TEST

static int tmp_dir(char *path)
{
    ck_assert_ptr_nonnull(mkdtemp(path));
    return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Writes `f`'s program as NAME in dirfd, then damages it with `how`. */
static const char *refusal(int dirfd, const struct berth_seccomp *f, const char *how)
{
    struct sock_fprog prog = {0};
    const char *why = NULL;
    berth_error_t err = NULL;
    int fd, r;

    ck_assert_int_eq(berth_seccomp_entry_write(dirfd, "e", f->key, &f->prog, &err), 0);
    fd = openat(dirfd, "e", O_RDWR | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    if (strcmp(how, "flip") == 0)
        ck_assert_int_eq(pwrite(fd, "\xff", 1, 90), 1);
    else if (strcmp(how, "truncate") == 0)
        ck_assert_int_eq(ftruncate(fd, 80 + 8 * (f->prog.len - 1)), 0);
    else if (strcmp(how, "mode") == 0)
        ck_assert_int_eq(fchmod(fd, 0620), 0);
    else if (strcmp(how, "magic") == 0)
        ck_assert_int_eq(pwrite(fd, "X", 1, 0), 1);
    close(fd);
    if (strcmp(how, "key") == 0) {
        uint8_t other[BERTH_SHA256_LEN];
        memcpy(other, f->key, sizeof(other));
        other[0] ^= 1;
        r = berth_seccomp_entry_read(dirfd, "e", other, &prog, &why);
    } else {
        r = berth_seccomp_entry_read(dirfd, "e", f->key, &prog, &why);
    }
    ck_assert_int_eq(r, -EBADMSG);
    ck_assert_ptr_null(prog.filter);
    unlinkat(dirfd, "e", 0);
    return why;
}

START_TEST(entry_checks)
{
    char path[] = "/tmp/berth-unit-seccomp.XXXXXX";
    int dirfd = tmp_dir(path);
    struct berth_seccomp *f = build_ok(KEPT_PROFILE);
    struct sock_fprog prog = {0};
    const char *why = NULL;
    berth_error_t err = NULL;

    ck_assert_int_eq(berth_seccomp_entry_read(dirfd, "e", f->key, &prog, &why), -ENOENT);
    ck_assert_int_eq(berth_seccomp_entry_write(dirfd, "e", f->key, &f->prog, &err), 0);
    ck_assert_int_eq(berth_seccomp_entry_read(dirfd, "e", f->key, &prog, &why), 0);
    ck_assert_int_eq(prog.len, f->prog.len);
    ck_assert_mem_eq(prog.filter, f->prog.filter, f->prog.len * sizeof(struct sock_filter));
    free(prog.filter);
    unlinkat(dirfd, "e", 0);
    ck_assert_str_eq(refusal(dirfd, f, "flip"), "its checksum does not match");
    ck_assert_str_eq(refusal(dirfd, f, "truncate"), "truncated or of a wrong length");
    ck_assert_str_eq(refusal(dirfd, f, "mode"), "owned by another user or writable by others");
    ck_assert_str_eq(refusal(dirfd, f, "magic"), "not a berth seccomp program");
    ck_assert_str_eq(refusal(dirfd, f, "key"), "written for another profile or build");
    berth_seccomp_free(f);
    close(dirfd);
    rmdir(path);
}
END_TEST

/* Compiled once, saved, then found: the same program, byte for byte. */
START_TEST(build_from_places)
{
    char cpath[] = "/tmp/berth-unit-cache.XXXXXX", spath[] = "/tmp/berth-unit-state.XXXXXX";
    struct berth_seccomp_places at = {.container_dirfd = tmp_dir(spath),
                                      .cache_dirfd = tmp_dir(cpath)};
    struct berth_seccomp *a = NULL, *b = NULL, *c = NULL;
    berth_error_t err = NULL;
    char name[2 * BERTH_SHA256_LEN + 1];
    struct stat st1, st2;

    ck_assert_int_eq(berth_seccomp_build(parse(KEPT_PROFILE), &at, &a, &err), 0);
    ck_assert_int_eq(a->origin, BERTH_SECCOMP_COMPILED);
    ck_assert_int_eq(berth_seccomp_save(a, &at, &err), 0);
    berth_sha256_hex(a->key, name);
    ck_assert_int_eq(fstatat(at.cache_dirfd, name, &st1, 0), 0);
    ck_assert_int_eq(fstatat(at.container_dirfd, BERTH_SECCOMP_PROGRAM, &st2, 0), 0);
    ck_assert_int_eq(st1.st_ino, st2.st_ino);
    ck_assert_int_eq(berth_seccomp_build(parse(KEPT_PROFILE), &at, &b, &err), 0);
    ck_assert_int_eq(b->origin, BERTH_SECCOMP_FROM_CONTAINER);
    at.container_dirfd = safe_close(at.container_dirfd);
    ck_assert_int_eq(berth_seccomp_build(parse(KEPT_PROFILE), &at, &c, &err), 0);
    ck_assert_int_eq(c->origin, BERTH_SECCOMP_FROM_CACHE);
    ck_assert_int_eq(b->prog.len, a->prog.len);
    ck_assert_int_eq(c->prog.len, a->prog.len);
    ck_assert_mem_eq(b->prog.filter, a->prog.filter, a->prog.len * sizeof(struct sock_filter));
    ck_assert_mem_eq(c->prog.filter, a->prog.filter, a->prog.len * sizeof(struct sock_filter));
    ck_assert_int_eq(c->flags, a->flags);
    berth_seccomp_free(a);
    berth_seccomp_free(b);
    berth_seccomp_free(c);
    unlinkat(at.cache_dirfd, name, 0);
    close(at.cache_dirfd);
    rmdir(cpath);
    char prog[sizeof(spath) + sizeof(BERTH_SECCOMP_PROGRAM) + 1];
    snprintf(prog, sizeof(prog), "%s/%s", spath, BERTH_SECCOMP_PROGRAM);
    unlink(prog);
    rmdir(spath);
}
END_TEST

START_TEST(trim_bounds_cache)
{
    char path[] = "/tmp/berth-unit-trim.XXXXXX";
    int dirfd = tmp_dir(path), n = 0;
    char name[80];
    DIR *d;
    struct dirent *de;

    for (int i = 0; i < BERTH_SECCOMP_CACHE_MAX + 9; i++) {
        snprintf(name, sizeof(name), "%064x", i);
        close(openat(dirfd, name, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    }
    berth_seccomp_cache_trim(dirfd);
    d = fdopendir(dup(dirfd));
    rewinddir(d); /* the dup shares the offset trim's readdir left at the end */
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') {
            n++;
            unlinkat(dirfd, de->d_name, 0);
        }
    closedir(d);
    ck_assert_int_eq(n, BERTH_SECCOMP_CACHE_MAX);
    close(dirfd);
    rmdir(path);
}
END_TEST

static Suite *seccomp_suite(void)
{
    Suite *s = suite_create("seccomp");
    TCase *build = tcase_create("build+load");
    TCase *notify = tcase_create("notify");
    TCase *kept = tcase_create("kept programs");

    tcase_add_checked_fixture(build, NULL, cfg_free);
    tcase_add_test(build, errno_default_eperm);
    tcase_add_test(build, errno_ret);
    tcase_add_test(build, default_errno_ret_and_allow);
    tcase_add_test(build, kill_actions);
    tcase_add_test(build, trap);
    tcase_add_test(build, trace_without_tracer);
    tcase_add_test(build, log_allows);
    tcase_add_test(build, rule_equal_to_default_dropped);
    tcase_add_test(build, operators);
    tcase_add_test(build, same_index_args_are_ored);
    tcase_add_test(build, distinct_index_args_are_anded);
    tcase_add_test(build, unknown_names_skipped);
    tcase_add_test(build, architectures);
    tcase_add_test(build, flags);
    tcase_add_test(build, errors);
    tcase_add_test(build, load_needs_nnp_or_cap);
    suite_add_tcase(s, build);
    tcase_add_checked_fixture(notify, NULL, cfg_free);
    tcase_add_test(notify, notify_take_and_answer);
    tcase_add_test(notify, notify_take_init_died);
    tcase_add_test(notify, notify_take_load_failed);
    tcase_add_test(notify, state_json);
    tcase_add_test(notify, notify_send);
    suite_add_tcase(s, notify);
    tcase_add_checked_fixture(kept, NULL, cfg_free);
    tcase_add_test(kept, sha256_vectors);
    tcase_add_test(kept, key_covers_profile);
    tcase_add_test(kept, entry_checks);
    tcase_add_test(kept, build_from_places);
    tcase_add_test(kept, trim_bounds_cache);
    suite_add_tcase(s, kept);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(seccomp_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
