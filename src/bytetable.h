/* A table of 256 entries, one per byte value, initialized from a macro:
 * VB_BYTE_TABLE(F) is {F(0), F(1), ..., F(255)}, for the byte classes that
 * the hot loops (escaping, safe names, plain YAML) look up.  Private to
 * src/. */
#ifndef VB_BYTETABLE_H
#define VB_BYTETABLE_H

#define VB_BYTES_4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define VB_BYTES_16(F, c)                                                                          \
        VB_BYTES_4(F, c), VB_BYTES_4(F, (c) + 4), VB_BYTES_4(F, (c) + 8), VB_BYTES_4(F, (c) + 12)
#define VB_BYTES_64(F, c)                                                                          \
        VB_BYTES_16(F, c), VB_BYTES_16(F, (c) + 16), VB_BYTES_16(F, (c) + 32),                     \
            VB_BYTES_16(F, (c) + 48)
#define VB_BYTE_TABLE(F)                                                                           \
        {                                                                                          \
                VB_BYTES_64(F, 0), VB_BYTES_64(F, 64), VB_BYTES_64(F, 128), VB_BYTES_64(F, 192)    \
        }

#endif
