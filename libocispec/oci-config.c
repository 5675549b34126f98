/* oci-config.c: being written. */
