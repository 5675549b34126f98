/* fuzz-config.c: libFuzzer target for libocispec. Each input is parsed as a
 * config, a bare process, resources, state and features document; whatever
 * parses must emit (compact and pretty), re-parse without diagnostics,
 * compare equal, survive oci_dup and pass oci_check. Any violation aborts so
 * libFuzzer records the input. Built by tests/fuzz/local.mk with
 * --enable-fuzzing; driven by tests/fuzz/run-fuzz.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "oci-types.h"

static void fail(const char *what, const struct oci_desc *desc, const char *json)
{
    fprintf(stderr, "fuzz-config: %s (%s)\n%s\n", what, desc->name, json ? json : "");
    abort();
}

static void check_emit(const struct oci_desc *desc, const void *obj, bool pretty)
{
    struct oci_diags d = {0};
    size_t len = 0;
    char *json = oci_emit(desc, obj, pretty, &len);
    void *again;

    /* Parsed strings are valid UTF-8, so emitting cannot fail. */
    if (json == NULL)
        fail("emit failed", desc, NULL);
    again = oci_parse(desc, json, len, &d);
    if (again == NULL)
        fail("re-parse of emitted JSON failed", desc, json);
    if (d.len != 0)
        fail("re-parse of emitted JSON has diagnostics", desc, json);
    if (!oci_equal(desc, obj, again))
        fail("re-parsed object differs", desc, json);
    oci_free(desc, again);
    oci_diags_clear(&d);
    free(json);
}

static void fuzz_one(const struct oci_desc *desc, const uint8_t *data, size_t size)
{
    struct oci_diags d = {0};
    char buf[512];
    void *obj, *copy;

    obj = oci_parse(desc, (const char *)data, size, &d);
    (void)oci_diags_first_error(&d, buf, sizeof(buf));
    if ((obj == NULL) != (d.nerrors > 0))
        fail("result and error count disagree", desc, NULL);
    oci_diags_clear(&d);
    if (obj == NULL)
        return;
    if (oci_check(desc, obj, NULL) != 0)
        fail("parsed object fails oci_check", desc, NULL);
    check_emit(desc, obj, false);
    check_emit(desc, obj, true);
    copy = oci_dup(desc, obj);
    if (copy == NULL || !oci_equal(desc, obj, copy))
        fail("oci_dup differs", desc, NULL);
    oci_free(desc, copy);
    oci_free(desc, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_one(&oci_config_desc, data, size);
    fuzz_one(&oci_process_desc, data, size);
    fuzz_one(&oci_resources_desc, data, size);
    fuzz_one(&oci_state_desc, data, size);
    fuzz_one(&oci_features_desc, data, size);
    return 0;
}
