/* spec.h: the door of the spec module (the config's validation, the
 * default spec, the page sizes of hugepage limits): other modules include
 * this header only (docs/architecture.md, "Doors"); each part keeps one
 * concern. */
#ifndef BERTH_SPEC_DOOR_H
#define BERTH_SPEC_DOOR_H

#include "spec/validate.h"
#include "spec/spec-default.h"
#include "spec/page-size.h"

#endif
