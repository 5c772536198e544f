/* The machine formats of diagnostics: tsv, sarif, gitlab, and where a
 * finding about a whole file or line is placed. */
#include "t.h"
#include "verbatim/diag.h"

#include <string.h>

static void whole_file_and_line(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;
        vb_diags_add(&d, "calls/a.md", 0, 0, VB_SEV_ERROR, "duplicate-id", "x");
        vb_diags_add(&d, "calls/b.md", 4, 0, VB_SEV_ERROR, "long-line", "y");
        vb_diags_add(&d, "calls/link-dir", 0, 0, VB_SEV_WARNING, "symlink-dir", "z");
        vb_diags_add(&d, "", 0, 0, VB_SEV_ERROR, "git", "w");
        vb_diags_format(&out, &d, VB_FORMAT_TEXT, "1.0");
        T_STR(out.ptr, "calls/a.md:1:1: error: x [duplicate-id]\n"
                       "calls/b.md:4:1: error: y [long-line]\n"
                       "calls/link-dir: warning: z [symlink-dir]\n"
                       "error: w [git]\n");
        vb_buf_release(&out);
        vb_diags_release(&d);
}

static void tsv_fields_stay_on_one_line(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;
        vb_diags_add(&d, "calls/a\tb.md", 3, 9, VB_SEV_WARNING, "alias", "a\tb\nc\\d");
        vb_diags_format(&out, &d, VB_FORMAT_TSV, "1.0");
        T_STR(out.ptr, "calls/a\\tb.md\t3\t9\twarning\talias\ta\\tb\\nc\\\\d\n");
        vb_buf_release(&out);
        vb_diags_release(&d);
}

static void sarif_uri_and_rules(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf out = VB_BUF_INIT;
        vb_diags_add(&d, "kb/calls/caf\xc3\xa9 #1?.md", 7, 3, VB_SEV_ERROR, "unknown-tag",
                     "unknown \"tag\"");
        vb_diags_add(&d, "kb/calls/b.md", 2, 1, VB_SEV_WARNING, "alias", "an alias");
        vb_diags_add(&d, "kb/calls/c.md", 5, 1, VB_SEV_ERROR, "unknown-tag", "again");
        vb_diags_add(&d, "", 0, 0, VB_SEV_ERROR, "some-new-rule", "no file");
        vb_diags_format(&out, &d, VB_FORMAT_SARIF, "1.2.3");
        T_TRUE(strstr(out.ptr, "\"uri\": \"kb/calls/caf%C3%A9%20%231%3F.md\"") != NULL);
        T_TRUE(strstr(out.ptr, "\"name\": \"verbatim\", \"version\": \"1.2.3\"") != NULL);
        /* each rule once, in order of first use, with a description */
        const char *first = strstr(out.ptr, "{\"id\": \"unknown-tag\"");
        T_TRUE(first && !strstr(first + 1, "{\"id\": \"unknown-tag\""));
        T_TRUE(strstr(out.ptr, "{\"id\": \"some-new-rule\", \"shortDescription\": {\"text\": "
                               "\"some new rule\"}}") != NULL);
        T_TRUE(strstr(out.ptr, "\"ruleId\": \"unknown-tag\", \"ruleIndex\": 0, \"level\": "
                               "\"error\", \"message\": {\"text\": \"again\"}") != NULL);
        T_TRUE(strstr(out.ptr, "\"ruleId\": \"alias\", \"ruleIndex\": 1, \"level\": \"warning\"") !=
               NULL);
        T_TRUE(strstr(out.ptr, "\"message\": {\"text\": \"unknown \\\"tag\\\"\"}") != NULL);
        /* a finding about no file has no location */
        T_TRUE(strstr(out.ptr, "{\"text\": \"no file\"}}") != NULL);
        vb_buf_release(&out);
        vb_diags_release(&d);
}

static void gitlab_fingerprints(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf a = VB_BUF_INIT, b = VB_BUF_INIT;
        vb_diags_add(&d, "kb/a.md", 7, 3, VB_SEV_ERROR, "unknown-tag", "one");
        vb_diags_add(&d, "kb/a.md", 9, 3, VB_SEV_ERROR, "unknown-tag", "two");
        vb_diags_add(&d, "kb/a.md", 0, 0, VB_SEV_WARNING, "alias", "one");
        vb_diags_format(&a, &d, VB_FORMAT_GITLAB, "1.0");
        vb_diags_format(&b, &d, VB_FORMAT_GITLAB, "1.0");
        T_STR(a.ptr, b.ptr);
        const char *f1 = strstr(a.ptr, "\"fingerprint\": \""), *f2, *f3;
        T_TRUE(f1 != NULL);
        f2 = strstr(f1 + 1, "\"fingerprint\": \"");
        T_TRUE(f2 != NULL);
        f3 = strstr(f2 + 1, "\"fingerprint\": \"");
        T_TRUE(f3 != NULL);
        T_TRUE(strncmp(f1, f2, 48) != 0 && strncmp(f1, f3, 48) != 0 && strncmp(f2, f3, 48) != 0);
        T_TRUE(strstr(a.ptr, "\"severity\": \"minor\", \"location\": {\"path\": \"kb/a.md\", "
                             "\"lines\": {\"begin\": 1}}") != NULL);
        vb_buf_reset(&a);
        struct vb_diags none = VB_DIAGS_INIT;
        vb_diags_format(&a, &none, VB_FORMAT_GITLAB, "1.0");
        T_STR(a.ptr, "[]\n");
        vb_buf_release(&a);
        vb_buf_release(&b);
        vb_diags_release(&d);
}

int main(void)
{
        T_RUN(whole_file_and_line);
        T_RUN(tsv_fields_stay_on_one_line);
        T_RUN(sarif_uri_and_rules);
        T_RUN(gitlab_fingerprints);
        T_END();
}
