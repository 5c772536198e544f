/* Eight bytes at a time (SWAR): tests on a 64-bit word read from any
 * address, for the hot loops that look for a few byte values in text
 * where they are rare.  Each test is exact for the word as a whole (which
 * byte matched is for a byte loop to find).  Private to src/. */
#ifndef VB_SWAR_H
#define VB_SWAR_H

#include <stdint.h>
#include <string.h>

#define VB_SWAR_ONES 0x0101010101010101ULL
#define VB_SWAR_HIGH 0x8080808080808080ULL

static inline uint64_t vb_swar_load(const char *s)
{
        uint64_t w;
        memcpy(&w, s, sizeof(w));
        return w;
}

/* Some byte of w is below n (n at most 128). */
static inline int vb_swar_has_below(uint64_t w, unsigned char n)
{
        return ((w - VB_SWAR_ONES * n) & ~w & VB_SWAR_HIGH) != 0;
}

/* Some byte of w is b. */
static inline int vb_swar_has_byte(uint64_t w, unsigned char b)
{
        uint64_t x = w ^ (VB_SWAR_ONES * b);
        return ((x - VB_SWAR_ONES) & ~x & VB_SWAR_HIGH) != 0;
}

/* Some byte of w is above m and below n (m and n at most 128). */
static inline int vb_swar_has_between(uint64_t w, unsigned char m, unsigned char n)
{
        uint64_t low = w & (VB_SWAR_ONES * 127);
        return ((VB_SWAR_ONES * (127 + (uint64_t)n) - low) & ~w & (low + VB_SWAR_ONES * (127 - m)) &
                VB_SWAR_HIGH) != 0;
}

/* Some byte of w has its high bit set (is not ASCII). */
static inline int vb_swar_has_high(uint64_t w)
{
        return (w & VB_SWAR_HIGH) != 0;
}

#endif
