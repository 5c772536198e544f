/* Unit tests of the report: the output-folder rule and a whole site. */
#include "t.h"
#include "verbatim/agg.h"
#include "verbatim/kb.h"
#include "verbatim/report.h"
#include "verbatim/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[] = "/tmp/vb-test-report-XXXXXX";

static int check_out(const char *root, const char *yml, const char *out)
{
        struct vb_vocab *v = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        int rc;
        vb_vocab_load(&v, "verbatim.yml", yml, strlen(yml), &d);
        rc = vb_report_check_out_dir(root, v, out, &d);
        if (rc != VB_OK && (d.n != 1 || strcmp(d.v[0].rule, "output-refused")))
                rc = 99;
        vb_vocab_free(v);
        vb_diags_release(&d);
        return rc;
}

static void test_out_dir_rule(void)
{
        char kb[256], calls[300], path[400];
        snprintf(kb, sizeof(kb), "%s/kb", top);
        snprintf(calls, sizeof(calls), "%s/calls", kb);
        T_INT(mkdir(kb, 0755), 0);
        T_INT(mkdir(calls, 0755), 0);
        /* beside the notes: fine, existing or not */
        snprintf(path, sizeof(path), "%s/public", kb);
        T_INT(check_out(kb, "notes: [calls]\n", path), VB_OK);
        snprintf(path, sizeof(path), "%s/../elsewhere/deep/site", kb);
        T_INT(check_out(kb, "notes: [calls]\n", path), VB_OK);
        /* inside a notes folder, even through "..", or the folder itself */
        snprintf(path, sizeof(path), "%s/calls/public", kb);
        T_INT(check_out(kb, "notes: [calls]\n", path), VB_ERR);
        snprintf(path, sizeof(path), "%s/public/../calls/x/y", kb);
        T_INT(check_out(kb, "notes: [./calls]\n", path), VB_ERR);
        T_INT(check_out(kb, "notes: [calls]\n", calls), VB_ERR);
        /* the knowledge base or a parent of it */
        T_INT(check_out(kb, "notes: [calls]\n", kb), VB_ERR);
        T_INT(check_out(kb, "notes: [calls]\n", top), VB_ERR);
        /* notes: [.] forbids only the root itself */
        snprintf(path, sizeof(path), "%s/public", kb);
        T_INT(check_out(kb, "notes: [.]\n", path), VB_OK);
        T_INT(check_out(kb, "notes: [.]\n", kb), VB_ERR);
}

static int read_file(const char *path, struct vb_buf *out)
{
        FILE *f = fopen(path, "rb");
        char chunk[4096];
        size_t n;
        if (!f)
                return -1;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                vb_buf_add(out, chunk, n);
        fclose(f);
        return 0;
}

static int build(const char *out, int json, struct vb_diags *d)
{
        struct vb_source *src = NULL;
        struct vb_report_options opt = {.out_dir = out, .title = "Unit <test>", .json = json};
        struct vb_report_stats st;
        const char *root = "tests/fixtures/report/small";
        int rc = vb_source_open_dir(&src, root, d);
        if (rc == VB_OK)
                rc = vb_report_build(&st, src, root, &opt, d);
        if (rc == VB_OK)
                T_INT((int)st.notes, 10);
        vb_source_free(src);
        return rc;
}

static void test_whole_site(void)
{
        char out[256], path[400];
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf first = VB_BUF_INIT, second = VB_BUF_INIT;
        snprintf(out, sizeof(out), "%s/site", top);
        T_INT(build(out, 1, &d), VB_OK);
        T_INT(d.errors, 0);
        snprintf(path, sizeof(path), "%s/index.html", out);
        T_INT(read_file(path, &first), 0);
        T_TRUE(strstr(first.ptr, "<h1>Unit &lt;test&gt;</h1>") != NULL);
        T_TRUE(strstr(first.ptr, "<strong>10</strong> calls logged") != NULL);
        T_TRUE(strstr(first.ptr, "<script") == NULL);
        snprintf(path, sizeof(path), "%s/data.json", out);
        T_TRUE(access(path, F_OK) == 0);
        snprintf(path, sizeof(path), "%s/notes/b1/2026-10-05-c1-buyer-b18bc422.html", out);
        T_TRUE(access(path, F_OK) == 0);
        snprintf(path, sizeof(path), "%s/.verbatim-output", out);
        T_TRUE(access(path, F_OK) == 0);

        /* again, without --json: the same overview, the data files gone */
        T_INT(build(out, 0, &d), VB_OK);
        snprintf(path, sizeof(path), "%s/index.html", out);
        T_INT(read_file(path, &second), 0);
        T_TRUE(first.len == second.len && !memcmp(first.ptr, second.ptr, first.len));
        snprintf(path, sizeof(path), "%s/data.json", out);
        T_TRUE(access(path, F_OK) != 0);

        /* a folder that is no report is never replaced */
        snprintf(path, sizeof(path), "%s/mine", top);
        T_INT(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/mine/keep.txt", top);
        FILE *f = fopen(path, "w");
        T_TRUE(f != NULL);
        if (f)
                fclose(f);
        snprintf(path, sizeof(path), "%s/mine", top);
        vb_diags_release(&d);
        T_INT(build(path, 0, &d), VB_ERR_EXISTS);
        T_INT(d.n, 1);
        if (d.n)
                T_STR(d.v[0].rule, "output-refused");
        snprintf(path, sizeof(path), "%s/mine/keep.txt", top);
        T_TRUE(access(path, F_OK) == 0);
        vb_buf_release(&first);
        vb_buf_release(&second);
        vb_diags_release(&d);
}

int main(void)
{
        char cmd[128];
        if (!mkdtemp(top)) {
                printf("not ok - mkdtemp\n");
                return 1;
        }
        T_RUN(test_out_dir_rule);
        T_RUN(test_whole_site);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
        if (system(cmd) != 0)
                printf("# could not remove %s\n", top);
        T_END();
}
