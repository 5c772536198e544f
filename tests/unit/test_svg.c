#include "verbatim/buf.h"
#include "verbatim/svg.h"

#include "t.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* Whether every tag of `s` is closed in order (a tiny XML well-formedness
 * check: no comments or CDATA in our output), and no '<' or '&' stands
 * unescaped in text. */
static bool balanced(const char *s)
{
        const char *stack[64];
        size_t lens[64], depth = 0;
        while (*s) {
                if (*s == '&') {
                        size_t n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz#0123456789");
                        if (n == 0 || s[1 + n] != ';')
                                return false;
                        s += n + 2;
                        continue;
                }
                if (*s != '<') {
                        s++;
                        continue;
                }
                const char *end = strchr(s, '>');
                if (!end)
                        return false;
                for (const char *q = s + 1; q < end; q++)
                        if (*q == '<')
                                return false;
                if (s[1] == '/') {
                        size_t n = (size_t)(end - s - 2);
                        if (depth == 0 || lens[depth - 1] != n ||
                            memcmp(stack[depth - 1], s + 2, n))
                                return false;
                        depth--;
                } else if (end[-1] != '/') {
                        if (depth == 64)
                                return false;
                        stack[depth] = s + 1;
                        lens[depth] = strcspn(s + 1, " >");
                        depth++;
                }
                s = end + 1;
        }
        return depth == 0;
}

static bool clean_numbers(const char *s)
{
        return !strstr(s, "nan") && !strstr(s, "NaN") && !strstr(s, "inf") && !strstr(s, "e+");
}

static void test_balanced_checker(void)
{
        T_TRUE(balanced("<a><b x=\"1\"/>t &amp; u</a>"));
        T_TRUE(!balanced("<a><b></a></b>"));
        T_TRUE(!balanced("<a>x & y</a>"));
        T_TRUE(!balanced("<a>"));
}

static const char *const weeks[] = {"2026-W44", "2026-W45", "2026-W46"};

static void test_bars(void)
{
        const double v[] = {2, 0, 4.25};
        const struct vb_svg_series s = {"calls", weeks, v, 3};
        struct vb_buf out = VB_BUF_INIT;
        vb_svg_bars(&out, "calls", &s, "Calls <per> week", NULL);
        T_STR(out.ptr,
              "<svg class=\"chart\" role=\"img\" aria-labelledby=\"calls-title calls-desc\" "
              "viewBox=\"0 0 640.0 240.0\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\n"
              "<title id=\"calls-title\">Calls &lt;per&gt; week</title>\n"
              "<desc id=\"calls-desc\">3 values from 2026-W44 to 2026-W46, highest 4.3 "
              "(2026-W46)</desc>\n"
              "<line class=\"axis\" x1=\"44.0\" y1=\"12.0\" x2=\"44.0\" y2=\"212.0\" "
              "stroke=\"currentColor\"/>\n"
              "<line class=\"axis\" x1=\"44.0\" y1=\"212.0\" x2=\"632.0\" y2=\"212.0\" "
              "stroke=\"currentColor\"/>\n"
              "<text x=\"40.0\" y=\"16.0\" text-anchor=\"end\">4.3</text>\n"
              "<text x=\"40.0\" y=\"212.0\" text-anchor=\"end\">0</text>\n"
              "<rect class=\"bar\" x=\"63.6\" y=\"117.9\" width=\"156.8\" height=\"94.1\" "
              "fill=\"currentColor\"><title>2026-W44: 2</title></rect>\n"
              "<rect class=\"bar\" x=\"259.6\" y=\"212.0\" width=\"156.8\" height=\"0.0\" "
              "fill=\"currentColor\"><title>2026-W45: 0</title></rect>\n"
              "<rect class=\"bar\" x=\"455.6\" y=\"12.0\" width=\"156.8\" height=\"200.0\" "
              "fill=\"currentColor\"><title>2026-W46: 4.3</title></rect>\n"
              "<text x=\"63.6\" y=\"232.0\" text-anchor=\"start\">2026-W44</text>\n"
              "<text x=\"338.0\" y=\"232.0\" text-anchor=\"middle\">2026-W45</text>\n"
              "<text x=\"612.4\" y=\"232.0\" text-anchor=\"end\">2026-W46</text>\n"
              "</svg>\n");
        T_TRUE(balanced(out.ptr));

        /* empty, all zero, hostile values and ids: no NaN, still well formed */
        const double z[] = {0, 0, 0};
        const double bad[] = {NAN, -INFINITY, INFINITY};
        const struct vb_svg_series empty = {"none", NULL, NULL, 0};
        const struct vb_svg_series zero = {"zero", weeks, z, 3};
        const struct vb_svg_series hostile = {"bad", weeks, bad, 3};
        vb_buf_reset(&out);
        vb_svg_bars(&out, "a b\"<", &empty, "Empty", "nothing & none");
        T_TRUE(strstr(out.ptr, "aria-labelledby=\"a-b---title a-b---desc\"") != NULL);
        T_TRUE(strstr(out.ptr, "<desc id=\"a-b---desc\">nothing &amp; none</desc>") != NULL);
        T_TRUE(strstr(out.ptr, ">no data</text>") != NULL);
        T_TRUE(balanced(out.ptr));
        vb_buf_reset(&out);
        vb_svg_bars(&out, "z", &zero, "Zero", NULL);
        vb_svg_bars(&out, "h", &hostile, "Hostile", NULL);
        vb_svg_bars(&out, NULL, NULL, NULL, NULL);
        T_TRUE(balanced(out.ptr));
        T_TRUE(clean_numbers(out.ptr));
        T_TRUE(strstr(out.ptr, "<desc id=\"chart-desc\">no data</desc>") != NULL);
        vb_buf_release(&out);
}

static void test_lines(void)
{
        const double a[] = {1, 3, 2}, b[] = {0, 0, 5};
        const struct vb_svg_series s[] = {{"price", weeks, a, 3}, {"deli<very>", weeks, b, 3}};
        struct vb_buf out = VB_BUF_INIT;
        vb_svg_lines(&out, "themes", s, 2, "Themes", "two themes");
        T_TRUE(balanced(out.ptr));
        T_TRUE(clean_numbers(out.ptr));
        T_TRUE(strstr(out.ptr, "viewBox=\"0 0 640.0 256.0\"") != NULL);
        T_TRUE(strstr(out.ptr, "<polyline class=\"line s0\" fill=\"none\" stroke=\"currentColor\" "
                               "points=\"44.0,188.0 338.0,108.0 632.0,148.0\"/>") != NULL);
        T_TRUE(strstr(out.ptr, "points=\"44.0,228.0 338.0,228.0 632.0,28.0\"") != NULL);
        T_TRUE(strstr(out.ptr, ">deli&lt;very&gt;</text></g>") != NULL);
        T_TRUE(strstr(out.ptr, "<text x=\"40.0\" y=\"32.0\" text-anchor=\"end\">5</text>") != NULL);

        const double one[] = {0};
        const struct vb_svg_series single[] = {{"x", weeks, one, 1}, {"y", NULL, NULL, 0}};
        vb_buf_reset(&out);
        vb_svg_lines(&out, "one", single, 2, "One", NULL);
        vb_svg_lines(&out, "none", NULL, 0, "None", NULL);
        T_TRUE(balanced(out.ptr));
        T_TRUE(clean_numbers(out.ptr));
        T_TRUE(strstr(out.ptr, "<circle class=\"dot s0\" cx=\"338.0\" cy=\"228.0\"") != NULL);
        T_TRUE(strstr(out.ptr, "<desc id=\"none-desc\">no data</desc>") != NULL);
        vb_buf_release(&out);
}

static void test_lines_labelled(void)
{
        const double a[] = {1, 2}, b[] = {4, 2}, c[] = {0, 2}, d[] = {0, 0};
        const struct vb_svg_series s[] = {{"price", weeks, a, 2},
                                          {"a very long theme name that goes on", weeks, b, 2},
                                          {"deli<very>", weeks, c, 2},
                                          {"zero", weeks, d, 2}};
        struct vb_buf out = VB_BUF_INIT;
        vb_svg_lines_labelled(&out, "themes", s, 4, "Themes", NULL);
        T_TRUE(balanced(out.ptr));
        T_TRUE(clean_numbers(out.ptr));
        T_TRUE(strstr(out.ptr, "class=\"legend\"") == NULL);
        T_TRUE(strstr(out.ptr, "viewBox=\"0 0 640.0 240.0\"") != NULL);
        /* the plot ends where the labels begin */
        T_TRUE(strstr(out.ptr, "points=\"44.0,162.0 490.0,112.0\"") != NULL);
        /* three lines end at the same height: their names a line apart, in order */
        T_TRUE(strstr(out.ptr, "<text class=\"label s0\" x=\"496.0\" y=\"116.0\" "
                               "text-anchor=\"start\">price</text>") != NULL);
        T_TRUE(strstr(out.ptr,
                      "<text class=\"label s1\" x=\"496.0\" y=\"129.0\" "
                      "text-anchor=\"start\">a very long theme name\xE2\x80\xA6</text>") != NULL);
        T_TRUE(strstr(out.ptr, "y=\"142.0\" text-anchor=\"start\">deli&lt;very&gt;</text>") !=
               NULL);
        /* at the bottom: stays above the axis' label room */
        T_TRUE(strstr(out.ptr, "<text class=\"label s3\" x=\"496.0\" y=\"216.0\"") != NULL);
        vb_buf_release(&out);
}

static void test_sparkline(void)
{
        const double v[] = {1, 4, 2};
        struct vb_buf out = VB_BUF_INIT;
        vb_svg_sparkline(&out, "sp1", "Price", v, 3);
        T_STR(out.ptr,
              "<svg class=\"spark\" role=\"img\" aria-labelledby=\"sp1-title sp1-desc\" "
              "viewBox=\"0 0 100.0 20.0\" preserveAspectRatio=\"none\" "
              "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"sp1-title\">Price</title>\n"
              "<desc id=\"sp1-desc\">3 values, last 2, highest 4</desc>\n"
              "<polyline class=\"line\" fill=\"none\" stroke=\"currentColor\" "
              "vector-effect=\"non-scaling-stroke\" points=\"0.0,14.5 50.0,1.0 100.0,10.0\"/>\n"
              "</svg>\n");
        const double z[] = {0, 0};
        vb_buf_reset(&out);
        vb_svg_sparkline(&out, "a", "Zero", z, 2);
        vb_svg_sparkline(&out, "b", "Empty", NULL, 0);
        vb_svg_sparkline(&out, "c", "One", z, 1);
        T_TRUE(balanced(out.ptr));
        T_TRUE(clean_numbers(out.ptr));
        T_TRUE(strstr(out.ptr, "points=\"0.0,19.0 100.0,19.0\"") != NULL);
        vb_buf_release(&out);
}

/* vb_round is llround (libm's) wherever the callers use it. */
static void test_round(void)
{
        static const double edge[] = {0,
                                      0.5,
                                      -0.5,
                                      1.5,
                                      -1.5,
                                      2.5,
                                      0.49999999999999994,
                                      -0.49999999999999994,
                                      4503599627370495.5,
                                      4503599627370497.0,
                                      1e15 * 10,
                                      -1e15 * 10,
                                      123456.4999999,
                                      0.1 * 3 * 10};
        for (size_t i = 0; i < sizeof(edge) / sizeof(*edge); i++)
                T_TRUE(vb_round(edge[i]) == llround(edge[i]));
        unsigned long long s = 88172645463325252ULL;
        for (int i = 0; i < 200000; i++) {
                s ^= s << 13, s ^= s >> 7, s ^= s << 17;
                double scale[] = {1, 10, 1000, 1e6, 1e12};
                double x = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * scale[i % 5];
                if (i % 3 == 0)
                        x = (double)(long long)x + (x < 0 ? -0.5 : 0.5); /* a tie */
                if (vb_round(x) != llround(x)) {
                        T_FAIL("vb_round(%.17g) = %lld, llround %lld", x, vb_round(x), llround(x));
                        break;
                }
        }
}

int main(void)
{
        T_RUN(test_round);
        T_RUN(test_balanced_checker);
        T_RUN(test_bars);
        T_RUN(test_lines);
        T_RUN(test_lines_labelled);
        T_RUN(test_sparkline);
        T_END();
}
