/* src/swar.h: the eight-bytes-at-a-time tests give the byte loop's answer. */
#include "../../src/swar.h"
#include "t.h"

#include <stdint.h>

static int below_bytewise(const unsigned char *b, unsigned char n)
{
        for (int i = 0; i < 8; i++)
                if (b[i] < n)
                        return 1;
        return 0;
}

static int between_bytewise(const unsigned char *b, unsigned char m, unsigned char n)
{
        for (int i = 0; i < 8; i++)
                if (b[i] > m && b[i] < n)
                        return 1;
        return 0;
}

static int high_bytewise(const unsigned char *b)
{
        for (int i = 0; i < 8; i++)
                if (b[i] >= 0x80)
                        return 1;
        return 0;
}

static int byte_bytewise(const unsigned char *b, unsigned char x)
{
        for (int i = 0; i < 8; i++)
                if (b[i] == x)
                        return 1;
        return 0;
}

/* Words of bytes near the values tested (0x00, 0x1f-0x21, '#', '<', 0x7e-0x81,
 * 0xff) at every place, where borrows across bytes could mislead a test. */
static void test_against_bytes(void)
{
        static const unsigned char near[] = {0x00, 0x01, 0x09, 0x0a, 0x1f, 0x20, 0x21, '"', '#',
                                             '$',  ';',  '<',  '=',  '>',  '?',  '@',  'A', 0x7e,
                                             0x7f, 0x80, 0x81, 0xa3, 0xbc, 0xfe, 0xff};
        unsigned seed = 1;
        int bad = 0;
        for (int t = 0; t < 500000 && !bad; t++) {
                unsigned char b[8];
                for (int i = 0; i < 8; i++) {
                        seed = seed * 1103515245u + 12345u;
                        b[i] = near[(seed >> 16) % sizeof(near)];
                }
                uint64_t w = vb_swar_load((const char *)b);
                bad |= vb_swar_has_below(w, 0x20) != below_bytewise(b, 0x20);
                bad |= vb_swar_has_below(w, 0x80) != below_bytewise(b, 0x80);
                bad |= vb_swar_has_byte(w, '#') != byte_bytewise(b, '#');
                bad |= vb_swar_has_byte(w, '<') != byte_bytewise(b, '<');
                bad |= vb_swar_has_byte(w, 0x7f) != byte_bytewise(b, 0x7f);
                bad |= vb_swar_has_byte(w, 0x00) != byte_bytewise(b, 0x00);
                bad |= vb_swar_has_high(w) != high_bytewise(b);
                bad |= vb_swar_has_between(w, 0x21, 0x3f) != between_bytewise(b, 0x21, 0x3f);
                bad |= vb_swar_has_between(w, 0x1f, 0x80) != between_bytewise(b, 0x1f, 0x80);
                if (bad)
                        T_FAIL("word %02x %02x %02x %02x %02x %02x %02x %02x", b[0], b[1], b[2],
                               b[3], b[4], b[5], b[6], b[7]);
        }
}

int main(void)
{
        T_RUN(test_against_bytes);
        T_END();
}
