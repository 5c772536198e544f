/* Inline SVG charts: no scripts, no external files.
 *
 * Every chart is an <svg role="img"> labelled by its own <title> and <desc>
 * (ids "<id>-title" and "<id>-desc", so `id` must be unique on the page and
 * is reduced to [A-Za-z0-9_-]).  It scales with its container (viewBox,
 * width 100%) and takes its colors from CSS classes (see vb_html_stylesheet),
 * so dark mode and print work.  Numbers are written with one decimal by our
 * own formatter: the output does not depend on the locale.  Values that are
 * negative, NaN or infinite are drawn as 0; all-zero and empty series draw
 * flat or "no data" charts.  All text is escaped as by vb_html_text. */
#ifndef VERBATIM_SVG_H
#define VERBATIM_SVG_H

#include "verbatim/buf.h"

#include <stddef.h>

/* x rounded to the nearest integer, halves away from zero: what llround
 * gives, for finite |x| < 2^62 (callers clamp), without libm, whose loading
 * alone costs a run 0.3 MB of resident memory. */
long long vb_round(double x);

/* A time series: n values with their labels (e.g. "2026-W45"); all borrowed. */
struct vb_svg_series {
        const char *name;          /* the legend's or the line's label */
        const char *const *labels; /* n labels, or NULL for none */
        const double *values;
        size_t n;
};

/* Appends a column chart of `s`: one bar per value (each with a tooltip
 * "label: value"), the first, middle and last labels under the axis and the
 * highest value beside it.  `desc` may be NULL: a summary is written then. */
void vb_svg_bars(struct vb_buf *out, const char *id, const struct vb_svg_series *s,
                 const char *title, const char *desc);
/* Appends a line chart of the n `series` over the same labels (those of the
 * longest series), with a legend; series are told apart by color and dash
 * pattern (classes s0 to s5, repeating).  `desc` may be NULL. */
void vb_svg_lines(struct vb_buf *out, const char *id, const struct vb_svg_series *series, size_t n,
                  const char *title, const char *desc);
/* The same chart with each series' name written at the end of its line (at
 * most 8 series, names cut at 22 characters with "…", pushed apart so none
 * overlaps) instead of a legend: what a reader of more than two lines needs
 * (no matching of dash patterns to a key). */
void vb_svg_lines_labelled(struct vb_buf *out, const char *id, const struct vb_svg_series *series,
                           size_t n, const char *title, const char *desc);
/* Appends a small line chart of n values, sized by CSS (class "spark") to sit
 * in running text or a table cell; its description gives the last and highest
 * values. */
void vb_svg_sparkline(struct vb_buf *out, const char *id, const char *title, const double *values,
                      size_t n);

#endif
