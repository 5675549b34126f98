/* test-validate.c: unit tests of the semantic validation rules
 * (src/libberth/spec/validate*.c) with check.
 *
 * Most rules are one table row: a config.json (single quotes stand for
 * double quotes, to keep the C strings readable), an optional mutation
 * applied after parsing (for values libocispec's schema checks already
 * reject, so that the rule's own code still runs), and the expected
 * outcome at a JSON pointer: 'E' an error whose message contains the
 * given text, 'W' a warning (and no error at all), 'P' no error at all and
 * no diagnostic at that pointer. Every rule has at least one failing and
 * one passing row. Host checks (check_host) and the bundle entry points
 * have their own tests that work in a temporary directory.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oci-types.h"
#include "cgroup/cgroup.h"
#include "spec/validate.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

/* A valid start config plus extra top-level members (each starting with ','). */
#define BASE    "{'ociVersion':'1.3.0','root':{'path':'rootfs'}"
#define PROC_OK ",'process':{'cwd':'/','args':['sh']}"
/* the bundle entry point as create calls it (without the cgroup rule) */
#define VALIDATE_BUNDLE(dir, diags, cfg, err)                                                      \
    berth_validate_bundle_opts(                                                                    \
        &(struct berth_validate_opts){.bundle_dir = (dir), .check_host = true}, diags, cfg, err)
#define CFG(members) BASE PROC_OK members "}"
/* A config whose process members are given. */
#define CFGP(proc, members) BASE ",'process':{'cwd':'/','args':['sh']," proc "}" members "}"
#define LINUX(members)      ",'linux':{" members "}"
#define NS(...)             "'namespaces':[" __VA_ARGS__ "]"
#define RES(members)        LINUX("'resources':{" members "}")
#define SECCOMP(members)    LINUX("'seccomp':{" members "}")
#define USERNS_MAPS                                                                                \
    "'uidMappings':[{'containerID':0,'hostID':100000,'size':1000}],"                               \
    "'gidMappings':[{'containerID':0,'hostID':100000,'size':1000}]"

struct vcase {
    const char *name;
    const char *json;
    char expect; /* 'E', 'W' or 'P' */
    const char *pointer;
    const char *text; /* E/W: the message contains it */
    void (*mutate)(oci_config *c);
};

/* ---- helpers ---------------------------------------------------------------- */

static char *unquote(const char *s)
{
    char *json = strdup(s);

    ck_assert_ptr_nonnull(json);
    for (char *c = json; *c; c++)
        if (*c == '\'')
            *c = '"';
    return json;
}

static void dump_diags(const char *name, const struct oci_diags *d)
{
    fprintf(stderr, "%s:\n", name);
    for (size_t i = 0; i < d->len; i++)
        fprintf(stderr, "  %s %s: %s\n", d->items[i].level == OCI_DIAG_ERROR ? "E" : "W",
                d->items[i].pointer, d->items[i].message);
}

static const struct oci_diag *find(const struct oci_diags *d, int level, const char *pointer)
{
    for (size_t i = 0; i < d->len; i++)
        if ((level < 0 || (int)d->items[i].level == level) &&
            strcmp(d->items[i].pointer, pointer) == 0)
            return &d->items[i];
    return NULL;
}

static const char *first_error(const struct oci_diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == OCI_DIAG_ERROR)
            return d->items[i].message;
    return "";
}

static oci_config *parse(const char *name, const char *quoted)
{
    struct oci_diags d = {0};
    char *json = unquote(quoted);
    oci_config *cfg = oci_parse(&oci_config_desc, json, strlen(json), &d);

    if (!cfg)
        dump_diags(name, &d);
    ck_assert_msg(cfg != NULL, "%s: the schema rejects the test config %s", name, json);
    oci_diags_clear(&d);
    free(json);
    return cfg;
}

static void replace_str(char **field, const char *value)
{
    free(*field);
    *field = value ? strdup(value) : NULL;
}

/* Asserts the outcome of one case over diagnostics `d` and error count n. */
static void expect(const struct vcase *c, const struct oci_diags *d, size_t n)
{
    const struct oci_diag *g;

    switch (c->expect) {
    case 'E':
        g = find(d, OCI_DIAG_ERROR, c->pointer);
        if (!g)
            dump_diags(c->name, d);
        ck_assert_msg(g != NULL, "%s: no error at %s", c->name, c->pointer);
        ck_assert_uint_ge(n, 1);
        break;
    case 'W':
        g = find(d, OCI_DIAG_WARNING, c->pointer);
        if (!g || n)
            dump_diags(c->name, d);
        ck_assert_msg(g != NULL, "%s: no warning at %s", c->name, c->pointer);
        ck_assert_msg(n == 0, "%s: %zu unexpected errors", c->name, n);
        break;
    default:
        g = NULL;
        if (n || find(d, -1, c->pointer))
            dump_diags(c->name, d);
        ck_assert_msg(n == 0, "%s: %zu unexpected errors", c->name, n);
        ck_assert_msg(find(d, -1, c->pointer) == NULL, "%s: unexpected diagnostic at %s", c->name,
                      c->pointer);
        return;
    }
    ck_assert_msg(strstr(g->message, c->text) != NULL, "%s: message \"%s\" lacks \"%s\"", c->name,
                  g->message, c->text);
    /* Every message cites the spec document and section it enforces. */
    ck_assert_msg(strstr(g->message, ".md \"") != NULL, "%s: message \"%s\" cites no section",
                  c->name, g->message);
}

/* ---- mutations (values the schema already rejects) ----------------------------- */

static void m_version_short(oci_config *c)
{
    replace_str(&c->ociVersion, "1.0");
}
static void m_no_root(oci_config *c)
{
    free(c->root->path);
    free(c->root);
    c->root = NULL;
}
static void m_cwd_relative(oci_config *c)
{
    replace_str(&c->process->cwd, "srv");
}
static void m_io_priority_8(oci_config *c)
{
    c->process->ioPriority->priority = 8;
}
static void m_hook_relative(oci_config *c)
{
    replace_str(&c->hooks->prestart[0].path, "bin/hook");
}
static void m_hook_timeout_0(oci_config *c)
{
    c->hooks->poststart[0].timeout = 0;
}
static void m_ns_dup(oci_config *c)
{
    replace_str(&c->linux->namespaces[1].type, "pid");
}
static void m_ns_relative(oci_config *c)
{
    replace_str(&c->linux->namespaces[0].path, "proc/1/ns/net");
}
static void m_ns_unknown(oci_config *c)
{
    replace_str(&c->linux->namespaces[0].type, "bogus");
}
static void m_dev_no_major(oci_config *c)
{
    c->linux->devices[0].major_present = false;
}
static void m_masked_relative(oci_config *c)
{
    replace_str(&c->linux->maskedPaths[0], "proc/kcore");
}
static void m_propagation(oci_config *c)
{
    replace_str(&c->linux->rootfsPropagation, "sideways");
}
static void m_syscall_no_names(oci_config *c)
{
    oci_syscall *s = &c->linux->seccomp->syscalls[0];

    for (size_t i = 0; i < s->names_len; i++)
        free(s->names[i]);
    s->names_len = 0;
}
static void m_access_x(oci_config *c)
{
    replace_str(&c->linux->resources->devices[0].access, "rwx");
}
static void m_membw(oci_config *c)
{
    replace_str(&c->linux->intelRdt->memBwSchema, "L3:0=1");
}

/* ---- the table --------------------------------------------------------------- */

static const struct vcase cases[] = {
    /* ociVersion: config.md "Specification version" */
    {"version ok", CFG(""), 'P', "/ociVersion", NULL, NULL},
    {"version 2.0.0", "{'ociVersion':'2.0.0','root':{'path':'r'}" PROC_OK "}", 'E', "/ociVersion",
     "unsupported", NULL},
    {"version 1.4.0", "{'ociVersion':'1.4.0','root':{'path':'r'}" PROC_OK "}", 'E', "/ociVersion",
     "unsupported", NULL},
    {"version 1.3.1+build", "{'ociVersion':'1.3.1+build.7','root':{'path':'r'}" PROC_OK "}", 'P',
     "/ociVersion", NULL, NULL},
    {"version 1.0.2-dev", "{'ociVersion':'1.0.2-dev','root':{'path':'r'}" PROC_OK "}", 'P',
     "/ociVersion", NULL, NULL},
    {"version 0.5.0-dev", "{'ociVersion':'0.5.0-dev','root':{'path':'r'}" PROC_OK "}", 'W',
     "/ociVersion", "pre-1.0", NULL},
    {"version leading zero pre-release", "{'ociVersion':'1.0.0-01','root':{'path':'r'}" PROC_OK "}",
     'E', "/ociVersion", "SemVer", NULL},
    {"version not semver", CFG(""), 'E', "/ociVersion", "SemVer", m_version_short},
    /* root: config.md "Root" */
    {"root missing", CFG(""), 'E', "/root", "REQUIRED", m_no_root},
    /* process: config.md "Process", runtime.md "Start" */
    {"process missing", BASE "}", 'W', "/process", "start will fail", NULL},
    {"cwd relative", CFG(""), 'E', "/process/cwd", "absolute", m_cwd_relative},
    {"args missing", BASE ",'process':{'cwd':'/'}}", 'E', "/process/args", "at least one", NULL},
    {"args[0] empty", BASE ",'process':{'cwd':'/','args':['']}}", 'E', "/process/args/0",
     "must not be empty", NULL},
    {"env no =", CFGP("'env':['PATH=/bin','FOO']", ""), 'E', "/process/env/1", "KEY=value", NULL},
    {"env empty name", CFGP("'env':['=x']", ""), 'E', "/process/env/0", "KEY=value", NULL},
    {"env ok", CFGP("'env':['A=','B=c=d']", ""), 'P', "/process/env/0", NULL, NULL},
    /* rlimits: config.md "POSIX process" */
    {"rlimit duplicate",
     CFGP("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
          "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]",
          ""),
     'E', "/process/rlimits/1/type", "duplicate", NULL},
    {"rlimit unknown", CFGP("'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]", ""), 'E',
     "/process/rlimits/0/type", "cannot be mapped", NULL},
    {"rlimit soft > hard", CFGP("'rlimits':[{'type':'RLIMIT_CORE','soft':2,'hard':1}]", ""), 'E',
     "/process/rlimits/0/soft", "above the hard limit", NULL},
    {"rlimits ok",
     CFGP("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1024,'hard':4096},"
          "{'type':'RLIMIT_CORE','soft':0,'hard':0}]",
          ""),
     'P', "/process/rlimits/1/type", NULL, NULL},
    /* capabilities: config.md "Linux Process" (unknown names: warnings only) */
    {"cap not a name", CFGP("'capabilities':{'bounding':['chown']}", ""), 'W',
     "/process/capabilities/bounding/0", "not a capability name", NULL},
    {"cap unknown", CFGP("'capabilities':{'bounding':['CAP_NOPE']}", ""), 'W',
     "/process/capabilities/bounding/0", "unknown capability", NULL},
    {"cap ambient not permitted",
     CFGP("'capabilities':{'ambient':['CAP_CHOWN'],'inheritable':['CAP_CHOWN']}", ""), 'W',
     "/process/capabilities/ambient", "CAP_CHOWN is not both permitted and inheritable", NULL},
    {"cap effective not permitted",
     CFGP("'capabilities':{'effective':['CAP_KILL'],'permitted':['CAP_CHOWN']}", ""), 'W',
     "/process/capabilities/effective", "capability CAP_KILL is not in the permitted set", NULL},
    {"caps ok",
     CFGP("'capabilities':{'bounding':['CAP_CHOWN','CAP_KILL'],'effective':['CAP_CHOWN'],"
          "'permitted':['CAP_CHOWN'],'inheritable':['CAP_CHOWN'],'ambient':['CAP_CHOWN']}",
          ""),
     'P', "/process/capabilities/ambient", NULL, NULL},
    /* oomScoreAdj, ioPriority, scheduler, execCPUAffinity: config.md "Linux Process" */
    {"oomScoreAdj 1001", CFGP("'oomScoreAdj':1001", ""), 'E', "/process/oomScoreAdj", "-1000..1000",
     NULL},
    {"oomScoreAdj -1000", CFGP("'oomScoreAdj':-1000", ""), 'P', "/process/oomScoreAdj", NULL, NULL},
    {"ioPriority 8", CFGP("'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':4}", ""), 'E',
     "/process/ioPriority/priority", "0 (highest) .. 7", m_io_priority_8},
    {"ioPriority ok", CFGP("'ioPriority':{'class':'IOPRIO_CLASS_IDLE','priority':7}", ""), 'P',
     "/process/ioPriority/priority", NULL, NULL},
    {"nice 20", CFGP("'scheduler':{'policy':'SCHED_OTHER','nice':20}", ""), 'E',
     "/process/scheduler/nice", "-20..19", NULL},
    {"nice -20", CFGP("'scheduler':{'policy':'SCHED_BATCH','nice':-20}", ""), 'P',
     "/process/scheduler/nice", NULL, NULL},
    {"fifo without priority", CFGP("'scheduler':{'policy':'SCHED_FIFO'}", ""), 'E',
     "/process/scheduler/priority", "1..99", NULL},
    {"rr priority 100", CFGP("'scheduler':{'policy':'SCHED_RR','priority':100}", ""), 'E',
     "/process/scheduler/priority", "1..99", NULL},
    {"fifo priority 10", CFGP("'scheduler':{'policy':'SCHED_FIFO','priority':10}", ""), 'P',
     "/process/scheduler/priority", NULL, NULL},
    {"other with priority", CFGP("'scheduler':{'policy':'SCHED_OTHER','priority':5}", ""), 'E',
     "/process/scheduler/priority", "only meaningful", NULL},
    {"other with runtime", CFGP("'scheduler':{'policy':'SCHED_OTHER','runtime':1000}", ""), 'E',
     "/process/scheduler", "SCHED_DEADLINE only", NULL},
    {"deadline without deadline",
     CFGP("'scheduler':{'policy':'SCHED_DEADLINE','runtime':5000}", ""), 'E',
     "/process/scheduler/deadline", "non-zero deadline", NULL},
    {"deadline runtime > deadline",
     CFGP("'scheduler':{'policy':'SCHED_DEADLINE','runtime':20000,'deadline':10000}", ""), 'E',
     "/process/scheduler/runtime", "runtime <= deadline", NULL},
    {"deadline period < deadline",
     CFGP("'scheduler':{'policy':'SCHED_DEADLINE','runtime':5000,'deadline':10000,'period':"
          "8000}",
          ""),
     'E', "/process/scheduler/period", "deadline <= period", NULL},
    {"deadline ok",
     CFGP("'scheduler':{'policy':'SCHED_DEADLINE','runtime':10000000,'deadline':20000000,"
          "'period':30000000}",
          ""),
     'P', "/process/scheduler", NULL, NULL},
    {"affinity bad range", CFGP("'execCPUAffinity':{'initial':'3-1'}", ""), 'E',
     "/process/execCPUAffinity/initial", "CPU list", NULL},
    {"affinity ok", CFGP("'execCPUAffinity':{'initial':'7','final':'0-3,7'}", ""), 'P',
     "/process/execCPUAffinity/final", NULL, NULL},
    /* user ids against the user namespace mappings */
    {"uid unmapped",
     CFGP("'user':{'uid':5000,'gid':0}", LINUX(NS("{'type':'user'}") "," USERNS_MAPS)), 'E',
     "/process/user/uid", "not mapped", NULL},
    {"additional gid unmapped",
     CFGP("'user':{'uid':0,'gid':0,'additionalGids':[1001]}",
          LINUX(NS("{'type':'user'}") "," USERNS_MAPS)),
     'E', "/process/user/additionalGids/0", "not mapped", NULL},
    {"ids mapped",
     CFGP("'user':{'uid':999,'gid':5,'additionalGids':[6]}",
          LINUX(NS("{'type':'user'}") "," USERNS_MAPS)),
     'P', "/process/user/uid", NULL, NULL},
    /* hostname, domainname: config.md "Hostname", "Domainname" */
    {"hostname without uts", CFG(",'hostname':'box'"), 'E', "/hostname", "UTS namespace", NULL},
    {"domainname without uts", CFG(",'domainname':'example.test'"), 'E', "/domainname",
     "UTS namespace", NULL},
    {"hostname with uts", CFG(",'hostname':'box'" LINUX(NS("{'type':'uts'}"))), 'P', "/hostname",
     NULL, NULL},
    {"hostname with joined uts",
     CFG(",'hostname':'box'" LINUX(NS("{'type':'uts','path':'/proc/1/ns/uts'}"))), 'P', "/hostname",
     NULL, NULL},
    {"empty hostname without uts", CFG(",'hostname':''"), 'P', "/hostname", NULL, NULL},
    /* hooks: config.md "POSIX-platform Hooks" */
    {"hook relative path", CFG(",'hooks':{'prestart':[{'path':'/bin/true'}]}"), 'E',
     "/hooks/prestart/0/path", "MUST be absolute", m_hook_relative},
    {"hook timeout 0", CFG(",'hooks':{'poststart':[{'path':'/bin/true','timeout':5}]}"), 'E',
     "/hooks/poststart/0/timeout", "greater than zero", m_hook_timeout_0},
    {"hook env", CFG(",'hooks':{'createRuntime':[{'path':'/bin/true','env':['X']}]}"), 'E',
     "/hooks/createRuntime/0/env/0", "KEY=value", NULL},
    {"hooks ok",
     CFG(",'hooks':{'createRuntime':[{'path':'/bin/true','args':['true'],'env':['A=b'],"
         "'timeout':3}]}"),
     'P', "/hooks/createRuntime/0/path", NULL, NULL},
    /* annotations: config.md "Annotations" */
    {"annotation empty key", CFG(",'annotations':{'':'x'}"), 'E', "/annotations/",
     "MUST NOT be an empty string", NULL},
    {"annotation reserved", CFG(",'annotations':{'org.opencontainers.foo/bar':'x'}"), 'W',
     "/annotations/org.opencontainers.foo~1bar", "reserved", NULL},
    {"annotation defined", CFG(",'annotations':{'org.opencontainers.image.os':'linux'}"), 'P',
     "/annotations/org.opencontainers.image.os", NULL, NULL},
    /* mounts: config.md "Mounts", "POSIX-platform Mounts", "Linux mount options" */
    {"mount relative destination", CFG(",'mounts':[{'destination':'data','type':'tmpfs'}]"), 'W',
     "/mounts/0/destination", "deprecated", NULL},
    {"mount empty destination", CFG(",'mounts':[{'destination':'','type':'tmpfs'}]"), 'E',
     "/mounts/0/destination", "must not be empty", NULL},
    {"bind without source", CFG(",'mounts':[{'destination':'/d','options':['rbind']}]"), 'E',
     "/mounts/0/source", "needs a source", NULL},
    {"mount uid without gid",
     CFG(",'mounts':[{'destination':'/d','source':'/s','options':['bind','idmap'],"
         "'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]}]"),
     'E', "/mounts/0/uidMappings", "together", NULL},
    {"idmap on tmpfs",
     CFG(",'mounts':[{'destination':'/d','type':'tmpfs','options':['idmap'],"
         "'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
         "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]}]"),
     'E', "/mounts/0/options", "bind mounts only", NULL},
    {"idmap without maps or userns",
     CFG(",'mounts':[{'destination':'/d','source':'/s','options':['rbind','ridmap']}]"), 'E',
     "/mounts/0/options", "needs a user namespace", NULL},
    {"idmap with container userns",
     CFG(",'mounts':[{'destination':'/d','source':'/s','options':['bind','idmap']}]" LINUX(
         NS("{'type':'user'}") "," USERNS_MAPS)),
     'P', "/mounts/0/options", NULL, NULL},
    {"idmap with mount maps, no userns",
     CFG(",'mounts':[{'destination':'/d','source':'/s','options':['bind','idmap'],"
         "'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
         "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]}]"),
     'P', "/mounts/0/options", NULL, NULL},
    {"mount maps without idmap option",
     CFG(",'mounts':[{'destination':'/d','source':'/s','options':['bind'],"
         "'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
         "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]}]"),
     'W', "/mounts/0/options", "idmap", NULL},
    {"mount map size 0",
     CFG(",'mounts':[{'destination':'/d','source':'/s','options':['bind','idmap'],"
         "'uidMappings':[{'containerID':0,'hostID':1000,'size':0}],"
         "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]}]"),
     'E', "/mounts/0/uidMappings/0/size", "at least 1", NULL},
    /* namespaces: config-linux.md "Namespaces" */
    {"namespace duplicate", CFG(LINUX(NS("{'type':'pid'},{'type':'ipc'}"))), 'E',
     "/linux/namespaces/1/type", "duplicate namespace type \"pid\"", m_ns_dup},
    {"namespace relative path", CFG(LINUX(NS("{'type':'network','path':'/x'}"))), 'E',
     "/linux/namespaces/0/path", "MUST be absolute", m_ns_relative},
    {"namespace unknown type", CFG(LINUX(NS("{'type':'pid'}"))), 'E', "/linux/namespaces/0/type",
     "unknown namespace type", m_ns_unknown},
    {"namespaces ok",
     CFG(LINUX(NS("{'type':'pid'},{'type':'network','path':'/var/run/netns/a'},{'type':'mount'},"
                  "{'type':'ipc'},{'type':'uts'},{'type':'cgroup'},{'type':'time'}"))),
     'P', "/linux/namespaces/1/type", NULL, NULL},
    /* user namespace mappings: config-linux.md "User namespace mappings" */
    {"mappings without userns", CFG(LINUX(USERNS_MAPS)), 'E', "/linux/uidMappings",
     "need a user namespace", NULL},
    {"mappings with joined userns",
     CFG(LINUX(NS("{'type':'user','path':'/proc/1/ns/user'}") "," USERNS_MAPS)), 'W',
     "/linux/uidMappings", "joined by path", NULL},
    {"new userns without mappings", CFG(LINUX(NS("{'type':'user'}"))), 'E', "/linux/namespaces",
     "needs both uidMappings and gidMappings (uidMappings missing)", NULL},
    {"new userns without gidMappings",
     CFG(LINUX(NS("{'type':'user'}") ",'uidMappings':[{'containerID':0,'hostID':1,'size':1}]")),
     'E', "/linux/namespaces", "(gidMappings missing)", NULL},
    {"joined userns without mappings",
     CFG(LINUX(NS("{'type':'mount'},{'type':'user','path':'/proc/1/ns/user'}"))), 'P',
     "/linux/namespaces", NULL, NULL},
    {"userns with mappings", CFG(LINUX(NS("{'type':'user'}") "," USERNS_MAPS)), 'P',
     "/linux/uidMappings", NULL, NULL},
    {"mapping container overlap",
     CFG(LINUX(NS("{'type':'user'}") ",'uidMappings':[{'containerID':0,'hostID':1000,'size':10},"
                                     "{'containerID':5,'hostID':5000,'size':10}],"
                                     "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]")),
     'E', "/linux/uidMappings/1/containerID", "overlaps", NULL},
    {"mapping host overlap",
     CFG(LINUX(NS("{'type':'user'}") ",'gidMappings':[{'containerID':0,'hostID':1000,'size':10},"
                                     "{'containerID':100,'hostID':1009,'size':10}],"
                                     "'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]")),
     'E', "/linux/gidMappings/1/hostID", "overlaps", NULL},
    {"mapping wraps",
     CFG(LINUX(NS("{'type':'user'}") ",'uidMappings':[{'containerID':4294967295,'hostID':0,"
                                     "'size':2}],"
                                     "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]")),
     'E', "/linux/uidMappings/0/size", "largest id", NULL},
    /* time namespace: config-linux.md "Offset for Time Namespace" */
    {"timeOffsets without timens", CFG(LINUX("'timeOffsets':{'monotonic':{'secs':1}}")), 'E',
     "/linux/timeOffsets", "need a time namespace", NULL},
    {"timeOffsets with joined timens",
     CFG(LINUX(NS("{'type':'time','path':'/proc/1/ns/time'}") ",'timeOffsets':{'boottime':{'secs':"
                                                              "1}}")),
     'E', "/linux/timeOffsets", "joined by path", NULL},
    {"timeOffsets nanosecs",
     CFG(LINUX(NS("{'type':'time'}") ",'timeOffsets':{'monotonic':{'nanosecs':1000000000}}")), 'E',
     "/linux/timeOffsets/monotonic/nanosecs", "below 1000000000", NULL},
    {"timeOffsets ok",
     CFG(LINUX(NS("{'type':'time'}") ",'timeOffsets':{'monotonic':{'secs':-5,'nanosecs':5}}")), 'P',
     "/linux/timeOffsets", NULL, NULL},
    /* devices: config-linux.md "Devices" */
    {"device without major",
     CFG(LINUX("'devices':[{'type':'c','path':'/dev/x','major':1,'minor':3}]")), 'E',
     "/linux/devices/0/major", "needs both major and minor", m_dev_no_major},
    {"fifo with numbers",
     CFG(LINUX("'devices':[{'type':'p','path':'/dev/f','major':1,'minor':3}]")), 'W',
     "/linux/devices/0", "ignored for a FIFO", NULL},
    {"device major too big",
     CFG(LINUX("'devices':[{'type':'b','path':'/dev/x','major':5000,'minor':0}]")), 'E',
     "/linux/devices/0/major", "outside", NULL},
    {"device minor negative",
     CFG(LINUX("'devices':[{'type':'c','path':'/dev/x','major':1,'minor':-1}]")), 'E',
     "/linux/devices/0/minor", "outside", NULL},
    {"device path clash",
     CFG(LINUX("'devices':[{'type':'c','path':'/dev/x','major':1,'minor':3},"
               "{'type':'c','path':'/dev/x','major':1,'minor':5}]")),
     'E', "/linux/devices/1/path", "different device", NULL},
    {"device listed twice",
     CFG(LINUX("'devices':[{'type':'c','path':'/dev/x','major':1,'minor':3},"
               "{'type':'c','path':'/dev/x','major':1,'minor':3}]")),
     'W', "/linux/devices/1/path", "twice", NULL},
    {"device same numbers",
     CFG(LINUX("'devices':[{'type':'c','path':'/dev/x','major':1,'minor':3},"
               "{'type':'c','path':'/dev/y','major':1,'minor':3}]")),
     'W', "/linux/devices/1", "same type, major and minor", NULL},
    {"devices ok",
     CFG(LINUX("'devices':[{'type':'c','path':'/dev/fuse','major':10,'minor':229},"
               "{'type':'b','path':'/dev/sda','major':8,'minor':0},{'type':'p','path':'/f'}]")),
     'P', "/linux/devices/1", NULL, NULL},
    /* network devices: config-linux.md "Network Devices" */
    {"netdev without netns", CFG(LINUX("'netDevices':{'eth0':{}}")), 'W', "/linux/netDevices",
     "so create will fail", NULL},
    {"netdev long name",
     CFG(LINUX(NS("{'type':'network'}") ",'netDevices':{'abcdefghijklmnop':{}}")), 'E',
     "/linux/netDevices/abcdefghijklmnop", "15 characters", NULL},
    {"netdev slash name",
     CFG(LINUX(NS("{'type':'network'}") ",'netDevices':{'eth0':{'name':'a/b'}}")), 'E',
     "/linux/netDevices/eth0/name", "must not contain", NULL},
    {"netdev same target",
     CFG(LINUX(NS("{'type':'network'}") ",'netDevices':{'eth0':{'name':'c0'},'eth1':{'name':"
                                        "'c0'}}")),
     'E', "/linux/netDevices/eth1", "both be named", NULL},
    {"netdev template",
     CFG(LINUX(NS("{'type':'network'}") ",'netDevices':{'eth0':{'name':'net%d'},'eth1':{'name':"
                                        "'net%d'}}")),
     'P', "/linux/netDevices/eth1", NULL, NULL},
    /* sysctl: config-linux.md "Sysctl" */
    {"sysctl net without netns", CFG(LINUX("'sysctl':{'net.ipv4.ip_forward':'1'}")), 'E',
     "/linux/sysctl/net.ipv4.ip_forward", "needs a network namespace", NULL},
    {"sysctl net with netns",
     CFG(LINUX(NS("{'type':'network'}") ",'sysctl':{'net.ipv4.ip_forward':'1',"
                                        "'net/core/somaxconn':'256'}")),
     'P', "/linux/sysctl/net~1core~1somaxconn", NULL, NULL},
    {"sysctl ipc without ipcns", CFG(LINUX("'sysctl':{'kernel.shmmax':'1'}")), 'E',
     "/linux/sysctl/kernel.shmmax", "needs a ipc namespace", NULL},
    {"sysctl mqueue with ipcns",
     CFG(LINUX(NS("{'type':'ipc'}") ",'sysctl':{'fs.mqueue.msg_max':'20','kernel.sem':'1 2 3 4'}")),
     'P', "/linux/sysctl/fs.mqueue.msg_max", NULL, NULL},
    {"sysctl not namespaced", CFG(LINUX(NS("{'type':'ipc'}") ",'sysctl':{'vm.swappiness':'1'}")),
     'E', "/linux/sysctl/vm.swappiness", "not namespaced", NULL},
    {"sysctl escapes /proc/sys",
     CFG(LINUX(NS("{'type':'network'}") ",'sysctl':{'net/../../x':'1'}")), 'E',
     "/linux/sysctl/net~1..~1..~1x", "not a sysctl name", NULL},
    {"sysctl hostname conflict",
     CFG(",'hostname':'a'" LINUX(NS("{'type':'uts'}") ",'sysctl':{'kernel.hostname':'b'}")), 'E',
     "/linux/sysctl/kernel.hostname", "conflicts", NULL},
    {"sysctl user without userns", CFG(LINUX("'sysctl':{'user.max_user_namespaces':'0'}")), 'E',
     "/linux/sysctl/user.max_user_namespaces", "needs a user namespace", NULL},
    {"sysctl user with userns",
     CFG(LINUX(NS("{'type':'user'}") ",'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
                                     "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
                                     "'sysctl':{'user.max_user_namespaces':'0'}")),
     'P', "/linux/sysctl/user.max_user_namespaces", NULL, NULL},
    {"sysctl domainname with uts",
     CFG(LINUX(NS("{'type':'uts'}") ",'sysctl':{'kernel.domainname':'b'}")), 'P',
     "/linux/sysctl/kernel.domainname", NULL, NULL},
    /* seccomp: config-linux.md "Seccomp" */
    {"errnoRet on kill",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['ptrace'],'action':"
                 "'SCMP_ACT_KILL','errnoRet':1}]")),
     'E', "/linux/seccomp/syscalls/0/errnoRet", "does not return an errno", NULL},
    {"errnoRet on errno",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['ptrace'],'action':"
                 "'SCMP_ACT_ERRNO','errnoRet':1}]")),
     'P', "/linux/seccomp/syscalls/0/errnoRet", NULL, NULL},
    {"errnoRet too big",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['ptrace'],'action':"
                 "'SCMP_ACT_ERRNO','errnoRet':65536}]")),
     'E', "/linux/seccomp/syscalls/0/errnoRet", "16 bits", NULL},
    {"defaultErrnoRet too big",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':70000")), 'E',
     "/linux/seccomp/defaultErrnoRet", "16 bits", NULL},
    {"defaultErrnoRet on allow",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','defaultErrnoRet':1")), 'E',
     "/linux/seccomp/defaultErrnoRet", "does not return an errno", NULL},
    {"defaultErrnoRet on trace",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_TRACE','defaultErrnoRet':1")), 'P',
     "/linux/seccomp/defaultErrnoRet", NULL, NULL},
    {"notify without listener",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mount'],'action':"
                 "'SCMP_ACT_NOTIFY'}]")),
     'E', "/linux/seccomp/listenerPath", "listenerPath must name", NULL},
    {"notify with listener",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/run/agent.sock',"
                 "'listenerMetadata':'x','syscalls':[{'names':['mount'],'action':"
                 "'SCMP_ACT_NOTIFY'}]")),
     'P', "/linux/seccomp/listenerPath", NULL, NULL},
    {"listener relative",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'agent.sock'")), 'E',
     "/linux/seccomp/listenerPath", "absolute", NULL},
    {"metadata without listener",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','listenerMetadata':'x'")), 'E',
     "/linux/seccomp/listenerMetadata", "MUST NOT be set", NULL},
    {"notify default",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/run/a.sock'")), 'E',
     "/linux/seccomp/defaultAction", "cannot be the default", NULL},
    {"arg index 6",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':"
                 "'SCMP_ACT_ERRNO','args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]")),
     'E', "/linux/seccomp/syscalls/0/args/0/index", "0..5", NULL},
    {"syscall without names",
     CFG(SECCOMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':"
                 "'SCMP_ACT_ERRNO'}]")),
     'E', "/linux/seccomp/syscalls/0/names", "at least one entry", m_syscall_no_names},
    /* path lists, propagation, personality, cgroupsPath */
    {"maskedPaths without mount ns", CFG(LINUX("'maskedPaths':['/proc/kcore']")), 'E',
     "/linux/maskedPaths", "need a mount namespace", NULL},
    {"readonlyPaths with mount ns",
     CFG(LINUX(NS("{'type':'mount'}") ",'readonlyPaths':['/proc/sys']")), 'P',
     "/linux/readonlyPaths", NULL, NULL},
    {"maskedPaths relative", CFG(LINUX(NS("{'type':'mount'}") ",'maskedPaths':['/proc/kcore']")),
     'E', "/linux/maskedPaths/0", "absolute", m_masked_relative},
    {"rootfsPropagation", CFG(LINUX("'rootfsPropagation':'slave'")), 'E',
     "/linux/rootfsPropagation", "not one of", m_propagation},
    {"rootfsPropagation ok", CFG(LINUX("'rootfsPropagation':'unbindable'")), 'P',
     "/linux/rootfsPropagation", NULL, NULL},
    {"personality flag", CFG(LINUX("'personality':{'domain':'LINUX','flags':['X']}")), 'E',
     "/linux/personality/flags/0", "no personality flags", NULL},
    {"personality ok", CFG(LINUX("'personality':{'domain':'LINUX32'}")), 'P',
     "/linux/personality/domain", NULL, NULL},
    {"cgroupsPath dotdot", CFG(LINUX("'cgroupsPath':'/a/../../b'")), 'E', "/linux/cgroupsPath",
     "..", NULL},
    {"cgroupsPath root", CFG(LINUX("'cgroupsPath':'//'")), 'E', "/linux/cgroupsPath", "root cgroup",
     NULL},
    {"cgroupsPath control", CFG(LINUX("'cgroupsPath':'/a\\tb'")), 'E', "/linux/cgroupsPath",
     "control character", NULL},
    {"no mount namespace", CFG(""), 'W', "/linux/namespaces", "no mount namespace", NULL},
    {"mount namespace", CFG(LINUX(NS("{'type':'mount'}"))), 'P', "/linux/namespaces", NULL, NULL},
    {"cgroupsPath ok", CFG(LINUX("'cgroupsPath':'system.slice:berth:c1'")), 'P',
     "/linux/cgroupsPath", NULL, NULL},
    /* resources: config-linux.md "Control groups" */
    {"swap below limit", CFG(RES("'memory':{'limit':2000000,'swap':1000000}")), 'E',
     "/linux/resources/memory/swap", "must not be below limit", NULL},
    {"swap unlimited", CFG(RES("'memory':{'limit':2000000,'swap':-1,'reservation':0}")), 'P',
     "/linux/resources/memory/swap", NULL, NULL},
    {"memory limit -2", CFG(RES("'memory':{'limit':-2}")), 'E', "/linux/resources/memory/limit",
     "-1 (unlimited)", NULL},
    {"swappiness 101", CFG(RES("'memory':{'swappiness':101}")), 'E',
     "/linux/resources/memory/swappiness", "0..100", NULL},
    {"kernel memory", CFG(RES("'memory':{'kernel':1048576}")), 'W',
     "/linux/resources/memory/kernel", "NOT RECOMMENDED", NULL},
    {"cpu quota tiny", CFG(RES("'cpu':{'quota':500}")), 'E', "/linux/resources/cpu/quota",
     "at least 1000", NULL},
    {"cpu period tiny", CFG(RES("'cpu':{'quota':100000,'period':100}")), 'E',
     "/linux/resources/cpu/period", "between 1000 and 1000000", NULL},
    {"cpu burst > quota", CFG(RES("'cpu':{'quota':100000,'burst':200000}")), 'E',
     "/linux/resources/cpu/burst", "larger than quota", NULL},
    {"cpu rt runtime > period",
     CFG(RES("'cpu':{'realtimeRuntime':2000000,'realtimePeriod':1000000}")), 'E',
     "/linux/resources/cpu/realtimeRuntime", "longer than", NULL},
    {"cpu cpus bad", CFG(RES("'cpu':{'cpus':'3-1'}")), 'E', "/linux/resources/cpu/cpus", "CPU list",
     NULL},
    {"cpu idle 2", CFG(RES("'cpu':{'idle':2}")), 'E', "/linux/resources/cpu/idle", "0 or 1", NULL},
    {"cpu ok",
     CFG(RES("'cpu':{'shares':1024,'quota':1000000,'burst':1000000,'period':500000,"
             "'realtimeRuntime':950000,'realtimePeriod':1000000,'cpus':'2-3','mems':'0-7',"
             "'idle':1}")),
     'P', "/linux/resources/cpu/quota", NULL, NULL},
    {"pids -2", CFG(RES("'pids':{'limit':-2}")), 'E', "/linux/resources/pids/limit", "-1", NULL},
    {"pids 0", CFG(RES("'pids':{'limit':0}")), 'P', "/linux/resources/pids/limit", NULL, NULL},
    {"weightDevice empty", CFG(RES("'blockIO':{'weightDevice':[{'major':8,'minor':0}]}")), 'E',
     "/linux/resources/blockIO/weightDevice/0", "at least one of weight", NULL},
    {"rdma empty", CFG(RES("'rdma':{'mlx5_1':{}}")), 'E', "/linux/resources/rdma/mlx5_1",
     "at least one of hcaHandles", NULL},
    {"unified path", CFG(RES("'unified':{'../x.y':'1'}")), 'E', "/linux/resources/unified/..~1x.y",
     "interface file name", NULL},
    {"unified ok", CFG(RES("'unified':{'memory.high':'1G','io.max':'8:0 rbps=1'}")), 'P',
     "/linux/resources/unified/memory.high", NULL, NULL},
    {"hugepage twice",
     CFG(RES("'hugepageLimits':[{'pageSize':'2MB','limit':1},{'pageSize':'2MB','limit':2}]")), 'W',
     "/linux/resources/hugepageLimits/1/pageSize", "twice", NULL},
    {"device access", CFG(RES("'devices':[{'allow':false,'access':'rwm'}]")), 'E',
     "/linux/resources/devices/0/access", "only contain r, w and m", m_access_x},
    /* intelRdt: config-linux.md "IntelRdt" */
    {"closID dotdot", CFG(LINUX("'intelRdt':{'closID':'..'}")), 'E', "/linux/intelRdt/closID",
     "plain directory name", NULL},
    {"closID slash", CFG(LINUX("'intelRdt':{'closID':'a/b'}")), 'E', "/linux/intelRdt/closID",
     "plain directory name", NULL},
    {"closID root", CFG(LINUX("'intelRdt':{'closID':'/'}")), 'P', "/linux/intelRdt/closID", NULL,
     NULL},
    {"memBwSchema", CFG(LINUX("'intelRdt':{'memBwSchema':'MB:0=20'}")), 'E',
     "/linux/intelRdt/memBwSchema", "MUST start with", m_membw},
    {"l3CacheSchema", CFG(LINUX("'intelRdt':{'l3CacheSchema':'0=7f0'}")), 'W',
     "/linux/intelRdt/l3CacheSchema", "SHOULD start with", NULL},
    {"schemata newline", CFG(LINUX("'intelRdt':{'schemata':['L3:0=f\\nMB:0=1']}")), 'E',
     "/linux/intelRdt/schemata/0", "newlines", NULL},
    /* memoryPolicy: config-linux.md "Memory policy" */
    {"bind without nodes", CFG(LINUX("'memoryPolicy':{'mode':'MPOL_BIND'}")), 'E',
     "/linux/memoryPolicy/nodes", "at least one node", NULL},
    {"default with nodes", CFG(LINUX("'memoryPolicy':{'mode':'MPOL_DEFAULT','nodes':'0'}")), 'E',
     "/linux/memoryPolicy/nodes", "no nodes", NULL},
    {"preferred without nodes", CFG(LINUX("'memoryPolicy':{'mode':'MPOL_PREFERRED'}")), 'P',
     "/linux/memoryPolicy/nodes", NULL, NULL},
    {"interleave ok",
     CFG(LINUX("'memoryPolicy':{'mode':'MPOL_INTERLEAVE','nodes':'0-1','flags':["
               "'MPOL_F_STATIC_NODES']}")),
     'P', "/linux/memoryPolicy/nodes", NULL, NULL},
    {"nodes bad", CFG(LINUX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'1-0'}")), 'E',
     "/linux/memoryPolicy/nodes", "node list", NULL},
    {"static and relative",
     CFG(LINUX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0','flags':['MPOL_F_STATIC_NODES',"
               "'MPOL_F_RELATIVE_NODES']}")),
     'E', "/linux/memoryPolicy/flags", "exclude each other", NULL},
    {"numa balancing interleave",
     CFG(LINUX("'memoryPolicy':{'mode':'MPOL_INTERLEAVE','nodes':'0','flags':["
               "'MPOL_F_NUMA_BALANCING']}")),
     'E', "/linux/memoryPolicy/flags", "MPOL_BIND", NULL},
};

START_TEST(rule_case)
{
    const struct vcase *c = &cases[_i];
    const struct berth_validate_opts o = {.bundle_dir = NULL, .check_host = false};
    struct oci_diags d = {0};
    oci_config *cfg = parse(c->name, c->json);
    size_t n;

    if (c->mutate)
        c->mutate(cfg);
    n = berth_validate_config(cfg, &o, &d);
    ck_assert_uint_eq(n, d.nerrors);
    expect(c, &d, n);
    oci_diags_clear(&d);
    oci_config_free(cfg);
}
END_TEST

/* Rules run on configs built in C too (exec, update, tests): every REQUIRED
 * member may be missing. Nothing may crash, and the holes are errors. */
START_TEST(c_built_with_holes)
{
    oci_namespace ns[2] = {{NULL, NULL}, {NULL, (char *)"rel"}};
    oci_device dev[1] = {{0}};
    oci_rlimit rl[1] = {{0}};
    oci_hook hook[1] = {{0}};
    oci_mount mnt[1] = {{0}};
    oci_syscall sc[1] = {{0}};
    oci_seccomp seccomp = {.syscalls = sc, .syscalls_len = 1};
    oci_memory_policy mp = {0};
    oci_personality pers = {0};
    oci_intel_rdt rdt = {0};
    oci_scheduler sched = {0};
    oci_io_priority io = {0};
    oci_capabilities caps = {0};
    char *nullstr[1] = {NULL};
    oci_hooks hooks = {.prestart = hook, .prestart_len = 1};
    oci_linux linux = {.namespaces = ns,
                       .namespaces_len = 2,
                       .devices = dev,
                       .devices_len = 1,
                       .seccomp = &seccomp,
                       .memoryPolicy = &mp,
                       .personality = &pers,
                       .intelRdt = &rdt,
                       .maskedPaths = nullstr,
                       .maskedPaths_len = 1};
    oci_process proc = {.rlimits = rl,
                        .rlimits_len = 1,
                        .env = nullstr,
                        .env_len = 1,
                        .scheduler = &sched,
                        .ioPriority = &io,
                        .capabilities = &caps};
    oci_config cfg = {
        .mounts = mnt, .mounts_len = 1, .process = &proc, .hooks = &hooks, .linux = &linux};
    struct oci_diags d = {0};
    size_t n;

    caps.bounding = nullstr;
    caps.bounding_len = 1;
    n = berth_validate_config(&cfg, NULL, &d);
    ck_assert_uint_ge(n, 10);
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/ociVersion"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/root"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/process/cwd"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/linux/namespaces/0/type"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/linux/devices/0/type"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/hooks/prestart/0/path"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/mounts/0/destination"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/linux/seccomp/syscalls/0/names"));
    oci_diags_clear(&d);
    /* no diags at all: still counts */
    ck_assert_uint_eq(berth_validate_config(&cfg, NULL, NULL), n);
    ck_assert_uint_ge(berth_validate_config(NULL, NULL, &d), 1);
    oci_diags_clear(&d);
}
END_TEST

/* ---- the spec's own examples ------------------------------------------------ */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf;
    long len;

    ck_assert_msg(f != NULL, "open %s: %s", path, strerror(errno));
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t)len + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return buf;
}

/* Every good example of runtime-spec v1.3.0 must pass without an error. */
START_TEST(spec_good_examples)
{
    const char *dir = TEST_SRCDIR "/tests/unit/data/spec-examples/config/good";
    const struct berth_validate_opts o = {.check_host = false};
    DIR *d = opendir(dir);
    struct dirent *e;
    int seen = 0;

    ck_assert_msg(d != NULL, "open %s", dir);
    while ((e = readdir(d))) {
        struct oci_diags diags = {0};
        char path[4096];
        char *json;
        oci_config *cfg;
        if (!strstr(e->d_name, ".json"))
            continue;
        (void)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        json = read_text(path);
        cfg = oci_parse(&oci_config_desc, json, strlen(json), &diags);
        ck_assert_msg(cfg != NULL, "%s does not parse", path);
        if (berth_validate_config(cfg, &o, &diags))
            dump_diags(path, &diags);
        ck_assert_msg(diags.nerrors == 0, "%s: %zu errors", path, diags.nerrors);
        oci_config_free(cfg);
        oci_diags_clear(&diags);
        free(json);
        seen++;
    }
    closedir(d);
    ck_assert_int_ge(seen, 5);
}
END_TEST

/* Whole configurations from other tools and engines (data/validate/README). */
static const struct {
    const char *file;
    size_t errors, warnings;
    const char *error_pointer; /* when errors == 1 */
} fixtures[] = {
    {"engine-like.json", 0, 0, NULL},
    {"runc-spec.json", 0, 1, NULL}, /* ambient capabilities not inheritable */
    {"runc-spec-rootless.json", 0, 1, NULL},
    {"crun-spec.json", 0, 1, NULL},
    {"crun-spec-rootless.json", 1, 1, "/linux/namespaces"}, /* user ns without maps */
};

START_TEST(fixture_configs)
{
    const struct berth_validate_opts o = {.check_host = false};
    struct oci_diags d = {0};
    char path[4096];
    char *json;
    oci_config *cfg;
    size_t n;

    (void)snprintf(path, sizeof(path), TEST_SRCDIR "/tests/unit/data/validate/%s",
                   fixtures[_i].file);
    json = read_text(path);
    cfg = oci_parse(&oci_config_desc, json, strlen(json), &d);
    if (!cfg)
        dump_diags(path, &d);
    ck_assert_ptr_nonnull(cfg);
    n = berth_validate_config(cfg, &o, &d);
    if (n != fixtures[_i].errors || d.len - d.nerrors != fixtures[_i].warnings)
        dump_diags(path, &d);
    ck_assert_uint_eq(n, fixtures[_i].errors);
    ck_assert_uint_eq(d.len - d.nerrors, fixtures[_i].warnings);
    if (fixtures[_i].error_pointer)
        ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, fixtures[_i].error_pointer));
    oci_diags_clear(&d);
    oci_config_free(cfg);
    free(json);
}
END_TEST

/* ---- host checks and the bundle entry points ---------------------------------- */

/* main() makes test_root and removes it after all tests, so that even a
 * failing test (whose forked process ends early) leaves nothing behind. */
static char test_root[64];
static char tmpdir[96];

static void make_tmp(void)
{
    (void)snprintf(tmpdir, sizeof(tmpdir), "%s/bundle.XXXXXX", test_root);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[128];

    (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_config(const char *quoted)
{
    char path[256];
    char *json = unquote(quoted);
    FILE *f;

    (void)snprintf(path, sizeof(path), "%s/config.json", tmpdir);
    f = fopen(path, "we");
    ck_assert_ptr_nonnull(f);
    fputs(json, f);
    fclose(f);
    free(json);
}

static size_t host_check(const char *quoted, struct oci_diags *d)
{
    const struct berth_validate_opts o = {.bundle_dir = tmpdir, .check_host = true};
    oci_config *cfg = parse("host check", quoted);
    size_t n = berth_validate_config(cfg, &o, d);

    oci_config_free(cfg);
    return n;
}

START_TEST(host_rootfs)
{
    struct oci_diags d = {0};
    char path[256];
    FILE *f;

    make_tmp();
    /* missing */
    ck_assert_uint_eq(host_check(CFG(""), &d), 1);
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/root/path"));
    ck_assert_ptr_nonnull(strstr(first_error(&d), "No such file or directory"));
    oci_diags_clear(&d);
    /* a file, not a directory */
    (void)snprintf(path, sizeof(path), "%s/rootfs", tmpdir);
    f = fopen(path, "we");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_uint_eq(host_check(CFG(""), &d), 1);
    ck_assert_ptr_nonnull(strstr(first_error(&d), "not a directory"));
    oci_diags_clear(&d);
    /* a directory, relative to the bundle */
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    ck_assert_uint_eq(host_check(CFG(""), &d), 0);
    oci_diags_clear(&d);
    /* the same without host checks: no error even when missing */
    ck_assert_int_eq(rmdir(path), 0);
    {
        oci_config *cfg = parse("no host", CFG(""));
        ck_assert_uint_eq(berth_validate_config(cfg, NULL, &d), 0);
        oci_config_free(cfg);
    }
    oci_diags_clear(&d);
    rm_tmp();
}
END_TEST

START_TEST(host_namespace_paths)
{
    struct oci_diags d = {0};
    char root[256];

    make_tmp();
    (void)snprintf(root, sizeof(root), "%s/rootfs", tmpdir);
    ck_assert_int_eq(mkdir(root, 0755), 0);
    /* the right type */
    ck_assert_uint_eq(
        host_check(CFG(LINUX(NS("{'type':'network','path':'/proc/self/ns/net'}"))), &d), 0);
    oci_diags_clear(&d);
    /* a namespace file of another type */
    ck_assert_uint_eq(host_check(CFG(LINUX(NS("{'type':'pid','path':'/proc/self/ns/net'}"))), &d),
                      1);
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/linux/namespaces/0/path"));
    ck_assert_ptr_nonnull(strstr(first_error(&d), "is not a pid namespace"));
    oci_diags_clear(&d);
    /* not a namespace file at all */
    ck_assert_uint_eq(host_check(CFG(LINUX(NS("{'type':'ipc','path':'/etc/hostname'}"))), &d), 1);
    ck_assert_ptr_nonnull(strstr(first_error(&d), "not a namespace file"));
    oci_diags_clear(&d);
    /* a FIFO is never opened (that would block) */
    {
        char fifo[256];
        (void)snprintf(fifo, sizeof(fifo), "%s/fifo", tmpdir);
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        char json[512];
        (void)snprintf(json, sizeof(json), CFG(LINUX(NS("{'type':'ipc','path':'%s'}"))), fifo);
        ck_assert_uint_eq(host_check(json, &d), 1);
        ck_assert_ptr_nonnull(strstr(first_error(&d), "not a namespace file"));
        oci_diags_clear(&d);
    }
    /* missing */
    ck_assert_uint_eq(host_check(CFG(LINUX(NS("{'type':'ipc','path':'/nonexistent/ns'}"))), &d), 1);
    ck_assert_ptr_nonnull(strstr(first_error(&d), "No such file"));
    oci_diags_clear(&d);
    /* every kind of new namespace and a recursive read-only bind: this
     * host (Linux >= 5.12 with user namespaces enabled) supports them all */
    ck_assert_uint_eq(host_check(CFG(",'mounts':[{'destination':'/d','source':'/"
                                     "tmp','options':['rbind','rro']}]" LINUX(
                                         NS("{'type':'pid'},{'type':'network'},{'type':'mount'},{'"
                                            "type':'ipc'},"
                                            "{'type':'uts'},{'type':'user'},{'type':'cgroup'},{'"
                                            "type':'time'}") "," USERNS_MAPS)),
                                 &d),
                      0);
    oci_diags_clear(&d);
    /* net sysctls in the runtime's own network namespace */
    ck_assert_uint_eq(
        host_check(
            CFG(LINUX(NS("{'type':'network','path':'/proc/self/ns/net'}") ","
                                                                          "'sysctl':{'net.ipv4.ip_"
                                                                          "forward':'1'}")),
            &d),
        1);
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/linux/sysctl/net.ipv4.ip_forward"));
    oci_diags_clear(&d);
    rm_tmp();
}
END_TEST

START_TEST(bundle_entry_point)
{
    struct oci_diags d = {0};
    berth_error_t err = NULL;
    oci_config *cfg = (oci_config *)0x1; /* must stay untouched on error */
    char root[256];

    make_tmp();
    /* no config.json */
    ck_assert_int_eq(VALIDATE_BUNDLE(tmpdir, &d, &cfg, &err), -EINVAL);
    ck_assert_ptr_eq(cfg, (oci_config *)0x1);
    ck_assert_ptr_nonnull(strstr(err->msg, "No such file or directory"));
    berth_error_release(&err);
    oci_diags_clear(&d);
    /* a schema error: the first error, "pointer: message" */
    write_config(BASE ",'hostname':1}");
    ck_assert_int_eq(VALIDATE_BUNDLE(tmpdir, &d, &cfg, &err), -EINVAL);
    ck_assert_ptr_eq(cfg, (oci_config *)0x1);
    ck_assert_msg(strncmp(err->msg, "/hostname: ", 11) == 0, "got \"%s\"", err->msg);
    berth_error_release(&err);
    oci_diags_clear(&d);
    /* a semantic error (the rootfs is missing too, but reported second) */
    write_config(CFG(LINUX(NS("{'type':'pid'}") ",'uidMappings':[{'containerID':0,'hostID':1,"
                                                "'size':1}]")));
    ck_assert_int_eq(VALIDATE_BUNDLE(tmpdir, NULL, &cfg, &err), -EINVAL);
    ck_assert_msg(strncmp(err->msg, "/root/path: config.md \"Root\"", 28) == 0, "got \"%s\"",
                  err->msg);
    berth_error_release(&err);
    /* valid, with warnings kept in diags */
    (void)snprintf(root, sizeof(root), "%s/rootfs", tmpdir);
    ck_assert_int_eq(mkdir(root, 0755), 0);
    write_config(CFG(",'zzz':1,'mounts':[{'destination':'rel','type':'tmpfs'}]"));
    cfg = NULL;
    ck_assert_int_eq(VALIDATE_BUNDLE(tmpdir, &d, &cfg, &err), 0);
    ck_assert_ptr_null(err);
    ck_assert_ptr_nonnull(cfg);
    ck_assert_str_eq(cfg->ociVersion, "1.3.0");
    ck_assert_uint_eq(d.nerrors, 0);
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_WARNING, "/zzz"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_WARNING, "/mounts/0/destination"));
    oci_config_free(cfg);
    oci_diags_clear(&d);
    /* without ret_cfg the config is freed, and without diags nothing leaks */
    ck_assert_int_eq(VALIDATE_BUNDLE(tmpdir, NULL, NULL, &err), 0);
    rm_tmp();
}
END_TEST

/* The spec's examples as whole bundles with host checks (a rootfs made). */
START_TEST(bundle_good_examples)
{
    const char *names[] = {"minimal.json", "minimal-for-start.json", "spec-example.json",
                           "linux-rdma.json", "linux-netdevice.json"};
    char root[256];

    make_tmp();
    (void)snprintf(root, sizeof(root), "%s/rootfs", tmpdir);
    ck_assert_int_eq(mkdir(root, 0755), 0);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[4096];
        struct oci_diags d = {0};
        berth_error_t err = NULL;
        char *json;
        FILE *f;
        (void)snprintf(path, sizeof(path),
                       TEST_SRCDIR "/tests/unit/data/spec-examples/config/good/%s", names[i]);
        json = read_text(path);
        (void)snprintf(path, sizeof(path), "%s/config.json", tmpdir);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(json, f);
        fclose(f);
        free(json);
        if (VALIDATE_BUNDLE(tmpdir, &d, NULL, &err) < 0)
            dump_diags(names[i], &d);
        ck_assert_msg(err == NULL, "%s: %s", names[i], err ? err->msg : "");
        oci_diags_clear(&d);
    }
    rm_tmp();
}
END_TEST

START_TEST(process_entry_point)
{
    struct oci_diags d = {0};
    char *json = unquote("{'cwd':'/','args':[],'env':['X'],'rlimits':[{'type':'RLIMIT_NOPE',"
                         "'soft':1,'hard':1}]}");
    oci_process *p = oci_parse(&oci_process_desc, json, strlen(json), &d);

    if (!p) {
        /* args [] is a schema error for a process; retry without it */
        oci_diags_clear(&d);
        free(json);
        json = unquote("{'cwd':'/','env':['X'],'rlimits':[{'type':'RLIMIT_NOPE','soft':1,"
                       "'hard':1}]}");
        p = oci_parse(&oci_process_desc, json, strlen(json), &d);
    }
    ck_assert_ptr_nonnull(p);
    oci_diags_clear(&d);
    ck_assert_uint_eq(berth_validate_process(NULL, p, &d), 3);
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/args"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/env/0"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/rlimits/0/type"));
    oci_diags_clear(&d);
    oci_process_free(p);
    free(json);
}
END_TEST

START_TEST(resources_entry_point)
{
    struct oci_diags d = {0};
    char *json = unquote("{'memory':{'limit':2000000,'swap':1000000},'pids':{'limit':-2},"
                         "'cpu':{'cpus':'0-3'}}");
    oci_resources *r = oci_parse(&oci_resources_desc, json, strlen(json), &d);

    ck_assert_ptr_nonnull(r);
    oci_diags_clear(&d);
    ck_assert_uint_eq(berth_validate_resources(r, &d), 2);
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/memory/swap"));
    ck_assert_ptr_nonnull(find(&d, OCI_DIAG_ERROR, "/pids/limit"));
    oci_diags_clear(&d);
    oci_free(&oci_resources_desc, r);
    free(json);
}
END_TEST

/* The cgroup version's table (cgroup-fields.h): on v2 the fields v2
 * cannot convert are errors with the cgroup module's own reason (and the
 * kernel memory limits a warning), on v1 nothing is said. */
START_TEST(cgroup_version_fields)
{
    oci_config *cfg = parse("v2", CFG(RES("'memory':{'swappiness':60,'kernel':1048576,"
                                          "'useHierarchy':true,'disableOOMKiller':false},"
                                          "'network':{'classID':3},'cpu':{'realtimePeriod':0}")));
    struct berth_validate_opts o = {.cgroup = BERTH_VALIDATE_CG_V2, .more = berth_cgroup_validate};
    struct oci_diags d = {0};
    const struct oci_diag *e;

    ck_assert_uint_eq(berth_validate_config(cfg, &o, &d), 2);
    e = find(&d, OCI_DIAG_ERROR, "/linux/resources/memory/swappiness");
    ck_assert(e && strstr(e->message, "cgroup v2 has no swappiness"));
    e = find(&d, OCI_DIAG_ERROR, "/linux/resources/network/classID");
    ck_assert(e && strstr(e->message, "net_cls"));
    e = find(&d, OCI_DIAG_WARNING, "/linux/resources/memory/kernel");
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_null(find(&d, OCI_DIAG_ERROR, "/linux/resources/memory/useHierarchy"));
    ck_assert_ptr_null(find(&d, OCI_DIAG_ERROR, "/linux/resources/cpu/realtimePeriod"));
    oci_diags_clear(&d);
    o.cgroup = BERTH_VALIDATE_CG_V1;
    ck_assert_uint_eq(berth_validate_config(cfg, &o, &d), 0);
    ck_assert_ptr_null(find(&d, OCI_DIAG_ERROR, "/linux/resources/memory/swappiness"));
    oci_diags_clear(&d);
    oci_config_free(cfg);
}
END_TEST

/* Speed: create runs every rule, so a large realistic config must be quick. */
START_TEST(rules_are_fast)
{
    const char *path = TEST_SRCDIR "/tests/unit/data/spec-examples/config/good/spec-example.json";
    const struct berth_validate_opts o = {.check_host = false};
    char *json = read_text(path);
    oci_config *cfg = oci_parse(&oci_config_desc, json, strlen(json), NULL);
    struct timespec a, b;

    ck_assert_ptr_nonnull(cfg);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 1000; i++) {
        struct oci_diags d = {0};
        (void)berth_validate_config(cfg, &o, &d);
        oci_diags_clear(&d);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    /* 1000 runs in under a second: well under 1 ms per create. */
    ck_assert_int_lt((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec), 1000000000L);
    oci_config_free(cfg);
    free(json);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("validate");
    TCase *rules = tcase_create("rules");
    TCase *host = tcase_create("host");
    SRunner *sr;
    int failed;

    tcase_add_loop_test(rules, rule_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(rules, spec_good_examples);
    tcase_add_test(rules, c_built_with_holes);
    tcase_add_loop_test(rules, fixture_configs, 0, (int)(sizeof(fixtures) / sizeof(fixtures[0])));
    tcase_add_test(rules, process_entry_point);
    tcase_add_test(rules, resources_entry_point);
    tcase_add_test(rules, rules_are_fast);
    tcase_add_test(rules, cgroup_version_fields);
    tcase_add_test(host, host_rootfs);
    tcase_add_test(host, host_namespace_paths);
    tcase_add_test(host, bundle_entry_point);
    tcase_add_test(host, bundle_good_examples);
    suite_add_tcase(s, rules);
    suite_add_tcase(s, host);
    (void)snprintf(test_root, sizeof(test_root), "%s/berth-test-validate.XXXXXX",
                   getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(test_root)) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    sr = srunner_create(s);
    if (getenv("CK_FORK") == NULL)
        srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    {
        char cmd[128];
        (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_root);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", test_root);
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
