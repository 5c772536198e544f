/* vb_check_files: checking a set of notes as `verbatim check` and `verbatim
 * new --edit` do, on a knowledge base made in a temporary folder. */
#include "t.h"
#include "verbatim/check.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[] = "/tmp/vb-check-files-XXXXXX";

static void put(const char *rel, const char *text)
{
        struct vb_buf p = VB_BUF_INIT;
        vb_buf_addf(&p, "%s/%s", top, rel);
        for (char *s = strchr(p.ptr + strlen(top) + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                mkdir(p.ptr, 0755);
                *s = '/';
        }
        FILE *f = fopen(p.ptr, "w");
        if (f) {
                fputs(text, f);
                fclose(f);
        }
        vb_buf_release(&p);
}

#define NOTE(tag)                                                                                  \
        "---\ndate: 2026-10-01\nsegment: buyer\ncustomer: C-1\ntags: [" tag "]\n---\n\n"           \
        "> \"It fit well\"\n"

static const char *good = NOTE("price"), *bad = NOTE("pricee");

/* Runs vb_check_files on `paths` (from the top), with `stdin_text` as '-'
 * when given; the findings' paths and rules, one "path rule" a line. */
static size_t run(struct vb_buf *said, struct vb_check_result *res, const char *const *rel,
                  size_t n, const char *stdin_text, const char *stdin_name)
{
        struct vb_source *src = NULL;
        struct vb_diags err = VB_DIAGS_INIT;
        const char *paths[8];
        struct vb_buf abs[8], name = VB_BUF_INIT;
        struct vb_check_request req = {.paths = paths,
                                       .npaths = n,
                                       .has_stdin = stdin_text != NULL,
                                       .stdin_text = stdin_text,
                                       .stdin_len = stdin_text ? strlen(stdin_text) : 0,
                                       .today = {2026, 11, 18}};
        for (size_t i = 0; i < n; i++) {
                vb_buf_init(&abs[i]);
                vb_buf_addf(&abs[i], "%s/%s", top, rel[i]);
                paths[i] = abs[i].ptr;
        }
        if (stdin_name) {
                vb_buf_addf(&name, "%s/%s", top, stdin_name);
                req.stdin_name = name.ptr;
        }
        vb_buf_reset(said);
        T_INT(vb_source_open_dir(&src, top, &err), VB_OK);
        T_INT(vb_check_files(res, src, &req, &err), VB_OK);
        for (size_t i = 0; i < res->findings.n; i++)
                vb_buf_addf(said, "%s %s\n", res->findings.v[i].path, res->findings.v[i].rule);
        for (size_t i = 0; i < res->from_stdin.n; i++)
                vb_buf_addf(said, "%s %s\n", res->from_stdin.v[i].path, res->from_stdin.v[i].rule);
        vb_source_free(src);
        vb_diags_release(&err);
        for (size_t i = 0; i < n; i++)
                vb_buf_release(&abs[i]);
        vb_buf_release(&name);
        return res->checked;
}

static void check_files(void)
{
        struct vb_buf said = VB_BUF_INIT;
        struct vb_check_result res;
        const char *one[] = {"calls/b.md"}, *readme[] = {"README.md"},
                   *missing[] = {"calls/nope.md"}, *vocab[] = {"verbatim.yml"},
                   *folder[] = {"calls/2026"};

        T_TRUE(mkdtemp(top) != NULL);
        put("verbatim.yml", "notes: [calls]\nsegments:\n  buyer: {label: B}\n"
                            "tags:\n  price: {label: Price, kind: reason}\n");
        put("calls/a.md", good);
        put("calls/b.md", bad);
        put("calls/2026/c.md", bad);
        put("README.md", "# not a note\n");

        /* no PATH: every note */
        T_INT(run(&said, &res, NULL, 0, NULL, NULL), 3);
        T_STR(said.ptr, "calls/2026/c.md unknown-tag\ncalls/b.md unknown-tag\n");
        vb_check_result_release(&res);

        /* one note: its findings only */
        T_INT(run(&said, &res, one, 1, NULL, NULL), 1);
        T_STR(said.ptr, "calls/b.md unknown-tag\n");
        vb_check_result_release(&res);

        /* a folder of notes: the notes in it */
        T_INT(run(&said, &res, folder, 1, NULL, NULL), 1);
        T_STR(said.ptr, "calls/2026/c.md unknown-tag\n");
        vb_check_result_release(&res);

        /* a Markdown file outside the notes folders is no note: skipped */
        T_INT(run(&said, &res, readme, 1, NULL, NULL), 0);
        T_STR(said.ptr, "");
        T_INT(res.nskipped, 1);
        vb_check_result_release(&res);

        /* a named note that does not exist says so */
        run(&said, &res, missing, 1, NULL, NULL);
        T_STR(said.ptr, "calls/nope.md not-found\n");
        vb_check_result_release(&res);

        /* verbatim.yml: every note */
        T_INT(run(&said, &res, vocab, 1, NULL, NULL), 3);
        vb_check_result_release(&res);

        /* stdin standing for b.md replaces its findings; unnamed, its own */
        T_INT(run(&said, &res, NULL, 0, good, "calls/b.md"), 1);
        T_STR(said.ptr, "");
        vb_check_result_release(&res);
        T_INT(run(&said, &res, NULL, 0, bad, NULL), 1);
        T_STR(said.ptr, "<stdin> unknown-tag\n");
        vb_check_result_release(&res);

        vb_buf_release(&said);
        {
                struct vb_buf rm = VB_BUF_INIT;
                vb_buf_addf(&rm, "rm -rf '%s'", top);
                T_INT(system(rm.ptr), 0);
                vb_buf_release(&rm);
        }
}

int main(void)
{
        T_RUN(check_files);
        T_END();
}
