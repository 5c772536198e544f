/* Small JSON writers shared by every machine format (appending to a vb_buf;
 * strings escaped by vb_buf_add_json). */
#ifndef VERBATIM_JSON_H
#define VERBATIM_JSON_H

#include "verbatim/buf.h"
#include "verbatim/date.h"

/* A JSON string, or null for NULL. */
void vb_json_str(struct vb_buf *out, const char *s);
/* A JSON string with personal data redacted (vb_pii_redact), or null. */
void vb_json_redacted(struct vb_buf *out, const char *s);
/* "YYYY-MM-DD", or null when `d` is unset. */
void vb_json_date(struct vb_buf *out, struct vb_date d);
/* A rate or share: at most 6 significant digits, the same bytes on every run. */
void vb_json_num(struct vb_buf *out, double x);

#endif
