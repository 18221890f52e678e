/*
 * frame_record.h — record the largest native stack frame of an emitted
 * object in its metadata (frame_record.c).
 */
#ifndef W2N_FRAME_RECORD_H
#define W2N_FRAME_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "w2n/abi.h"
#include "w2n/error.h"

/* Measure the object's functions (common/frame.h) and patch the result
 * into its .w2n.module section, in place.  Before the seal is appended. */
w2n_status w2n_frame_record(w2n_arch arch, uint8_t *object, size_t size, w2n_error *err);

#endif
