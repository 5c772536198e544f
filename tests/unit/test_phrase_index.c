/* The phrase index of a knowledge base: build, cache, where the file lives. */
#include "verbatim/phrase_index.h"
#include "verbatim/kb.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>

static const char *fixtures(void)
{
        const char *top = getenv("VB_TOP");
        static char path[4096];
        snprintf(path, sizeof path, "%s/tests/fixtures/phrases", top ? top : ".");
        return path;
}

static void test_build_and_cache(void)
{
        struct vb_source *src = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_phrase_index a, b;
        struct vb_index_stats st;
        struct vb_buf x = VB_BUF_INIT, y = VB_BUF_INIT;
        T_INT(vb_source_open_dir(&src, fixtures(), &d), VB_OK);
        if (!src)
                return;
        T_INT(vb_index_build(&a, &st, src, NULL, &d), VB_OK);
        T_INT(st.files, 5);
        T_INT(st.notes, 4);
        T_INT(st.quotes, 9);
        T_INT(st.parsed, 5);
        T_INT(st.reused, 0);
        T_INT(st.notes_with_errors, 1);
        T_INT(a.nphrases, 6);
        T_INT(a.skipped.n, 1);
        T_STR(a.phrases[0].text, "size would fit my wide feet");
        T_INT(a.phrases[0].nnotes, 3);
        T_STR(a.notes.v[1]->quotes[1].text,
              "Mail me at [email removed] about the café crème colour");
        T_INT(a.notes.v[1]->errors, 1);
        T_INT(vb_index_build(&b, &st, src, &a, &d), VB_OK);
        T_INT(st.parsed, 1); /* the note with errors */
        T_INT(st.reused, 4);
        vb_phrase_index_write(&x, &a);
        vb_phrase_index_write(&y, &b);
        T_TRUE(x.len == y.len && !memcmp(x.ptr, y.ptr, x.len));
        vb_phrase_index_release(&a);
        vb_phrase_index_release(&b);
        vb_buf_release(&x);
        vb_buf_release(&y);
        vb_source_free(src);
        vb_diags_release(&d);
}

static void test_paths(void)
{
        struct vb_source *src = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_kb *kb = NULL;
        struct vb_kb_options only;
        const char *none = NULL;
        struct vb_buf p = VB_BUF_INIT, bad = VB_BUF_INIT;
        memset(&only, 0, sizeof only);
        only.files = &none;
        T_INT(vb_source_open_dir(&src, fixtures(), &d), VB_OK);
        if (!src)
                return;
        T_INT(vb_kb_load(&kb, src, &only, &d), VB_OK);
        vb_index_default_path(&p, src);
        /* the fixtures live in the project's git repository: its git dir */
        T_TRUE(p.len > 15 && !strcmp(p.ptr + p.len - 15, "/verbatim/index"));
        T_INT(vb_index_check_path(p.ptr, src, kb->vocab, &d), VB_OK);
        vb_buf_addf(&bad, "%s/calls/x", fixtures());
        T_INT(vb_index_check_path(bad.ptr, src, kb->vocab, &d), VB_ERR);
        T_INT(d.errors, 1);
        T_STR(d.n ? d.v[d.n - 1].rule : "", "index-in-notes");
        vb_kb_free(kb);
        vb_buf_release(&p);
        vb_buf_release(&bad);
        vb_source_free(src);
        vb_diags_release(&d);
}

static void test_load_missing(void)
{
        struct vb_phrase_index ix;
        struct vb_diags d = VB_DIAGS_INIT;
        T_INT(vb_index_load(&ix, "/nonexistent/verbatim-index", &d), VB_ERR_NOTFOUND);
        T_STR(d.n ? d.v[0].rule : "", "no-index");
        vb_diags_release(&d);
}

int main(void)
{
        T_RUN(test_build_and_cache);
        T_RUN(test_paths);
        T_RUN(test_load_missing);
        T_END();
}
