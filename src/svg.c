#include "verbatim/svg.h"
#include "verbatim/html.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* The drawing area of the big charts, in viewBox units. */
#define WIDTH        640.0
#define HEIGHT       240.0
#define LEFT         44.0
#define RIGHT        8.0
#define RIGHT_LABELS 150.0 /* room for direct labels (vb_svg_lines_labelled) */
#define TOP          12.0
#define BOTTOM       28.0
#define CLASSES      6 /* s0 ... s5 in the stylesheet */

static double value(const double *v, size_t i)
{
        return isfinite(v[i]) && v[i] > 0 ? v[i] : 0;
}

static double max_value(const double *v, size_t n)
{
        double m = 0;
        for (size_t i = 0; i < n; i++)
                if (value(v, i) > m)
                        m = value(v, i);
        return m;
}

long long vb_round(double x)
{
        long long t = (long long)x;  /* toward zero */
        double frac = x - (double)t; /* exact: below 2^52 t is x's integer part, above it x */
        return t + (frac >= 0.5) - (frac <= -0.5);
}

/* Appends v with exactly one decimal, without printf's locale-dependent
 * decimal point. */
static void add_num(struct vb_buf *out, double v)
{
        if (!isfinite(v) || fabs(v) > 1e15)
                v = 0;
        long long t = vb_round(v * 10);
        if (t < 0) {
                vb_buf_addc(out, '-');
                t = -t;
        }
        vb_buf_addf(out, "%lld.%lld", t / 10, t % 10);
}

/* Appends v as a whole number when it is one, else with one decimal. */
static void add_value(struct vb_buf *out, double v)
{
        if (isfinite(v) && fabs(v) < 1e15 && v == floor(v))
                vb_buf_addf(out, "%lld", (long long)v);
        else
                add_num(out, v);
}

static void add_id(struct vb_buf *out, const char *id)
{
        size_t start = out->len;
        for (const char *p = id ? id : ""; *p; p++) {
                char c = *p;
                bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '_' || c == '-';
                vb_buf_addc(out, keep ? c : '-');
        }
        if (out->len == start)
                vb_buf_adds(out, "chart");
}

static void add_text(struct vb_buf *out, const char *s)
{
        if (s)
                vb_html_texts(out, s);
}

/* <svg ...> with its <title> and <desc>; `desc` NULL or "" uses `auto_desc`. */
static void open_svg(struct vb_buf *out, const char *cls, const char *id, double w, double h,
                     const char *title, const char *desc, const struct vb_buf *auto_desc)
{
        vb_buf_addf(out, "<svg class=\"%s\" role=\"img\" aria-labelledby=\"", cls);
        add_id(out, id);
        vb_buf_adds(out, "-title ");
        add_id(out, id);
        vb_buf_adds(out, "-desc\" viewBox=\"0 0 ");
        add_num(out, w);
        vb_buf_addc(out, ' ');
        add_num(out, h);
        vb_buf_adds(out, "\"");
        if (strcmp(cls, "chart") == 0)
                vb_buf_adds(out, " width=\"100%\"");
        else
                vb_buf_adds(out, " preserveAspectRatio=\"none\"");
        vb_buf_adds(out, " xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"");
        add_id(out, id);
        vb_buf_adds(out, "-title\">");
        add_text(out, title);
        vb_buf_adds(out, "</title>\n<desc id=\"");
        add_id(out, id);
        vb_buf_adds(out, "-desc\">");
        if (desc && *desc)
                add_text(out, desc);
        else
                vb_html_text(out, auto_desc->ptr, auto_desc->len);
        vb_buf_adds(out, "</desc>\n");
}

static const char *label(const struct vb_svg_series *s, size_t i)
{
        return s->labels && s->labels[i] ? s->labels[i] : "";
}

/* "12 values from A to B, highest 7 (C)" */
static void summary(struct vb_buf *out, const struct vb_svg_series *s)
{
        if (!s || s->n == 0) {
                vb_buf_adds(out, "no data");
                return;
        }
        size_t top = 0;
        for (size_t i = 1; i < s->n; i++)
                if (value(s->values, i) > value(s->values, top))
                        top = i;
        vb_buf_addf(out, "%zu value%s", s->n, s->n == 1 ? "" : "s");
        if (s->labels)
                vb_buf_addf(out, " from %s to %s", label(s, 0), label(s, s->n - 1));
        vb_buf_adds(out, ", highest ");
        add_value(out, value(s->values, top));
        if (s->labels)
                vb_buf_addf(out, " (%s)", label(s, top));
}

static void text_at(struct vb_buf *out, double x, double y, const char *anchor, const char *s)
{
        vb_buf_adds(out, "<text x=\"");
        add_num(out, x);
        vb_buf_adds(out, "\" y=\"");
        add_num(out, y);
        vb_buf_addf(out, "\" text-anchor=\"%s\">", anchor);
        add_text(out, s);
        vb_buf_adds(out, "</text>\n");
}

static void line(struct vb_buf *out, double x1, double y1, double x2, double y2)
{
        vb_buf_adds(out, "<line class=\"axis\" x1=\"");
        add_num(out, x1);
        vb_buf_adds(out, "\" y1=\"");
        add_num(out, y1);
        vb_buf_adds(out, "\" x2=\"");
        add_num(out, x2);
        vb_buf_adds(out, "\" y2=\"");
        add_num(out, y2);
        vb_buf_adds(out, "\" stroke=\"currentColor\"/>\n");
}

/* Both axes, the 0 and the highest value, or "no data". */
static void axes(struct vb_buf *out, double top, double height, double right, double max, size_t n)
{
        double base = height - BOTTOM;
        struct vb_buf s = VB_BUF_INIT;
        line(out, LEFT, top, LEFT, base);
        line(out, LEFT, base, WIDTH - right, base);
        add_value(&s, max);
        text_at(out, LEFT - 4, top + 4, "end", s.ptr);
        text_at(out, LEFT - 4, base, "end", "0");
        if (n == 0)
                text_at(out, (LEFT + WIDTH - right) / 2, (top + base) / 2, "middle", "no data");
        vb_buf_release(&s);
}

/* The first, middle and last labels; x(i) is where point i is drawn. */
static void x_labels(struct vb_buf *out, const struct vb_svg_series *s, double height,
                     const double *xs)
{
        if (!s || !s->labels || s->n == 0)
                return;
        size_t pick[3] = {0, s->n / 2, s->n - 1};
        for (int k = 0; k < 3; k++) {
                if ((k == 1 && (pick[1] == 0 || pick[1] == s->n - 1)) || (k == 2 && s->n == 1))
                        continue;
                const char *anchor = s->n == 1 ? "middle"
                                     : k == 0  ? "start"
                                     : k == 2  ? "end"
                                               : "middle";
                text_at(out, xs[k], height - 8, anchor, label(s, pick[k]));
        }
}

void vb_svg_bars(struct vb_buf *out, const char *id, const struct vb_svg_series *s,
                 const char *title, const char *desc)
{
        struct vb_buf auto_desc = VB_BUF_INIT;
        size_t n = s ? s->n : 0;
        double max = n ? max_value(s->values, n) : 0;
        double base = HEIGHT - BOTTOM, plot = base - TOP;
        double band = n ? (WIDTH - LEFT - RIGHT) / (double)n : 0;
        summary(&auto_desc, s);
        open_svg(out, "chart", id, WIDTH, HEIGHT, title, desc, &auto_desc);
        axes(out, TOP, HEIGHT, RIGHT, max, n);
        for (size_t i = 0; i < n; i++) {
                double v = value(s->values, i);
                double h = max > 0 ? v / max * plot : 0;
                vb_buf_adds(out, "<rect class=\"bar\" x=\"");
                add_num(out, LEFT + band * ((double)i + 0.1));
                vb_buf_adds(out, "\" y=\"");
                add_num(out, base - h);
                vb_buf_adds(out, "\" width=\"");
                add_num(out, band * 0.8);
                vb_buf_adds(out, "\" height=\"");
                add_num(out, h);
                vb_buf_adds(out, "\" fill=\"currentColor\"><title>");
                add_text(out, label(s, i));
                vb_buf_adds(out, s->labels ? ": " : "");
                {
                        struct vb_buf num = VB_BUF_INIT;
                        add_value(&num, v);
                        vb_buf_add(out, num.ptr, num.len);
                        vb_buf_release(&num);
                }
                vb_buf_adds(out, "</title></rect>\n");
        }
        if (n) {
                double xs[3] = {LEFT + band * 0.1, LEFT + band * ((double)(n / 2) + 0.5),
                                LEFT + band * ((double)n - 0.1)};
                if (n == 1)
                        xs[0] = LEFT + band * 0.5;
                x_labels(out, s, HEIGHT, xs);
        }
        vb_buf_adds(out, "</svg>\n");
        vb_buf_release(&auto_desc);
}

static double point_x(size_t i, size_t n, double right)
{
        double w = WIDTH - LEFT - right;
        return n <= 1 ? LEFT + w / 2 : LEFT + w * (double)i / (double)(n - 1);
}

/* The legend above the plot: two entries a row. */
static void legend(struct vb_buf *out, const struct vb_svg_series *series, size_t n)
{
        for (size_t k = 0; k < n; k++) {
                double x = LEFT + 290.0 * (double)(k % 2), y = 14.0 + 16.0 * (double)(k / 2);
                vb_buf_addf(out, "<g class=\"legend\"><line class=\"line s%zu\" x1=\"",
                            k % CLASSES);
                add_num(out, x);
                vb_buf_adds(out, "\" y1=\"");
                add_num(out, y - 4);
                vb_buf_adds(out, "\" x2=\"");
                add_num(out, x + 20);
                vb_buf_adds(out, "\" y2=\"");
                add_num(out, y - 4);
                vb_buf_adds(out, "\" stroke=\"currentColor\"/>");
                text_at(out, x + 24, y, "start", series[k].name);
                vb_buf_truncate(out, out->len - 1); /* text_at's newline */
                vb_buf_adds(out, "</g>\n");
        }
}

/* Each series' name at the height of its last point, right of the plot,
 * in its class's color; names closer than a line apart are pushed apart
 * (downwards, then back up from the bottom) so none overlaps. */
static void direct_labels(struct vb_buf *out, const struct vb_svg_series *series, size_t n,
                          double top, double base, double max, double plot)
{
        enum { MAX = 8, CHARS = 22 };
        const double gap = 13.0;
        double y[MAX] = {0};
        size_t order[MAX] = {0};
        if (n > MAX)
                n = MAX;
        for (size_t k = 0; k < n; k++) {
                const struct vb_svg_series *s = &series[k];
                double v = s->n ? value(s->values, s->n - 1) : 0;
                y[k] = base - (max > 0 ? v / max * plot : 0) + 4;
                order[k] = k;
        }
        for (size_t i = 1; i < n; i++) /* by height, then by index: stable */
                for (size_t j = i;
                     j > 0 && (y[order[j]] < y[order[j - 1]] ||
                               (y[order[j]] == y[order[j - 1]] && order[j] < order[j - 1]));
                     j--) {
                        size_t t = order[j];
                        order[j] = order[j - 1];
                        order[j - 1] = t;
                }
        for (size_t i = 0; i < n; i++) {
                double lo = i ? y[order[i - 1]] + gap : top + 4;
                if (y[order[i]] < lo)
                        y[order[i]] = lo;
        }
        for (size_t i = n; i-- > 0;) {
                double hi = i + 1 < n ? y[order[i + 1]] - gap : base + 4;
                if (y[order[i]] > hi)
                        y[order[i]] = hi;
        }
        for (size_t k = 0; k < n; k++) {
                const char *name = series[k].name ? series[k].name : "";
                size_t len = strlen(name), cut = len, chars = 0;
                for (size_t i = 0; i < len; i++)
                        if (((unsigned char)name[i] & 0xC0) != 0x80 && chars++ == CHARS) {
                                cut = i;
                                break;
                        }
                vb_buf_addf(out, "<text class=\"label s%zu\" x=\"", k % CLASSES);
                add_num(out, WIDTH - RIGHT_LABELS + 6);
                vb_buf_adds(out, "\" y=\"");
                add_num(out, y[k]);
                vb_buf_adds(out, "\" text-anchor=\"start\">");
                vb_html_text(out, name, cut);
                if (cut < len)
                        vb_buf_adds(out, "\xE2\x80\xA6");
                vb_buf_adds(out, "</text>\n");
        }
}

static void lines_chart(struct vb_buf *out, const char *id, const struct vb_svg_series *series,
                        size_t n, const char *title, const char *desc, bool direct)
{
        struct vb_buf auto_desc = VB_BUF_INIT;
        size_t points = 0, longest = 0, rows = direct ? 0 : (n + 1) / 2;
        double max = 0, right = direct ? RIGHT_LABELS : RIGHT;
        for (size_t k = 0; k < n; k++) {
                if (series[k].n > points) {
                        points = series[k].n;
                        longest = k;
                }
                double m = max_value(series[k].values, series[k].n);
                if (m > max)
                        max = m;
        }
        double top = TOP + 16.0 * (double)rows, height = HEIGHT + 16.0 * (double)rows;
        double base = height - BOTTOM, plot = base - top;
        if (n == 0 || points == 0) {
                vb_buf_adds(&auto_desc, "no data");
        } else {
                vb_buf_addf(&auto_desc, "%zu series over %zu points", n, points);
                if (series[longest].labels)
                        vb_buf_addf(&auto_desc, " from %s to %s", label(&series[longest], 0),
                                    label(&series[longest], points - 1));
                vb_buf_adds(&auto_desc, ", highest ");
                add_value(&auto_desc, max);
        }
        open_svg(out, "chart", id, WIDTH, height, title, desc, &auto_desc);
        if (!direct)
                legend(out, series, n);
        axes(out, top, height, right, max, points);
        for (size_t k = 0; k < n; k++) {
                const struct vb_svg_series *s = &series[k];
                if (s->n == 0)
                        continue;
                if (s->n == 1) {
                        vb_buf_addf(out, "<circle class=\"dot s%zu\" cx=\"", k % CLASSES);
                        add_num(out, point_x(0, points, right));
                        vb_buf_adds(out, "\" cy=\"");
                        add_num(out, base - (max > 0 ? value(s->values, 0) / max * plot : 0));
                        vb_buf_adds(out, "\" r=\"3\" fill=\"currentColor\"/>\n");
                        continue;
                }
                vb_buf_addf(out,
                            "<polyline class=\"line s%zu\" fill=\"none\" "
                            "stroke=\"currentColor\" points=\"",
                            k % CLASSES);
                for (size_t i = 0; i < s->n; i++) {
                        if (i)
                                vb_buf_addc(out, ' ');
                        add_num(out, point_x(i, points, right));
                        vb_buf_addc(out, ',');
                        add_num(out, base - (max > 0 ? value(s->values, i) / max * plot : 0));
                }
                vb_buf_adds(out, "\"/>\n");
        }
        if (direct && points)
                direct_labels(out, series, n, top, base, max, plot);
        if (points) {
                double xs[3] = {point_x(0, points, right), point_x(points / 2, points, right),
                                point_x(points - 1, points, right)};
                x_labels(out, &series[longest], height, xs);
        }
        vb_buf_adds(out, "</svg>\n");
        vb_buf_release(&auto_desc);
}

void vb_svg_lines(struct vb_buf *out, const char *id, const struct vb_svg_series *series, size_t n,
                  const char *title, const char *desc)
{
        lines_chart(out, id, series, n, title, desc, false);
}

void vb_svg_lines_labelled(struct vb_buf *out, const char *id, const struct vb_svg_series *series,
                           size_t n, const char *title, const char *desc)
{
        lines_chart(out, id, series, n, title, desc, true);
}

void vb_svg_sparkline(struct vb_buf *out, const char *id, const char *title, const double *values,
                      size_t n)
{
        struct vb_buf auto_desc = VB_BUF_INIT;
        double max = n ? max_value(values, n) : 0;
        if (n == 0) {
                vb_buf_adds(&auto_desc, "no data");
        } else {
                vb_buf_addf(&auto_desc, "%zu values, last ", n);
                add_value(&auto_desc, value(values, n - 1));
                vb_buf_adds(&auto_desc, ", highest ");
                add_value(&auto_desc, max);
        }
        open_svg(out, "spark", id, 100, 20, title, NULL, &auto_desc);
        if (n == 1) {
                vb_buf_adds(out, "<circle class=\"dot\" cx=\"50.0\" cy=\"");
                add_num(out, max > 0 ? 1.0 : 19.0);
                vb_buf_adds(out, "\" r=\"1.5\" fill=\"currentColor\"/>\n");
        } else if (n > 1) {
                vb_buf_adds(out, "<polyline class=\"line\" fill=\"none\" stroke=\"currentColor\" "
                                 "vector-effect=\"non-scaling-stroke\" points=\"");
                for (size_t i = 0; i < n; i++) {
                        if (i)
                                vb_buf_addc(out, ' ');
                        add_num(out, 100.0 * (double)i / (double)(n - 1));
                        vb_buf_addc(out, ',');
                        add_num(out, 19.0 - (max > 0 ? value(values, i) / max * 18.0 : 0));
                }
                vb_buf_adds(out, "\"/>\n");
        }
        vb_buf_adds(out, "</svg>\n");
        vb_buf_release(&auto_desc);
}
