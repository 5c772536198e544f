/* A tiny unit-test harness: TAP-style "ok - name" / "not ok - name" lines. */
#ifndef VERBATIM_T_H
#define VERBATIM_T_H

#include <stdio.h>
#include <string.h>

static int t_failed;
static int t_case_failed;

#define T_FAIL(...)                                                                                \
        do {                                                                                       \
                printf("#   %s:%d: ", __FILE__, __LINE__);                                         \
                printf(__VA_ARGS__);                                                               \
                printf("\n");                                                                      \
                t_case_failed = 1;                                                                 \
        } while (0)

#define T_TRUE(c)                                                                                  \
        do {                                                                                       \
                if (!(c))                                                                          \
                        T_FAIL("expected %s", #c);                                                 \
        } while (0)

#define T_INT(a, b)                                                                                \
        do {                                                                                       \
                long long t_a = (long long)(a), t_b = (long long)(b);                              \
                if (t_a != t_b)                                                                    \
                        T_FAIL("%s == %lld, expected %lld", #a, t_a, t_b);                         \
        } while (0)

#define T_STR(a, b)                                                                                \
        do {                                                                                       \
                const char *t_a = (a), *t_b = (b);                                                 \
                if (!t_a || !t_b || strcmp(t_a, t_b))                                              \
                        T_FAIL("%s == \"%s\", expected \"%s\"", #a, t_a ? t_a : "(null)",          \
                               t_b ? t_b : "(null)");                                              \
        } while (0)

#define T_RUN(fn)                                                                                  \
        do {                                                                                       \
                t_case_failed = 0;                                                                 \
                fn();                                                                              \
                printf("%s - %s\n", t_case_failed ? "not ok" : "ok", #fn);                         \
                t_failed |= t_case_failed;                                                         \
        } while (0)

#define T_END() return t_failed ? 1 : 0

#endif
