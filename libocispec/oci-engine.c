/* oci-engine.c: being written. */
