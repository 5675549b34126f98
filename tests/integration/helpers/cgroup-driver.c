/* cgroup-driver.c: drives the cgroup module (src/libberth/cgroup/cgroup.h) without
 * a container, so its effects can be tested on the host and in the cgroup2
 * VM before create places containers in cgroups.
 *
 *   cgroup-driver run   [-p CGPATH] [-r RES.json] [-i ID] -- CMD...
 *       create, fork CMD (held until it is in the cgroup and the resources
 *       are applied), wait, print "exit=N" (128+sig when killed), destroy
 *   cgroup-driver start STATE [-p CGPATH] [-r RES.json] [-i ID] -- CMD...
 *       same, but leaves CMD running, saves the cgroup to STATE and prints
 *       "pid=N"
 *   cgroup-driver freeze|thaw|frozen|pids|stats|destroy STATE
 *   cgroup-driver kill STATE SIGNO
 *   cgroup-driver update STATE RES.json
 *   cgroup-driver layout
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "oci-types.h"
#include "state/state-json.h"
#include "state/state.h"

static void warn_cb(void *d, const char *msg)
{
    (void)d;
    fprintf(stderr, "warning: %s\n", msg);
}

static struct berth_context ctx = {.warn = warn_cb};

static int fail(berth_error_t *err)
{
    fprintf(stderr, "error: %s\n", (*err)->msg);
    berth_error_release(err);
    return 1;
}

static oci_resources *load_res(const char *file)
{
    struct oci_diags d = {0};
    oci_resources *r;
    char buf[512];

    if (!file)
        return NULL;
    r = oci_parse_file(&oci_resources_desc, file, &d);
    if (!r) {
        fprintf(stderr, "error: %s\n", oci_diags_first_error(&d, buf, sizeof(buf)));
        exit(1);
    }
    return r;
}

/* The driver's state file is a state.json holding only the cgroup record,
 * written and read by the library's own encoder (state-json.c). */
static int save(const char *state, struct berth_cgroup *cg)
{
    struct berth_container_state s = {.id = (char *)"cgdriver"};
    berth_error_t err = NULL;
    char *json = NULL;
    FILE *f;

    if (berth_cgroup_record(cg, &s.cgroup, &err) < 0 ||
        berth_state_json_encode(&s, &json, NULL, &err) < 0)
        return fail(&err);
    berth_cgroup_record_free(s.cgroup);
    f = fopen(state, "we");
    if (!f || fputs(json, f) < 0 || fclose(f) != 0) {
        perror("save state");
        return 1;
    }
    free(json);
    return 0;
}

static struct berth_cgroup *load(const char *state)
{
    struct berth_container_state *s = NULL;
    berth_error_t err = NULL;
    struct berth_cgroup *cg;
    char buf[65536];
    FILE *f = fopen(state, "re");
    size_t n;

    if (!f) {
        perror(state);
        exit(1);
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (berth_state_json_decode(buf, &s, &err) < 0)
        exit(fail(&err));
    if (!s->cgroup || berth_cgroup_load(&ctx, s->cgroup, &cg, &err) < 0)
        exit(s->cgroup ? fail(&err) : 1);
    berth_container_state_free(s);
    return cg;
}

static int launch(int argc, char **argv, const char *state)
{
    const char *path = NULL, *resfile = NULL, *id = "cgdriver";
    berth_error_t err = NULL;
    struct berth_cgroup *cg;
    oci_resources *res;
    int go[2], opt, status;
    pid_t pid;

    while ((opt = getopt(argc, argv, "+p:r:i:")) != -1) {
        if (opt == 'p')
            path = optarg;
        else if (opt == 'r')
            resfile = optarg;
        else if (opt == 'i')
            id = optarg;
        else
            return 2;
    }
    if (optind >= argc)
        return 2;
    res = load_res(resfile);
    if (berth_cgroup_create(&ctx, path, id, &cg, &err) < 0)
        return fail(&err);
    if (pipe2(go, O_CLOEXEC) < 0)
        return 1;
    pid = fork();
    if (pid == 0) {
        char c;

        close(go[1]);
        if (read(go[0], &c, 1) != 1)
            _exit(126);
        execvp(argv[optind], &argv[optind]);
        _exit(127);
    }
    close(go[0]);
    if (berth_cgroup_enter(cg, pid, &err) < 0 || berth_cgroup_apply(cg, res, true, &err) < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        berth_error_t e2 = NULL;
        berth_cgroup_destroy(cg, &e2);
        if (e2)
            berth_error_release(&e2);
        return fail(&err);
    }
    if (state) {
        if (save(state, cg))
            return 1;
        printf("pid=%d\n", (int)pid);
        fflush(stdout);
        (void)!write(go[1], "x", 1);
        return 0;
    }
    (void)!write(go[1], "x", 1);
    close(go[1]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    printf("exit=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    fflush(stdout);
    if (berth_cgroup_destroy(cg, &err) < 0)
        return fail(&err);
    berth_cgroup_free(cg);
    return 0;
}

static int stats(struct berth_cgroup *cg)
{
    struct berth_cgroup_stats st;
    berth_error_t err = NULL;

    if (berth_cgroup_stats(cg, &st, &err) < 0)
        return fail(&err);
    printf("cpu_total=%llu\nthrottled_periods=%llu\nperiods=%llu\nmem_usage=%llu\n"
           "mem_limit=%llu\npids_current=%llu\npids_limit=%llu\noom_kills=%llu\nnhuge=%zu\n",
           (unsigned long long)st.cpu_total, (unsigned long long)st.throttled_periods,
           (unsigned long long)st.periods, (unsigned long long)st.mem_usage,
           (unsigned long long)st.mem_limit, (unsigned long long)st.pids_current,
           (unsigned long long)st.pids_limit, (unsigned long long)st.oom_kills, st.nhuge);
    berth_cgroup_stats_release(&st);
    return 0;
}

static const char *mode_name(enum berth_cgroup_mode m)
{
    switch (m) {
    case BERTH_CGROUP_NONE:
        return "none";
    case BERTH_CGROUP_LEGACY:
        return "v1";
    case BERTH_CGROUP_HYBRID:
        return "hybrid";
    case BERTH_CGROUP_UNIFIED:
        return "v2";
    }
    return "unknown";
}

int main(int argc, char **argv)
{
    berth_error_t err = NULL;
    struct berth_cgroup *cg;
    const char *cmd = argc > 1 ? argv[1] : "";
    int r = 0;

    if (strcmp(cmd, "layout") == 0) {
        struct berth_cgroup_layout *l;

        if (berth_cgroup_layout_detect(&l, &err) < 0)
            return fail(&err);
        printf("mode=%s\n", mode_name(l->mode));
        for (size_t i = 0; i < l->n; i++)
            printf("%s %s [%s] own=%s\n", l->h[i].v2 ? "v2" : "v1", l->h[i].mount,
                   l->h[i].controllers, l->h[i].own);
        berth_cgroup_layout_free(l);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return launch(argc - 1, argv + 1, NULL);
    if (argc < 3)
        return 2;
    if (strcmp(cmd, "start") == 0)
        return launch(argc - 2, argv + 2, argv[2]);
    cg = load(argv[2]);
    if (strcmp(cmd, "freeze") == 0 || strcmp(cmd, "thaw") == 0)
        r = berth_cgroup_freeze(cg, cmd[0] == 'f', &err);
    else if (strcmp(cmd, "frozen") == 0) {
        bool f;
        r = berth_cgroup_is_frozen(cg, &f, &err);
        if (r == 0)
            printf("frozen=%d\n", f);
    } else if (strcmp(cmd, "pids") == 0) {
        pid_t *p;
        size_t n;
        r = berth_cgroup_pids(cg, &p, &n, &err);
        for (size_t i = 0; r == 0 && i < n; i++)
            printf("%d\n", (int)p[i]);
        if (r == 0)
            free(p);
    } else if (strcmp(cmd, "kill") == 0 && argc > 3) {
        r = berth_cgroup_kill_all(cg, atoi(argv[3]), &err);
    } else if (strcmp(cmd, "update") == 0 && argc > 3) {
        oci_resources *res = load_res(argv[3]);
        r = berth_cgroup_apply(cg, res, false, &err);
    } else if (strcmp(cmd, "stats") == 0) {
        return stats(cg);
    } else if (strcmp(cmd, "destroy") == 0) {
        r = berth_cgroup_destroy(cg, &err);
    } else {
        return 2;
    }
    if (r < 0)
        return fail(&err);
    berth_cgroup_free(cg);
    return 0;
}
