/* Product lines and products (notes-format.md, `products:`): per line of the
 * catalog and per product, the calls, the connect rate, the segments and
 * the themes, with each theme's share beside its share in the other
 * conversations.
 *
 * A note is about a product when its products: names it, and about a line
 * when it names a product of that line (once, however many of the line's
 * products it names).  With a catalog, the products are the catalog's, in
 * its order (an id missing from it is an error of the note, left out here),
 * and the lines are the catalog's `line:` values in order of first
 * appearance; without a catalog every id a note of the kb writes is a
 * product (sorted) and there are no lines.  Every product and line of the catalog is listed,
 * also when no call names it.
 *
 * A theme's share in a group is its conversations about the group over the
 * group's conversations; its share elsewhere is its conversations not about
 * the group over the conversations not about the group (those naming no
 * product included); the ratio is the first over the second.  A ratio is
 * given ("ranked") only when the theme has at least VB_PRODUCTS_MIN_NOTES
 * conversations about the group and as many elsewhere; a group with fewer
 * conversations than that has shares of nothing worth showing: its page says
 * "not enough calls". */
#ifndef VERBATIM_PRODUCTS_H
#define VERBATIM_PRODUCTS_H

#include "verbatim/agg.h"

/* A ratio below VB_PRODUCTS_LEAN (1.25) is "no line stands out" in the
 * themes table: a lean that small is within the noise of a few hundred
 * conversations. */
enum { VB_PRODUCTS_MIN_NOTES = 5 };
#define VB_PRODUCTS_LEAN 1.25

struct vb_product_theme {
        const struct vb_theme_stats *theme; /* borrowed from the agg */
        size_t notes, customers;            /* conversations about the group carrying it */
        size_t other_notes;                 /* conversations not about the group carrying it */
        double share, other_share;
        double ratio; /* share / other_share; 0 when not ranked */
        int ranked;
};

/* A product line or a product. */
struct vb_product_group {
        const char *key, *label; /* borrowed from the vocabulary (or a note) */
        const char *line;        /* a product's line (NULL: none); NULL for a line */
        size_t attempts, conversations, customers, customers_reached;
        double connect_rate;  /* conversations / attempts (0 when no attempt) */
        double customer_rate; /* customers_reached / customers */
        size_t *seg_attempts; /* per agg->segments entry, same order */
        size_t *seg_conversations;
        /* the themes of its conversations: most customers first, then notes,
         * then key */
        struct vb_product_theme *themes;
        size_t nthemes;
};

struct vb_products {
        struct vb_arena arena; /* everything below lives here */
        struct vb_product_group *lines;
        size_t nlines;
        struct vb_product_group *products;
        size_t nproducts;
        size_t conversations; /* every conversation the agg counts */
        /* per agg->themes entry (same order): the line whose ratio for it is
         * highest among the ranked ones, and that ratio; NULL when none is
         * ranked */
        const struct vb_product_group **theme_line;
        double *theme_line_ratio;
};

/* Builds the lines and products of the notes `a` counts, in one pass over
 * them.  Free with vb_products_release. */
void vb_products_build(struct vb_products *out, const struct vb_agg *a);
void vb_products_release(struct vb_products *p);

/* Whether the group has enough conversations for shares and ratios. */
int vb_product_group_enough(const struct vb_product_group *g);

/* The line or product `key` (kind 'l' or 'p'), or NULL. */
const struct vb_product_group *vb_products_find(const struct vb_products *p, int kind,
                                                const char *key);

/* Appends "lines": [...], "products": [...] (no braces around) for
 * data.json: each group's counts, segments and themes. */
void vb_products_json(struct vb_buf *out, const struct vb_agg *a, const struct vb_products *p);

#endif
