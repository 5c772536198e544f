/* Small JSON writers shared by every machine format. */
#include "verbatim/json.h"
#include "verbatim/pii.h"

#include <string.h>

void vb_json_str(struct vb_buf *out, const char *s)
{
        if (s)
                vb_buf_add_json(out, s, strlen(s));
        else
                vb_buf_adds(out, "null");
}

void vb_json_redacted(struct vb_buf *out, const char *s)
{
        struct vb_buf r = VB_BUF_INIT;
        if (!s) {
                vb_buf_adds(out, "null");
                return;
        }
        vb_pii_redact(&r, s, strlen(s));
        vb_buf_add_json(out, r.ptr, r.len);
        vb_buf_release(&r);
}

void vb_json_date(struct vb_buf *out, struct vb_date d)
{
        char s[16];
        if (!vb_date_is_set(d)) {
                vb_buf_adds(out, "null");
                return;
        }
        vb_date_format(d, s);
        vb_buf_addf(out, "\"%s\"", s);
}

void vb_json_num(struct vb_buf *out, double x)
{
        vb_buf_addf(out, "%.6g", x);
}
