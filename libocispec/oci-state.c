/* oci-state.c: being written. */
