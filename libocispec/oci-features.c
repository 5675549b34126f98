/* oci-features.c: being written. */
