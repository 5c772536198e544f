/* History over a scripted repository: the tree changes of each commit
 * (added, deleted, modified, moved), the weekly counts, one note's events,
 * the same results from the cache. */
#include "t.h"
#include "verbatim/buf.h"
#include "verbatim/history.h"

#include "../../src/history_data.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

static char tmp_top[] = "/tmp/vb-history-XXXXXX";
static char *repo;

/* Runs a shell command built like printf in the repository; its status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
        struct vb_buf cmd = VB_BUF_INIT;
        va_list ap;
        vb_buf_addf(&cmd, "cd '%s' && ", repo);
        va_start(ap, fmt);
        vb_buf_vaddf(&cmd, fmt, ap);
        va_end(ap);
        int rc = system(cmd.ptr);
        vb_buf_release(&cmd);
        return rc;
}

static void note(const char *path, const char *date, const char *tags)
{
        sh("mkdir -p \"$(dirname '%s')\" && printf -- '---\\ndate: %s\\ncustomer: C-%s\\ntags: "
           "[%s]\\n---\\n\\n# Call\\n' >'%s'",
           path, date, date + 8, tags, path);
}

static void commit(const char *date, const char *msg)
{
        sh("git add -A && GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' git -c user.name=T "
           "-c user.email=t@example.com commit -q -m '%s'",
           date, date, msg);
}

/* The history this test checks:
 *  0 (W02) calls/a.md, b.md, x.md, x/y.md; README.md, other/q.md (no notes)
 *  1 (W02) b.md retagged; calls/2026/c.md and calls/x/z.md added (x/ sorts
 *          after x.md in git's order)
 *  2 (W03) a.md moved to 2026/ (same blob), 2026/c.md renamed to c2.md (same
 *          blob), b.md moved to old/ and edited (same note id); a .txt added
 *  3 (W04) 2026/a.md deleted, d.md added, x.md edited (same tags)
 *  4 (W05) the folder old/ deleted */
static void make_repo(void)
{
        sh("git init -q -b main . && printf 'notes: [calls]\\ntags:\\n  price: {label: Price}\\n"
           "  shipping: {label: Shipping}\\n' >verbatim.yml");
        note("calls/a.md", "2026-01-05", "price");
        note("calls/b.md", "2026-01-09", "shipping");
        note("calls/x.md", "2026-01-07", "price");
        note("calls/x/y.md", "2026-01-08", "shipping");
        sh("echo hi >README.md && mkdir -p other && cp calls/a.md other/q.md");
        commit("2026-01-05T10:00:00 +0000", "Start");
        note("calls/b.md", "2026-01-09", "price");
        note("calls/2026/c.md", "2026-01-06", "shipping");
        note("calls/x/z.md", "2026-01-06", "price");
        commit("2026-01-06T10:00:00 +0000", "Retag b");
        sh("mkdir -p calls/2026 calls/old && git mv calls/a.md calls/2026/a.md && "
           "git mv calls/2026/c.md calls/c2.md && git mv calls/b.md calls/old/b.md && "
           "echo x >calls/notes.txt");
        note("calls/old/b.md", "2026-01-09", "price, shipping");
        commit("2026-01-13T10:00:00 +0000", "Moves");
        sh("git rm -q calls/2026/a.md && printf '\\nMore.\\n' >>calls/x.md");
        note("calls/d.md", "2026-01-20", "shipping");
        commit("2026-01-20T10:00:00 +0000", "Delete a");
        sh("git rm -q -r calls/old");
        commit("2026-01-27T10:00:00 +0000", "Drop old");
}

/* The changes of commit `i`, as "A path", "D path", "M path", "R old new". */
static void changes_of(struct vb_buf *out, const struct vb_history *hist, size_t i)
{
        const struct vb_history_data *h = hist->data;
        const struct vb_hcommit *c = &h->commits[i];
        vb_buf_reset(out);
        for (uint64_t k = 0; k < c->nchanges; k++) {
                const struct vb_hchange *x = &h->changes[c->change_first + k];
                const char *o = h->str.v[x->old_path], *n = h->str.v[x->new_path];
                if (out->len)
                        vb_buf_adds(out, "; ");
                if (!x->old_path)
                        vb_buf_addf(out, "A %s", n);
                else if (!x->new_path)
                        vb_buf_addf(out, "D %s", o);
                else if (x->old_path == x->new_path)
                        vb_buf_addf(out, "M %s", n);
                else
                        vb_buf_addf(out, "R %s %s", o, n);
        }
}

static const char *const expected[] = {
    "A calls/a.md; A calls/b.md; A calls/x.md; A calls/x/y.md",
    "A calls/2026/c.md; M calls/b.md; A calls/x/z.md",
    "R calls/a.md calls/2026/a.md; R calls/2026/c.md calls/c2.md; R calls/b.md calls/old/b.md",
    "D calls/2026/a.md; A calls/d.md; M calls/x.md",
    "D calls/old/b.md",
};

static void check_changes(const struct vb_history *h)
{
        struct vb_buf s = VB_BUF_INIT;
        T_INT(h->ncommits, 5);
        for (size_t i = 0; i < 5 && i < h->ncommits; i++) {
                changes_of(&s, h, i);
                T_STR(s.ptr, expected[i]);
        }
        vb_buf_release(&s);
}

static void check_series(const unsigned *v, size_t n, const unsigned *want)
{
        T_INT(n, 4);
        for (size_t i = 0; i < n && i < 4; i++)
                if (v[i] != want[i])
                        T_FAIL("week %zu: %u, expected %u", i, v[i], want[i]);
}

static void test_diff(void)
{
        struct vb_history *h = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_history_options opt = {0};
        opt.no_cache = 1;
        T_INT(vb_history_load(&h, repo, &opt, &d), VB_OK);
        if (!h)
                goto done;
        check_changes(h);
        T_INT(h->stats.commits_processed, 5);
        T_INT(h->stats.blobs, 10);
done:
        vb_history_free(h);
        vb_diags_release(&d);
}

static void test_weeks(void)
{
        struct vb_history *h = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_history_options opt = {0};
        opt.no_cache = 1;
        T_INT(vb_history_load(&h, repo, &opt, &d), VB_OK);
        if (!h)
                goto done;
        T_INT(h->nweeks, 4);
        const struct vb_history_theme *price = vb_history_theme(h, "price");
        const struct vb_history_theme *ship = vb_history_theme(h, "shipping");
        T_TRUE(price && ship);
        if (!price || !ship)
                goto done;
        check_series(price->by_commit, h->nweeks, (const unsigned[]){4, 4, 3, 2});
        check_series(ship->by_commit, h->nweeks, (const unsigned[]){2, 3, 4, 3});
        check_series(h->notes_by_commit, h->nweeks, (const unsigned[]){6, 6, 6, 5});
        /* moves change no theme: commit 2 is only b.md gaining shipping */
        T_INT(ship->nchanges, 5);
        if (ship->nchanges == 5) {
                T_INT(ship->changes[2].commit, 2);
                T_INT(ship->changes[2].tagged, 1);
                T_INT(ship->changes[2].added + ship->changes[2].removed, 0);
        }
        T_INT(price->nchanges, 4);
        if (price->nchanges == 4) {
                T_INT(price->changes[2].commit, 3);
                T_INT(price->changes[2].removed, 1);
                T_INT(price->changes[3].commit, 4);
                T_INT(price->changes[3].removed, 1);
        }
done:
        vb_history_free(h);
        vb_diags_release(&d);
}

static void test_note(void)
{
        struct vb_history *h = NULL;
        struct vb_note_history *nh = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_history_options opt = {0};
        opt.no_cache = 1;
        T_INT(vb_history_load(&h, repo, &opt, &d), VB_OK);
        if (!h)
                goto done;
        T_INT(vb_history_note(&nh, h, "b"), VB_OK);
        T_INT(nh->nevents, 4);
        if (nh->nevents != 4)
                goto done;
        T_INT(nh->events[0].kind, VB_NOTE_ADDED);
        T_INT(nh->events[1].kind, VB_NOTE_EDITED);
        T_INT(nh->events[2].kind, VB_NOTE_MOVED);
        T_STR(nh->events[2].old_path, "calls/b.md");
        T_STR(nh->events[2].path, "calls/old/b.md");
        T_INT(nh->events[2].content_changed, 1);
        T_INT(nh->events[2].nthemes_added, 1);
        T_INT(nh->events[3].kind, VB_NOTE_REMOVED);
        T_INT(nh->events[3].commit, 4);
        vb_note_history_free(nh);
        nh = NULL;
        /* a rename to another name with the same blob is followed too */
        T_INT(vb_history_note(&nh, h, "c"), VB_OK);
        T_INT(nh->nevents, 2);
        if (nh->nevents == 2) {
                T_INT(nh->events[1].kind, VB_NOTE_MOVED);
                T_STR(nh->events[1].path, "calls/c2.md");
                T_INT(nh->events[1].content_changed, 0);
        }
done:
        vb_note_history_free(nh);
        vb_history_free(h);
        vb_diags_release(&d);
}

/* The cache: written, read back with the same changes; one more commit is
 * the only one diffed. */
static void test_cache(void)
{
        struct vb_history *h = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        T_INT(vb_history_load(&h, repo, NULL, &d), VB_OK);
        T_INT(h->stats.cache_written, 1);
        vb_history_free(h);
        h = NULL;
        T_INT(vb_history_load(&h, repo, NULL, &d), VB_OK);
        T_INT(h->stats.cache_read, 1);
        T_INT(h->stats.commits_processed, 0);
        check_changes(h);
        vb_history_free(h);
        h = NULL;
        sh("mkdir -p calls/2026 && git mv calls/d.md calls/2026/d2.md");
        commit("2026-01-28T10:00:00 +0000", "Move d");
        T_INT(vb_history_load(&h, repo, NULL, &d), VB_OK);
        T_INT(h->stats.commits_processed, 1);
        T_INT(h->stats.blobs_parsed, 0);
        struct vb_buf s = VB_BUF_INIT;
        changes_of(&s, h, 5);
        T_STR(s.ptr, "R calls/d.md calls/2026/d2.md");
        vb_buf_release(&s);
        vb_history_free(h);
        vb_diags_release(&d);
}

int main(void)
{
        if (!mkdtemp(tmp_top)) {
                printf("not ok - mkdtemp\n");
                return 1;
        }
        setenv("HOME", tmp_top, 1);
        setenv("XDG_CONFIG_HOME", tmp_top, 1);
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
        unsetenv("GIT_DIR");
        unsetenv("GIT_INDEX_FILE");
        unsetenv("GIT_WORK_TREE");
        repo = tmp_top;
        make_repo();

        T_RUN(test_diff);
        T_RUN(test_weeks);
        T_RUN(test_note);
        T_RUN(test_cache);

        repo = "/";
        if (!getenv("VB_KEEP"))
                sh("rm -rf '%s'", tmp_top);
        T_END();
}
