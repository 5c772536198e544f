/* The fuzz targets: one function per target, called by libFuzzer's
 * LLVMFuzzerTestOneInput (built by tests/fuzz/run.sh) and by the replay
 * test (tests/unit/test_fuzz_replay.c), which includes the targets' sources
 * with VB_FUZZ_REPLAY defined.  Each returns 0 and abort()s when an
 * invariant breaks, so that the fuzzer reports it as a crash. */
#ifndef VERBATIM_FUZZ_H
#define VERBATIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int vb_fuzz_note(const uint8_t *data, size_t size);
int vb_fuzz_vocab(const uint8_t *data, size_t size);
int vb_fuzz_html(const uint8_t *data, size_t size);
int vb_fuzz_pii(const uint8_t *data, size_t size);
int vb_fuzz_phrase(const uint8_t *data, size_t size);
int vb_fuzz_yaml(const uint8_t *data, size_t size);

#ifndef VB_FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define VB_FUZZ_ENTRY(fn)                                                                          \
        int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                               \
        {                                                                                          \
                return fn(data, size);                                                             \
        }
#else
#define VB_FUZZ_ENTRY(fn)
#endif

#endif
