/* criu-images.c: what berth keeps beside criu's images, as JSON documents
 * written and read through the model (libocispec's engine).
 *
 * - descriptors.json: what the init's fds 0-2 were, a JSON array of three
 *   strings in runc's format (its descriptorsFilename), so an image from
 *   either runtime tells restore which pipes to re-bind.
 * - berth-external.json: the mounts criu was told are external, an array of
 *   {"destination", "source"}: restore binds each destination to the source
 *   (BERTH_CRIU_CGROUP2 stands for the new container's cgroup2 directory).
 */
#include "criu-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/io.h"
#include "oci.h"

static const struct oci_field external_fields[] = {
    OCI_STR(struct berth_criu_external, destination, OCI_REQUIRED | OCI_ABS_PATH),
    OCI_STR(struct berth_criu_external, source, OCI_REQUIRED),
};
static const struct oci_desc external_desc = OCI_DESC(struct berth_criu_external, external_fields);

/* One row per document: its file name and the kind of its elements. */
static const struct {
    const char *file;
    struct oci_field elem;
} docs[] = {
    [BERTH_CRIU_DESCRIPTORS] = {"descriptors.json",
                                {"", OCI_STRING, OCI_ARRAY, 0, 0, NULL, 0, NULL, NULL}},
    [BERTH_CRIU_EXTERNALS] = {"berth-external.json",
                              {"", OCI_OBJECT, OCI_ARRAY, 0, 0, &external_desc, 0, NULL, NULL}},
};

int berth_criu_doc_write(const char *img, enum berth_criu_doc doc, const void *values, size_t n,
                         berth_error_t *err)
{
    _cleanup_free_ char *path = NULL, *json = NULL;
    _cleanup_close_ int fd = -1;
    size_t len = 0;
    int r;

    if (asprintf(&path, "%s/%s", img, docs[doc].file) < 0)
        return berth_error_make(err, ENOMEM, "checkpoint");
    json = oci_emit_array(&docs[doc].elem, values, n, 0, false, &len);
    if (!json)
        return berth_error_make(err, EINVAL, "checkpoint: encode `%s`", path);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return berth_error_errno(err, "create `%s`", path);
    r = berth_write_all(fd, json, len);
    if (r < 0)
        return berth_error_make(err, -r, "write `%s`", path);
    return 0;
}

int berth_criu_doc_read(const char *img, enum berth_criu_doc doc, void **ret_values, size_t *ret_n,
                        berth_error_t *err)
{
    _cleanup_free_ char *path = NULL;
    struct oci_diags diags = {0};
    struct stat st;
    char msg[512];
    int r = 0;

    *ret_values = NULL;
    *ret_n = 0;
    if (asprintf(&path, "%s/%s", img, docs[doc].file) < 0)
        return berth_error_make(err, ENOMEM, "restore");
    /* an image criu made without berth (or without that need) has none */
    if (stat(path, &st) < 0)
        return errno == ENOENT ? 0 : berth_error_errno(err, "stat `%s`", path);
    if (oci_parse_array_file(&docs[doc].elem, path, ret_values, ret_n, &diags) < 0)
        r = berth_error_make(err, EINVAL, "restore: parse `%s`: %s", path,
                             oci_diags_first_error(&diags, msg, sizeof(msg)) ?: "invalid");
    oci_diags_clear(&diags);
    return r;
}

void berth_criu_doc_free(enum berth_criu_doc doc, void *values, size_t n)
{
    oci_free_array(&docs[doc].elem, values, n);
}
