/* Fuzz target: personal data.  Every match lies inside the input and moves
 * forward; after vb_pii_redact no email or phone number is left; the
 * redaction of HTML text removes the same; redacting in pieces gives the
 * same text with the pieces' ends in order. */
#include "fuzz.h"
#include "verbatim/html.h"
#include "verbatim/pii.h"

#include <stdlib.h>
#include <string.h>

int vb_fuzz_pii(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        struct vb_buf out = VB_BUF_INIT;
        size_t from = 0, start, end, hits = 0;
        enum vb_pii_kind kind;

        while ((kind = vb_pii_find(s, size, from, &start, &end)) != VB_PII_NONE) {
                if (start < from || end <= start || end > size ||
                    (kind != VB_PII_EMAIL && kind != VB_PII_PHONE))
                        abort();
                from = end;
                hits++;
        }
        vb_pii_redact(&out, s, size);
        if (vb_pii_find(out.ptr, out.len, 0, &start, &end) != VB_PII_NONE)
                abort();
        if (!hits && (out.len != size || memcmp(out.ptr, s, size)))
                abort(); /* nothing found: nothing changed */

        /* in pieces (every 7 bytes): the same text, ends in order, the last
         * at the end */
        struct vb_buf pieces = VB_BUF_INIT;
        size_t n = size / 7 + 1, *ends = malloc(n * sizeof(*ends));
        for (size_t i = 0; i < n; i++)
                ends[i] = i + 1 < n ? (i + 1) * 7 : size;
        vb_pii_redact_pieces(&pieces, s, size, ends, n);
        if (pieces.len != out.len || memcmp(pieces.ptr, out.ptr, out.len) || ends[n - 1] != out.len)
                abort();
        for (size_t i = 1; i < n; i++)
                if (ends[i] < ends[i - 1])
                        abort();
        free(ends);
        vb_buf_release(&pieces);
        vb_buf_release(&out);
        return 0;
}

VB_FUZZ_ENTRY(vb_fuzz_pii)
