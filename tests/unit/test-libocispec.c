/* test-libocispec.c: unit tests of libocispec (parse, validate, emit, free,
 * equal, dup) with check. One suite per area: spec examples, JSON, types,
 * ranges, table checks, round trips, descriptor tables.
 *
 * The spec's own example documents are always checked from the copy in
 * tests/unit/data/spec-examples/, and also from a full runtime-spec checkout
 * when one is found (OCI_SPEC_DIR, default $(top_srcdir)/../shared/
 * runtime-spec); without a checkout that case prints why it is skipped.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oci-types.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define CFG(members)  "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"rootfs\"}," members "}"
#define PROC(members) "{\"cwd\":\"/\"," members "}"

/* ---- helpers ------------------------------------------------------------- */

static char *read_file(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    size_t len = 0;

    ck_assert_msg(f != NULL, "open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    len = (size_t)ftell(f);
    rewind(f);
    buf = malloc(len + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, len, f), len);
    buf[len] = '\0';
    fclose(f);
    *ret_len = len;
    return buf;
}

static const struct oci_diag *find_diag(const struct oci_diags *d, enum oci_diag_level level,
                                        const char *pointer)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].level == level && strcmp(d->items[i].pointer, pointer) == 0)
            return &d->items[i];
    return NULL;
}

static void dump_diags(const struct oci_diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        fprintf(stderr, "  %s %s: %s\n", d->items[i].level == OCI_DIAG_ERROR ? "E" : "W",
                d->items[i].pointer, d->items[i].message);
}

/* Parses json with desc and asserts it fails with an error at `pointer`
 * whose message contains `msg` (when not NULL). */
static void expect_error(const struct oci_desc *desc, const char *json, const char *pointer,
                         const char *msg)
{
    struct oci_diags d = {0};
    const struct oci_diag *it;
    void *obj = oci_parse(desc, json, strlen(json), &d);

    if (obj != NULL || find_diag(&d, OCI_DIAG_ERROR, pointer) == NULL)
        dump_diags(&d);
    ck_assert_ptr_null(obj);
    ck_assert_uint_ge(d.nerrors, 1);
    it = find_diag(&d, OCI_DIAG_ERROR, pointer);
    ck_assert_msg(it != NULL, "no error at \"%s\" for %s", pointer, json);
    if (msg != NULL)
        ck_assert_msg(strstr(it->message, msg) != NULL, "message \"%s\" lacks \"%s\"", it->message,
                      msg);
    oci_diags_clear(&d);
}

static void *expect_ok(const struct oci_desc *desc, const char *json)
{
    struct oci_diags d = {0};
    void *obj = oci_parse(desc, json, strlen(json), &d);

    if (obj == NULL)
        dump_diags(&d);
    ck_assert_msg(obj != NULL, "parse failed: %s", json);
    ck_assert_uint_eq(d.nerrors, 0);
    oci_diags_clear(&d);
    return obj;
}

/* emit (pretty and compact) -> parse -> equal, and dup -> equal */
static void check_roundtrip(const struct oci_desc *desc, const void *obj)
{
    for (int pretty = 0; pretty <= 1; pretty++) {
        struct oci_diags d = {0};
        size_t len = 0;
        char *json = oci_emit(desc, obj, pretty, &len);
        void *again;

        ck_assert_ptr_nonnull(json);
        ck_assert_uint_eq(strlen(json), len);
        again = oci_parse(desc, json, len, &d);
        if (again == NULL)
            dump_diags(&d);
        ck_assert_msg(again != NULL, "re-parse of emitted JSON failed:\n%s", json);
        ck_assert_uint_eq(d.len, 0); /* no warnings either */
        ck_assert_msg(oci_equal(desc, obj, again), "round trip differs:\n%s", json);
        oci_free(desc, again);
        oci_diags_clear(&d);
        free(json);
    }
    void *copy = oci_dup(desc, obj);
    ck_assert_ptr_nonnull(copy);
    ck_assert(oci_equal(desc, obj, copy));
    oci_free(desc, copy);
}

/* ---- spec examples ---------------------------------------------------------- */

struct bad_example {
    const char *file;
    const char *pointer;
};

/* Where each of the spec's bad examples is wrong (read off the files). */
static const struct bad_example bad_examples[] = {
    {"config/bad/invalid-json.json", ""},
    {"config/bad/linux-hugepage.json", "/linux/resources/hugepageLimits/0/pageSize"},
    {"config/bad/linux-netdevice.json", "/linux/netDevices/eth0/name"},
    {"config/bad/linux-rdma.json", "/linux/resources/rdma/mlx5_1/hcaHandles"},
    {"features/bad/missing-ociVersionMax.json", "/ociVersionMax"},
    {"state/bad/invalid-json.json", ""},
};

static const struct oci_desc *example_desc(const char *kind)
{
    if (strcmp(kind, "state") == 0)
        return &oci_state_desc;
    if (strcmp(kind, "features") == 0)
        return &oci_features_desc;
    return &oci_config_desc;
}

static const char *bad_pointer(const char *rel)
{
    for (size_t i = 0; i < sizeof(bad_examples) / sizeof(bad_examples[0]); i++)
        if (strcmp(bad_examples[i].file, rel) == 0)
            return bad_examples[i].pointer;
    return NULL; /* a newer spec's example: it must fail, pointer unknown */
}

static void check_example(const char *root, const char *kind, const char *good, const char *name)
{
    const struct oci_desc *desc = example_desc(kind);
    struct oci_diags d = {0};
    char path[4096], rel[1024];
    size_t len;
    char *json;
    void *obj;

    snprintf(rel, sizeof(rel), "%s/%s/%s", kind, good, name);
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    json = read_file(path, &len);
    obj = oci_parse(desc, json, len, &d);
    if (strcmp(good, "good") == 0) {
        if (obj == NULL)
            dump_diags(&d);
        ck_assert_msg(obj != NULL, "good example %s does not parse", path);
        check_roundtrip(desc, obj);
    } else {
        const char *pointer = bad_pointer(rel);

        ck_assert_msg(obj == NULL, "bad example %s parses", path);
        if (pointer != NULL && find_diag(&d, OCI_DIAG_ERROR, pointer) == NULL)
            dump_diags(&d);
        ck_assert_msg(pointer == NULL || find_diag(&d, OCI_DIAG_ERROR, pointer) != NULL,
                      "bad example %s: no error at \"%s\"", path, pointer);
    }
    oci_free(desc, obj);
    oci_diags_clear(&d);
    free(json);
}

/* Checks every example under root/{config,state,features}/{good,bad}. */
static size_t check_examples(const char *root)
{
    static const char *const kinds[] = {"config", "state", "features"};
    static const char *const goods[] = {"good", "bad"};
    size_t n = 0;

    for (size_t k = 0; k < 3; k++) {
        for (size_t g = 0; g < 2; g++) {
            char dir[4096];
            struct dirent *de;
            DIR *dp;

            snprintf(dir, sizeof(dir), "%s/%s/%s", root, kinds[k], goods[g]);
            dp = opendir(dir);
            ck_assert_msg(dp != NULL, "open %s", dir);
            while ((de = readdir(dp)) != NULL) {
                size_t l = strlen(de->d_name);

                if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
                    continue;
                check_example(root, kinds[k], goods[g], de->d_name);
                n++;
            }
            closedir(dp);
        }
    }
    return n;
}

START_TEST(examples_bundled)
{
    /* 8 good + 6 bad files in runtime-spec v1.3.0 */
    ck_assert_uint_eq(check_examples(TEST_SRCDIR "/tests/unit/data/spec-examples"), 14);
}
END_TEST

START_TEST(examples_spec_checkout)
{
    const char *spec = getenv("OCI_SPEC_DIR");
    char root[4096];
    struct stat st;

    if (spec == NULL || spec[0] == '\0')
        spec = TEST_SRCDIR "/../shared/runtime-spec";
    snprintf(root, sizeof(root), "%s/schema/test", spec);
    if (stat(root, &st) < 0) {
        printf("SKIP examples_spec_checkout: no runtime-spec checkout at %s "
               "(set OCI_SPEC_DIR); the bundled copy was checked instead\n",
               spec);
        return;
    }
    ck_assert_uint_ge(check_examples(root), 14);
}
END_TEST

static void check_doc_example(const struct oci_desc *desc, const char *name)
{
    struct oci_diags d = {0};
    char path[4096];
    size_t len;
    char *json;
    void *obj;

    snprintf(path, sizeof(path), "%s/tests/unit/data/spec-doc-examples/%s", TEST_SRCDIR, name);
    json = read_file(path, &len);
    obj = oci_parse(desc, json, len, &d);
    if (d.len != 0)
        dump_diags(&d);
    ck_assert_msg(obj != NULL && d.len == 0, "%s: not clean", path);
    check_roundtrip(desc, obj);
    oci_free(desc, obj);
    free(json);
}

START_TEST(examples_spec_documents)
{
    oci_config *c;

    check_doc_example(&oci_config_desc, "config.md-example.json");
    check_doc_example(&oci_features_desc, "features.md-example.json");
    check_doc_example(&oci_state_desc, "runtime.md-state-example.json");
    /* spot checks that the values land in the right members */
    c = oci_config_parse_file(
        TEST_SRCDIR "/tests/unit/data/spec-doc-examples/config.md-example.json", NULL);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->process->rlimits[0].type, "RLIMIT_CORE");
    ck_assert_uint_eq(c->process->rlimits[0].hard, 1024);
    ck_assert_str_eq(c->linux->seccomp->syscalls[0].names[1], "chmod");
    ck_assert_int_eq(c->linux->resources->memory->limit, 536870912);
    ck_assert(c->linux->resources->memory->disableOOMKiller_present);
    ck_assert_str_eq(c->annotations.keys[0], "com.example.key1");
    oci_config_free(c);
}
END_TEST

/* ---- JSON level -------------------------------------------------------------- */

START_TEST(json_invalid)
{
    expect_error(&oci_config_desc, "{]", "", "invalid JSON at line 1, column 2");
    expect_error(&oci_config_desc, "", "", "invalid JSON");
    expect_error(&oci_config_desc, "{} {}", "", "invalid JSON");
    expect_error(&oci_config_desc, "{\"a\":\n\"\xff\"}", "", "invalid JSON at line 2");
    expect_error(&oci_config_desc, "[1]", "", "expected an object, got array");
    expect_error(&oci_config_desc, "\"x\"", "", "expected an object, got string");
}
END_TEST

START_TEST(json_nul_bytes)
{
    static const char with_nul[] = "{\"ociVersion\":\"1.0.0\"}\0garbage";
    struct oci_diags d = {0};

    ck_assert_ptr_null(oci_parse(&oci_config_desc, with_nul, sizeof(with_nul) - 1, &d));
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, ""));
    ck_assert_ptr_nonnull(strstr(d.items[0].message, "NUL byte at offset 22"));
    oci_diags_clear(&d);
    expect_error(&oci_config_desc, CFG("\"hostname\":\"a\\u0000b\""), "", "\\u0000");
    /* an escaped backslash followed by u0000 is plain text */
    oci_config_free(expect_ok(&oci_config_desc, CFG("\"hostname\":\"a\\\\u0000b\"")));
}
END_TEST

START_TEST(json_deep_nesting)
{
    char json[512];
    size_t n = 0;

    n += (size_t)snprintf(json, sizeof(json), "{\"x\":");
    for (int i = 0; i < 100; i++)
        json[n++] = '[';
    for (int i = 0; i < 100; i++)
        json[n++] = ']';
    json[n++] = '}';
    json[n] = '\0';
    expect_error(&oci_config_desc, json, "", "nesting deeper than 64 levels");
    /* brackets inside strings do not count */
    oci_config_free(expect_ok(&oci_config_desc, CFG("\"hostname\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                                    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"")));
}
END_TEST

START_TEST(json_unknown_fields)
{
    struct oci_diags d = {0};
    oci_config *c;

    c = oci_parse(
        &oci_config_desc, CFG("\"a/b~c\":1,\"process\":{\"cwd\":\"/\",\"bogus\":{\"deep\":[1]}}"),
        strlen(CFG("\"a/b~c\":1,\"process\":{\"cwd\":\"/\",\"bogus\":{\"deep\":[1]}}")), &d);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(d.nerrors, 0);
    ck_assert_uint_eq(d.len, 2);
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_WARNING, "/a~1b~0c"));
    ck_assert_str_eq(find_diag(&d, OCI_DIAG_WARNING, "/process/bogus")->message, "unknown field");
    ck_assert_str_eq(c->process->cwd, "/");
    oci_config_free(c);
    oci_diags_clear(&d);
}
END_TEST

START_TEST(json_null_handling)
{
    oci_config *c = expect_ok(&oci_config_desc, CFG("\"hostname\":null,\"mounts\":null,"
                                                    "\"annotations\":null,\"process\":null"));

    ck_assert_ptr_null(c->hostname);
    ck_assert_ptr_null(c->mounts);
    ck_assert_ptr_null(c->annotations.keys);
    ck_assert_ptr_null(c->process);
    oci_config_free(c);
    expect_error(&oci_config_desc, "{\"ociVersion\":null,\"root\":{\"path\":\"r\"}}", "/ociVersion",
                 "expected a string, got null");
    expect_error(&oci_config_desc, CFG("\"mounts\":[null]"), "/mounts/0",
                 "expected an object, got null");
    expect_error(&oci_config_desc, CFG("\"annotations\":{\"k\":null}"), "/annotations/k",
                 "expected a string, got null");
}
END_TEST

START_TEST(json_duplicates)
{
    expect_error(&oci_config_desc, CFG("\"hostname\":\"a\",\"hostname\":\"b\""), "/hostname",
                 "duplicate member");
    expect_error(&oci_config_desc, CFG("\"annotations\":{\"k\":\"1\",\"j\":\"2\",\"k\":\"3\"}"),
                 "/annotations/k", "duplicate key");
}
END_TEST

/* ---- types ------------------------------------------------------------------- */

START_TEST(types_mismatch)
{
    expect_error(&oci_config_desc, CFG("\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1g\"}}}"),
                 "/linux/resources/memory/limit", "expected a 64-bit integer, got string");
    expect_error(&oci_config_desc, CFG("\"hostname\":7"), "/hostname",
                 "expected a string, got number");
    expect_error(&oci_config_desc, CFG("\"process\":{\"cwd\":\"/\",\"terminal\":\"yes\"}"),
                 "/process/terminal", "expected a boolean, got string");
    expect_error(&oci_config_desc, CFG("\"process\":[]"), "/process",
                 "expected an object, got array");
    expect_error(&oci_config_desc, CFG("\"mounts\":{}"), "/mounts",
                 "expected an array, got object");
    expect_error(&oci_config_desc, CFG("\"annotations\":[]"), "/annotations",
                 "expected an object, got array");
    expect_error(&oci_config_desc, CFG("\"process\":{\"cwd\":\"/\",\"args\":[\"a\",true]}"),
                 "/process/args/1", "expected a string, got boolean");
    expect_error(&oci_config_desc, CFG("\"linux\":{\"uidMappings\":[\"x\"]}"),
                 "/linux/uidMappings/0", "expected an object, got string");
    expect_error(&oci_config_desc, CFG("\"linux\":{\"resources\":{\"rdma\":{\"m\":1}}}"),
                 "/linux/resources/rdma/m", "expected an object, got number");
}
END_TEST

START_TEST(types_all_errors_reported)
{
    const char *json =
        CFG("\"hostname\":1,\"domainname\":2,\"process\":{\"cwd\":\"rel\","
            "\"oomScoreAdj\":\"x\"},\"linux\":{\"namespaces\":[{\"type\":\"bad\"}]}");
    struct oci_diags d = {0};

    ck_assert_ptr_null(oci_parse(&oci_config_desc, json, strlen(json), &d));
    ck_assert_uint_eq(d.nerrors, 5);
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/hostname"));
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/domainname"));
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/process/cwd"));
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/process/oomScoreAdj"));
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/linux/namespaces/0/type"));
    oci_diags_clear(&d);
}
END_TEST

START_TEST(types_error_bound)
{
    size_t n = 0, cap = 300 * 8 + 64;
    char *json = malloc(cap);
    struct oci_diags d = {0};

    ck_assert_ptr_nonnull(json);
    n += (size_t)snprintf(json, cap,
                          "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"r\"},"
                          "\"mounts\":[");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(json + n, cap - n, "%s1", i ? "," : "");
    n += (size_t)snprintf(json + n, cap - n, "]}");
    ck_assert_ptr_null(oci_parse(&oci_config_desc, json, n, &d));
    /* 100 errors, then one closing note; oci_diags counts all added */
    ck_assert_uint_eq(d.nerrors, 101);
    ck_assert_ptr_nonnull(strstr(d.items[d.len - 1].message, "too many errors"));
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/mounts/99"));
    ck_assert_ptr_null(find_diag(&d, OCI_DIAG_ERROR, "/mounts/100"));
    /* without diags the result is the same */
    ck_assert_ptr_null(oci_parse(&oci_config_desc, json, n, NULL));
    oci_diags_clear(&d);
    free(json);
}
END_TEST

/* ---- integer ranges ---------------------------------------------------------- */

#define MEM(v) CFG("\"linux\":{\"resources\":{\"memory\":{\"limit\":" v "}}}")
#define UID(v) PROC("\"user\":{\"uid\":" v ",\"gid\":0}")
#define RATE(v)                                                                                    \
    "{\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,\"rate\":" v "}]}}"
#define NICE(v)   PROC("\"scheduler\":{\"policy\":\"SCHED_OTHER\",\"nice\":" v "}")
#define WEIGHT(v) "{\"blockIO\":{\"weight\":" v "}}"
#define OOM(v)    PROC("\"oomScoreAdj\":" v)

START_TEST(ranges_uint32)
{
    oci_process *p = expect_ok(&oci_process_desc, UID("4294967295"));

    ck_assert_uint_eq(p->user->uid, UINT32_MAX);
    ck_assert(p->user->uid_present);
    oci_process_free(p);
    expect_error(&oci_process_desc, UID("4294967296"), "/user/uid",
                 "expected a 32-bit unsigned integer, got 4294967296");
    expect_error(&oci_process_desc, UID("-1"), "/user/uid",
                 "expected a 32-bit unsigned integer, got -1");
    expect_error(&oci_process_desc, UID("1.5"), "/user/uid", "got 1.5");
    expect_error(&oci_process_desc, UID("1e3"), "/user/uid", "got 1e3");
    expect_error(&oci_process_desc, UID("99999999999999999999999"), "/user/uid",
                 "got 99999999999999999999999");
    p = expect_ok(&oci_process_desc, UID("-0"));
    ck_assert_uint_eq(p->user->uid, 0);
    oci_process_free(p);
}
END_TEST

START_TEST(ranges_int64)
{
    oci_config *c = expect_ok(&oci_config_desc, MEM("-9223372036854775808"));

    ck_assert(c->linux->resources->memory->limit == INT64_MIN);
    oci_config_free(c);
    c = expect_ok(&oci_config_desc, MEM("9223372036854775807"));
    ck_assert(c->linux->resources->memory->limit == INT64_MAX);
    check_roundtrip(&oci_config_desc, c);
    oci_config_free(c);
    expect_error(&oci_config_desc, MEM("9223372036854775808"), "/linux/resources/memory/limit",
                 "expected a 64-bit integer, got 9223372036854775808");
    expect_error(&oci_config_desc, MEM("-9223372036854775809"), "/linux/resources/memory/limit",
                 "expected a 64-bit integer");
    c = expect_ok(&oci_config_desc, MEM("-1"));
    ck_assert(c->linux->resources->memory->limit == -1);
    oci_config_free(c);
}
END_TEST

START_TEST(ranges_uint64)
{
    oci_resources *r = expect_ok(&oci_resources_desc, RATE("18446744073709551615"));
    char *json;

    ck_assert(r->blockIO->throttleReadBpsDevice[0].rate == UINT64_MAX);
    json = oci_emit(&oci_resources_desc, r, false, NULL);
    ck_assert_ptr_nonnull(strstr(json, "\"rate\":18446744073709551615"));
    free(json);
    check_roundtrip(&oci_resources_desc, r);
    oci_free(&oci_resources_desc, r);
    expect_error(&oci_resources_desc, RATE("18446744073709551616"),
                 "/blockIO/throttleReadBpsDevice/0/rate",
                 "expected a 64-bit unsigned integer, got 18446744073709551616");
    expect_error(&oci_resources_desc, RATE("-5"), "/blockIO/throttleReadBpsDevice/0/rate",
                 "expected a 64-bit unsigned integer, got -5");
}
END_TEST

START_TEST(ranges_small)
{
    oci_resources *r = expect_ok(&oci_resources_desc, WEIGHT("65535"));
    oci_process *p;

    ck_assert_uint_eq(r->blockIO->weight, 65535);
    oci_free(&oci_resources_desc, r);
    expect_error(&oci_resources_desc, WEIGHT("65536"), "/blockIO/weight",
                 "expected a 16-bit unsigned integer, got 65536");
    p = expect_ok(&oci_process_desc, NICE("-2147483648"));
    ck_assert_int_eq(p->scheduler->nice, INT32_MIN);
    oci_process_free(p);
    expect_error(&oci_process_desc, NICE("2147483648"), "/scheduler/nice",
                 "expected a 32-bit integer, got 2147483648");
    p = expect_ok(&oci_process_desc, OOM("-1000"));
    ck_assert_int_eq(p->oomScoreAdj, -1000);
    ck_assert(p->oomScoreAdj_present);
    oci_process_free(p);
    expect_error(&oci_process_desc, OOM("-2147483649"), "/oomScoreAdj", "32-bit integer");
    expect_error(&oci_process_desc, OOM("true"), "/oomScoreAdj", "got boolean");
}
END_TEST

/* OCI_DOUBLE (events' PSI averages): any finite JSON number in, written
 * back as the shortest text that reads as the same double, as Go does. */
struct dbl {
    double v;
    bool v_present;
};
static const struct oci_field dbl_fields[] = {OCI_SCAL(struct dbl, v, OCI_DOUBLE, 0, NULL)};
static const struct oci_desc dbl_desc = OCI_DESC(struct dbl, dbl_fields);

START_TEST(ranges_double)
{
    static const char *const in[] = {"0.00",   "1.50",  "12.34", "100",  "0.1",
                                     "-2.5e3", "1e300", "1e-7",  "1e21", "123456789012"};
    static const char *const out[] = {"0",     "1.5",    "12.34", "100",   "0.1",
                                      "-2500", "1e+300", "1e-7",  "1e+21", "123456789012"};

    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        char json[64], want[64];
        struct dbl *d;
        char *text;

        snprintf(json, sizeof(json), "{\"v\":%s}", in[i]);
        d = expect_ok(&dbl_desc, json);
        ck_assert(d->v_present);
        text = oci_emit(&dbl_desc, d, false, NULL);
        snprintf(want, sizeof(want), "{\"v\":%s}", out[i]);
        ck_assert_str_eq(text, want);
        free(text);
        check_roundtrip(&dbl_desc, d);
        oci_free(&dbl_desc, d);
    }
    expect_error(&dbl_desc, "{\"v\":\"1\"}", "/v", "expected a number, got string");
    expect_error(&dbl_desc, "{\"v\":1e999}", "/v", "not a finite number");
}
END_TEST

/* ---- table checks ------------------------------------------------------------ */

START_TEST(checks_required)
{
    expect_error(&oci_config_desc, "{\"root\":{\"path\":\"r\"}}", "/ociVersion",
                 "required field is missing");
    expect_error(&oci_config_desc, "{\"ociVersion\":\"1.0.0\"}", "/root",
                 "required field is missing");
    expect_error(&oci_process_desc, "{\"args\":[\"sh\"]}", "/cwd", "required field is missing");
    expect_error(&oci_process_desc, PROC("\"user\":{\"uid\":0}"), "/user/gid", "required");
    expect_error(&oci_state_desc, "{\"ociVersion\":\"1.0.0\",\"id\":\"a\",\"status\":\"created\"}",
                 "/bundle", "required field is missing");
    expect_error(&oci_resources_desc, "{\"pids\":{}}", "/pids/limit", "required");
    expect_error(&oci_config_desc,
                 CFG("\"linux\":{\"devices\":[{\"type\":\"c\",\"path\":\"/dev/x\"}]}"),
                 "/linux/devices/0", "major and minor are required");
    oci_config_free(expect_ok(
        &oci_config_desc, CFG("\"linux\":{\"devices\":[{\"type\":\"p\",\"path\":\"/dev/f\"}]}")));
}
END_TEST

START_TEST(checks_enums)
{
    expect_error(&oci_config_desc, CFG("\"linux\":{\"namespaces\":[{\"type\":\"net\"}]}"),
                 "/linux/namespaces/0/type",
                 "invalid value \"net\", expected one of: mount, pid, network, uts, ipc, user, "
                 "cgroup, time");
    expect_error(&oci_config_desc,
                 CFG("\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                     "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_Z80\"]}}"),
                 "/linux/seccomp/architectures/1", "invalid value \"SCMP_ARCH_Z80\"");
    /* runtime.md "State": a runtime MAY define more statuses (berth: paused),
     * so any non-empty status parses; an empty one does not. */
    oci_state_free(expect_ok(&oci_state_desc, "{\"ociVersion\":\"1.0.0\",\"id\":\"a\","
                                              "\"status\":\"paused\",\"bundle\":\"/b\"}"));
    expect_error(&oci_state_desc,
                 "{\"ociVersion\":\"1.0.0\",\"id\":\"a\",\"status\":\"\",\"bundle\":\"/b\"}",
                 "/status", NULL);
    expect_error(&oci_config_desc,
                 CFG("\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}"),
                 "/linux/namespaces/1/type", "type \"pid\" is listed more than once");
}
END_TEST

START_TEST(checks_paths_and_nonempty)
{
    expect_error(&oci_process_desc, "{\"cwd\":\"tmp\"}", "/cwd",
                 "must be an absolute path, got \"tmp\"");
    expect_error(&oci_config_desc, CFG("\"hooks\":{\"poststop\":[{\"path\":\"hook\"}]}"),
                 "/hooks/poststop/0/path", "absolute path");
    expect_error(&oci_config_desc, CFG("\"linux\":{\"maskedPaths\":[\"/ok\",\"proc/kcore\"]}"),
                 "/linux/maskedPaths/1", "absolute path");
    expect_error(&oci_config_desc,
                 CFG("\"linux\":{\"devices\":[{\"type\":\"p\",\"path\":\"dev/fifo\"}]}"),
                 "/linux/devices/0/path", "absolute path");
    expect_error(&oci_process_desc, PROC("\"args\":[]"), "/args", "must not be empty");
    expect_error(&oci_config_desc,
                 CFG("\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                     "\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_ERRNO\"}]}}"),
                 "/linux/seccomp/syscalls/0/names", "must not be empty");
    /* config.md "Mounts": a relative destination is allowed on Linux */
    oci_config_free(expect_ok(&oci_config_desc,
                              CFG("\"mounts\":[{\"destination\":\"data\",\"type\":\"bind\"}]")));
}
END_TEST

START_TEST(checks_patterns)
{
    expect_error(&oci_process_desc,
                 PROC("\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\","
                      "\"priority\":8}"),
                 "/ioPriority/priority", "must be between 0 and 7, got 8");
    expect_error(&oci_process_desc,
                 PROC("\"rlimits\":[{\"type\":\"NOFILE\",\"soft\":1,\"hard\":1}]"),
                 "/rlimits/0/type", "must match ^RLIMIT_[A-Z]+$, got \"NOFILE\"");
    expect_error(&oci_process_desc, PROC("\"execCPUAffinity\":{\"initial\":\"0-3;7\"}"),
                 "/execCPUAffinity/initial", "must match");
    expect_error(&oci_config_desc,
                 CFG("\"hooks\":{\"prestart\":[{\"path\":\"/h\",\"timeout\":0}]}"),
                 "/hooks/prestart/0/timeout", "must be greater than zero, got 0");
    expect_error(&oci_config_desc,
                 CFG("\"linux\":{\"devices\":[{\"type\":\"c\",\"path\":\"/dev/x\",\"major\":1,"
                     "\"minor\":3,\"fileMode\":512}]}"),
                 "/linux/devices/0/fileMode", "got 512");
    expect_error(&oci_config_desc,
                 CFG("\"linux\":{\"devices\":[{\"type\":\"x\",\"path\":\"/d\"}]}"),
                 "/linux/devices/0/type", "expected one of: c, b, u, p");
    expect_error(&oci_config_desc, CFG("\"linux\":{\"intelRdt\":{\"memBwSchema\":\"L3:0=f\"}}"),
                 "/linux/intelRdt/memBwSchema", "^MB:");
    expect_error(&oci_resources_desc, "{\"hugepageLimits\":[{\"pageSize\":\"02MB\",\"limit\":1}]}",
                 "/hugepageLimits/0/pageSize", "must match");
    expect_error(&oci_resources_desc, "{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}",
                 "/devices/0/access", "r, w and m");
    expect_error(&oci_config_desc, "{\"ociVersion\":\"1.0\",\"root\":{\"path\":\"r\"}}",
                 "/ociVersion", "SemVer");
    expect_error(&oci_state_desc,
                 "{\"ociVersion\":\"1.0.0\",\"id\":\"a\",\"status\":\"created\",\"bundle\":\"/b\","
                 "\"pid\":-1}",
                 "/pid", "must not be negative");
    oci_config_free(expect_ok(&oci_config_desc,
                              "{\"ociVersion\":\"1.2.3-rc.1+git.abc\",\"root\":{\"path\":\"r\"}}"));
}
END_TEST

/* One problem, one error: no "required" or whole-object follow-ups. */
static void expect_nerrors(const struct oci_desc *desc, const char *json, size_t n)
{
    struct oci_diags d = {0};

    ck_assert_ptr_null(oci_parse(desc, json, strlen(json), &d));
    if (d.nerrors != n)
        dump_diags(&d);
    ck_assert_uint_eq(d.nerrors, n);
    oci_diags_clear(&d);
}

START_TEST(checks_no_followups)
{
    expect_nerrors(&oci_config_desc,
                   CFG("\"linux\":{\"devices\":[{\"type\":\"c\",\"path\":\"/d\",\"major\":\"1\","
                       "\"minor\":1}]}"),
                   1);
    expect_nerrors(&oci_process_desc, "{\"cwd\":null}", 1);
    expect_nerrors(&oci_process_desc, "{\"cwd\":5}", 1);
    expect_nerrors(&oci_config_desc, CFG("\"hooks\":{\"prestart\":[\"/bin/true\"]}"), 1);
    expect_nerrors(&oci_config_desc,
                   CFG("\"linux\":{\"namespaces\":[{\"type\":\"pid\"},"
                       "{\"type\":\"pid\",\"path\":1}]}"),
                   1);
}
END_TEST

START_TEST(checks_c_built)
{
    oci_process proc = {0};
    oci_user user = {.uid = 0, .uid_present = true};
    struct oci_diags d = {0};

    proc.cwd = (char *)"relative";
    proc.user = &user;
    ck_assert_uint_eq(oci_check(&oci_process_desc, &proc, &d), 2);
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/cwd"));
    ck_assert_ptr_nonnull(find_diag(&d, OCI_DIAG_ERROR, "/user/gid"));
    oci_diags_clear(&d);
    proc.cwd = (char *)"/";
    user.gid_present = true;
    ck_assert_uint_eq(oci_check(&oci_process_desc, &proc, NULL), 0);
    ck_assert_uint_eq(oci_check(&oci_process_desc, &proc, &d), 0);
    ck_assert_uint_eq(d.len, 0);
}
END_TEST

/* ---- round trips --------------------------------------------------------------- */

START_TEST(roundtrip_absent_vs_empty)
{
    oci_process *p = expect_ok(&oci_process_desc, PROC("\"env\":[]"));
    char *json;

    ck_assert_ptr_nonnull(p->env);
    ck_assert_uint_eq(p->env_len, 0);
    ck_assert_ptr_null(p->capabilities);
    json = oci_emit(&oci_process_desc, p, false, NULL);
    ck_assert_str_eq(json, "{\"env\":[],\"cwd\":\"/\"}");
    free(json);
    free(p->env);
    p->env = NULL; /* absent now: emitted without "env" and no longer equal */
    json = oci_emit(&oci_process_desc, p, false, NULL);
    ck_assert_str_eq(json, "{\"cwd\":\"/\"}");
    free(json);
    oci_process_free(p);
}
END_TEST

START_TEST(roundtrip_maps_keep_order)
{
    oci_config *c =
        expect_ok(&oci_config_desc, CFG("\"annotations\":{\"z\":\"1\",\"a\":\"2\",\"m/~\":\"3\"},"
                                        "\"linux\":{\"sysctl\":{},\"netDevices\":{\"eth1\":{},"
                                        "\"eth0\":{\"name\":\"e\"}}}"));
    char *json;

    ck_assert_uint_eq(c->annotations.len, 3);
    ck_assert_str_eq(c->annotations.keys[0], "z");
    ck_assert_str_eq(c->annotations.values[2], "3");
    ck_assert_ptr_nonnull(c->linux->sysctl.keys);
    ck_assert_uint_eq(c->linux->sysctl.len, 0);
    ck_assert_str_eq(c->linux->netDevices.keys[1], "eth0");
    ck_assert_str_eq(c->linux->netDevices.values[1]->name, "e");
    ck_assert_ptr_null(c->linux->netDevices.values[0]->name);
    json = oci_emit(&oci_config_desc, c, false, NULL);
    ck_assert_ptr_nonnull(strstr(json, "\"annotations\":{\"z\":\"1\",\"a\":\"2\",\"m/~\":\"3\"}"));
    ck_assert_ptr_nonnull(strstr(json, "\"sysctl\":{}"));
    free(json);
    check_roundtrip(&oci_config_desc, c);
    oci_config_free(c);
}
END_TEST

START_TEST(roundtrip_equal_detects_changes)
{
    const char *json = CFG("\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"terminal\":false}");
    oci_config *a = expect_ok(&oci_config_desc, json);
    oci_config *b = oci_dup(&oci_config_desc, a);

    ck_assert(oci_equal(&oci_config_desc, a, b));
    b->process->terminal_present = false; /* false vs absent */
    ck_assert(!oci_equal(&oci_config_desc, a, b));
    b->process->terminal_present = true;
    b->process->args[0][0] = 'S';
    ck_assert(!oci_equal(&oci_config_desc, a, b));
    b->process->args[0][0] = 's';
    b->process->args_len = 0;
    ck_assert(!oci_equal(&oci_config_desc, a, b));
    b->process->args_len = 1;
    ck_assert(oci_equal(&oci_config_desc, a, b));
    oci_config_free(a);
    oci_config_free(b);
}
END_TEST

START_TEST(roundtrip_emit_format)
{
    oci_state st = {0};
    char *json;

    st.ociVersion = (char *)"1.3.0";
    st.id = (char *)"c1";
    st.status = (char *)"running";
    st.pid = 42;
    st.pid_present = true;
    st.bundle = (char *)"/b";
    st.created = (char *)"2026-01-01T00:00:00Z";
    ck_assert_uint_eq(oci_check(&oci_state_desc, &st, NULL), 0);
    json = oci_emit(&oci_state_desc, &st, false, NULL);
    ck_assert_str_eq(
        json, "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"pid\":42,"
              "\"status\":\"running\",\"bundle\":\"/b\",\"created\":\"2026-01-01T00:00:00Z\"}");
    free(json);
    json = oci_emit(&oci_state_desc, &st, true, NULL);
    ck_assert_ptr_nonnull(strstr(json, "{\n    \"ociVersion\": \"1.3.0\",\n"));
    free(json);
    st.id = (char *)"bad\xff";
    ck_assert_ptr_null(oci_emit(&oci_state_desc, &st, false, NULL));
    /* ... unless asked to write it as Go does: U+FFFD for the bad byte */
    json = oci_emit_with(&oci_state_desc, &st, OCI_EMIT_REPLACE_UTF8, NULL);
    ck_assert_ptr_nonnull(strstr(json, "\"id\":\"bad\xef\xbf\xbd\""));
    free(json);
    st.id = (char *)"\xc0\xaf\xed\xa0\x80ok\xe2\x82\xac"; /* overlong, surrogate, valid */
    json = oci_emit_with(&oci_state_desc, &st, OCI_EMIT_REPLACE_UTF8, NULL);
    ck_assert_ptr_nonnull(strstr(json, "\"id\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                       "\xef\xbf\xbdok\xe2\x82\xac\""));
    free(json);
}
END_TEST

/* The engine's forms for documents beyond the spec's (runc's events and
 * list output): a map of numbers, a member written as null when absent,
 * and top-level arrays. */
struct scal_doc {
    OCI_MAP(uint64_t *) counts;
    char **names;
    size_t names_len;
};
static const struct oci_field scal_fields[] = {
    OCI_MAP_SCAL(struct scal_doc, counts, OCI_UINT64, 0),
    {"names", OCI_STRING, OCI_ARRAY, offsetof(struct scal_doc, names),
     offsetof(struct scal_doc, names_len), NULL, OCI_EMIT_NULL, NULL, NULL},
};
static const struct oci_desc scal_desc = OCI_DESC(struct scal_doc, scal_fields);

START_TEST(roundtrip_scalar_maps_null_arrays)
{
    const char *json = "{\"counts\":{\"cache\":18446744073709551615,\"rss\":4096}}";
    struct scal_doc *d = expect_ok(&scal_desc, json), *copy;
    static const int64_t pids[] = {1, 42};
    static const struct oci_field i64 = {"", OCI_INT64, OCI_ARRAY, 0, 0, NULL, 0, NULL, NULL};
    static const struct oci_field obj = {"",         OCI_OBJECT, OCI_ARRAY, 0,   0,
                                         &scal_desc, 0,          NULL,      NULL};
    char *out;

    ck_assert_uint_eq(d->counts.len, 2);
    ck_assert(*d->counts.values[0] == UINT64_MAX && *d->counts.values[1] == 4096);
    /* absent names: null with OCI_EMIT_NULL, and null reads back as absent */
    out = oci_emit(&scal_desc, d, false, NULL);
    ck_assert_str_eq(out, "{\"counts\":{\"cache\":18446744073709551615,\"rss\":4096},"
                          "\"names\":null}");
    free(out);
    copy = oci_dup(&scal_desc, d);
    ck_assert(oci_equal(&scal_desc, d, copy));
    *copy->counts.values[1] = 1;
    ck_assert(!oci_equal(&scal_desc, d, copy));
    oci_free(&scal_desc, copy);
    expect_error(&scal_desc, "{\"counts\":{\"a\":\"x\"}}", "/counts/a", "64-bit");
    /* top-level arrays: numbers, objects, and Go's null for an empty list */
    out = oci_emit_array(&i64, pids, 2, 0, true, NULL);
    ck_assert_str_eq(out, "[1,42]");
    free(out);
    out = oci_emit_array(&obj, d, 1, 0, false, NULL);
    ck_assert_str_eq(out, "[{\"counts\":{\"cache\":18446744073709551615,\"rss\":4096},"
                          "\"names\":null}]");
    free(out);
    out = oci_emit_array(&i64, pids, 0, 0, true, NULL);
    ck_assert_str_eq(out, "null");
    free(out);
    out = oci_emit_array(&i64, pids, 0, 0, false, NULL);
    ck_assert_str_eq(out, "[]");
    free(out);
    out = oci_emit_array(&i64, pids, 0, OCI_EMIT_PRETTY, false, NULL);
    ck_assert_str_eq(out, "[]"); /* not yajl's "[\n\n]" */
    free(out);
    oci_free(&scal_desc, d);
}
END_TEST

/* oci_parse_array reads what oci_emit_array writes: strings (runc's
 * checkpoint descriptors.json) and objects, with pointers in its errors. */
static int parse_arr(const struct oci_field *elem, const char *json, void **values, size_t *n,
                     struct oci_diags *diags)
{
    return oci_parse_array(elem, json, strlen(json), values, n, diags);
}

START_TEST(parse_top_level_arrays)
{
    static const struct oci_field str = {"", OCI_STRING, OCI_ARRAY, 0, 0, NULL, 0, NULL, NULL};
    static const struct oci_field obj = {"",         OCI_OBJECT, OCI_ARRAY, 0,   0,
                                         &scal_desc, 0,          NULL,      NULL};
    struct oci_diags diags = {0};
    struct scal_doc *docs = NULL;
    char **v = NULL, *out;
    size_t n = 99;

    ck_assert_int_eq(parse_arr(&str, "[\"pipe:[1]\",\"/dev/null\"]", (void **)&v, &n, NULL), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(v[0], "pipe:[1]");
    ck_assert_str_eq(v[1], "/dev/null");
    out = oci_emit_array(&str, v, n, 0, false, NULL);
    ck_assert_str_eq(out, "[\"pipe:[1]\",\"/dev/null\"]");
    free(out);
    oci_free_array(&str, v, n);
    ck_assert_int_eq(parse_arr(&str, "[]", (void **)&v, &n, NULL), 0);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(n, 0);
    oci_free_array(&str, v, n);
    ck_assert_int_eq(parse_arr(&obj, "[{\"names\":[\"a\"]},{}]", (void **)&docs, &n, NULL), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(docs[0].names[0], "a");
    ck_assert_ptr_null(docs[1].names);
    oci_free_array(&obj, docs, n);
    /* wrong element, not an array, null, not JSON: errors with pointers */
    ck_assert_int_eq(parse_arr(&str, "[\"a\",1]", (void **)&v, &n, &diags), -1);
    ck_assert_uint_eq(diags.nerrors, 1);
    ck_assert_str_eq(diags.items[0].pointer, "/1");
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "expected a string"));
    oci_diags_clear(&diags);
    ck_assert_int_eq(parse_arr(&obj, "[{\"names\":1}]", (void **)&docs, &n, &diags), -1);
    ck_assert_str_eq(diags.items[0].pointer, "/0/names");
    oci_diags_clear(&diags);
    ck_assert_int_eq(parse_arr(&str, "{}", (void **)&v, &n, &diags), -1);
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "expected an array"));
    oci_diags_clear(&diags);
    ck_assert_int_eq(parse_arr(&str, "null", (void **)&v, &n, NULL), -1);
    ck_assert_int_eq(parse_arr(&str, "[", (void **)&v, &n, &diags), -1);
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "invalid JSON"));
    oci_diags_clear(&diags);
}
END_TEST

/* ---- descriptor tables ------------------------------------------------------- */

static size_t check_desc(const struct oci_desc *desc, size_t depth)
{
    size_t n = 1;

    ck_assert_uint_lt(depth, 10);
    ck_assert_uint_le(desc->nfields, 64); /* oci-engine.c OCI_MAX_FIELDS */
    for (size_t i = 0; i < desc->nfields; i++) {
        const struct oci_field *f = &desc->fields[i];

        ck_assert_ptr_eq(oci_desc_field(desc, f->name), f); /* names are unique */
        ck_assert_uint_lt(f->offset, desc->size);
        ck_assert_msg((f->kind == OCI_OBJECT) == (f->nested != NULL), "%s.%s", desc->name, f->name);
        ck_assert_msg(f->enum_values == NULL || f->kind == OCI_STRING, "%s.%s", desc->name,
                      f->name);
        if (f->nested != NULL)
            n += check_desc(f->nested, depth + 1);
    }
    return n;
}

START_TEST(tables_consistent)
{
    ck_assert_uint_ge(check_desc(&oci_config_desc, 0), 40);
    check_desc(&oci_state_desc, 0);
    check_desc(&oci_features_desc, 0);
    ck_assert_ptr_null(oci_desc_field(&oci_config_desc, "nope"));
    ck_assert_str_eq(oci_desc_field(&oci_config_desc, "linux")->nested->name, "oci_linux");
    ck_assert_str_eq(oci_seccomp_actions[8], "SCMP_ACT_NOTIFY");
    ck_assert_ptr_null(oci_seccomp_actions[9]);
    ck_assert_str_eq(oci_io_priority_classes[2], "IOPRIO_CLASS_IDLE");
}
END_TEST

START_TEST(tables_parse_file)
{
    struct oci_diags d = {0};
    char buf[256];

    ck_assert_ptr_null(oci_config_parse_file("/nonexistent/config.json", &d));
    ck_assert_str_eq(oci_diags_first_error(&d, buf, sizeof(buf)),
                     "open `/nonexistent/config.json`: No such file or directory");
    oci_diags_clear(&d);
    ck_assert_ptr_null(oci_diags_first_error(&d, buf, sizeof(buf)));
    expect_error(&oci_config_desc, CFG("\"hostname\":1"), "/hostname", NULL);
}
END_TEST

/* ---- main ---------------------------------------------------------------------- */

static Suite *make_suite(const char *name, const TTest *const *tests, size_t n)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create("core");

    for (size_t i = 0; i < n; i++)
        tcase_add_test(tc, tests[i]);
    suite_add_tcase(s, tc);
    return s;
}

#define SUITE(name, ...)                                                                           \
    do {                                                                                           \
        const TTest *const t_[] = {__VA_ARGS__};                                                   \
        srunner_add_suite(sr, make_suite(name, t_, sizeof(t_) / sizeof(t_[0])));                   \
    } while (0)

int main(void)
{
    SRunner *sr = srunner_create(NULL);
    int failed;

    SUITE("examples", examples_bundled, examples_spec_checkout, examples_spec_documents);
    SUITE("json", json_invalid, json_nul_bytes, json_deep_nesting, json_unknown_fields,
          json_null_handling, json_duplicates);
    SUITE("types", types_mismatch, types_all_errors_reported, types_error_bound);
    SUITE("ranges", ranges_uint32, ranges_int64, ranges_uint64, ranges_small, ranges_double);
    SUITE("checks", checks_required, checks_enums, checks_paths_and_nonempty, checks_patterns,
          checks_no_followups, checks_c_built);
    SUITE("roundtrip", roundtrip_absent_vs_empty, roundtrip_maps_keep_order,
          roundtrip_equal_detects_changes, roundtrip_emit_format, roundtrip_scalar_maps_null_arrays,
          parse_top_level_arrays);
    SUITE("tables", tables_consistent, tables_parse_file);
    /* Each test in its own process unless CK_FORK=no (for valgrind/gdb). */
    if (getenv("CK_FORK") == NULL)
        srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
