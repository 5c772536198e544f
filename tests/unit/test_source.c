#include "t.h"
#include "verbatim/source.h"

#include <git2.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_top[] = "/tmp/vb-source-XXXXXX";

/* Runs a shell command built like printf; returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
        struct vb_buf cmd = VB_BUF_INIT;
        va_list ap;
        va_start(ap, fmt);
        vb_buf_vaddf(&cmd, fmt, ap);
        va_end(ap);
        int rc = system(cmd.ptr);
        vb_buf_release(&cmd);
        return rc;
}

/* The first line a shell command prints (without the newline). */
static void sh_out(struct vb_buf *out, const char *cmd)
{
        char line[256];
        vb_buf_reset(out);
        FILE *p = popen(cmd, "r");
        if (!p)
                return;
        if (fgets(line, sizeof(line), p)) {
                line[strcspn(line, "\n")] = '\0';
                vb_buf_adds(out, line);
        }
        pclose(p);
}

/* A fresh folder under the test's temporary folder. */
static char *new_dir(const char *name)
{
        struct vb_buf p = VB_BUF_INIT;
        vb_buf_addf(&p, "%s/%s", tmp_top, name);
        mkdir(p.ptr, 0755);
        return vb_buf_detach(&p, NULL);
}

static void put(const char *root, const char *rel, const char *text)
{
        struct vb_buf p = VB_BUF_INIT;
        vb_buf_addf(&p, "%s/%s", root, rel);
        for (char *s = strchr(p.ptr + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
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

static void link_at(const char *root, const char *rel, const char *target)
{
        struct vb_buf p = VB_BUF_INIT;
        vb_buf_addf(&p, "%s/%s", root, rel);
        if (symlink(target, p.ptr) != 0)
                T_FAIL("symlink %s: %s", p.ptr, strerror(errno));
        vb_buf_release(&p);
}

#define GIT "git -c user.name=T -c user.email=t@example.com -c init.defaultBranch=main "

/* Lists `dirs` and returns the paths joined with ','; diagnostics too. */
static void list_str(struct vb_buf *out, struct vb_source *s, const char *const *dirs, size_t n,
                     struct vb_diags *d)
{
        struct vb_entry *e = NULL;
        size_t ne = 0;
        vb_buf_reset(out);
        T_INT(vb_source_list(s, dirs, n, &e, &ne, d), VB_OK);
        for (size_t i = 0; i < ne; i++)
                vb_buf_addf(out, "%s%s", i ? "," : "", e[i].path);
        vb_entries_free(e, ne);
}

/* "rule:path" of every diagnostic, joined with ','. */
static void diag_str(struct vb_buf *out, const struct vb_diags *d)
{
        vb_buf_reset(out);
        for (size_t i = 0; i < d->n; i++)
                vb_buf_addf(out, "%s%s:%s", i ? "," : "", d->v[i].rule, d->v[i].path);
}

static void oid_hex(char hex[41], const unsigned char oid[20])
{
        for (int i = 0; i < 20; i++)
                snprintf(hex + 2 * i, 3, "%02x", oid[i]);
}

static void test_dir_plain(void)
{
        char *root = new_dir("plain");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT;

        put(root, "calls/b.md", "bee\n");
        put(root, "calls/a.md", "hello a\n");
        put(root, "calls/2026/c.md", "c");
        put(root, "calls/x.txt", "not a note");
        put(root, "calls/.md", "no stem");
        put(root, "notes.md", "top");
        put(root, ".hidden/h.md", "h");
        put(root, "calls/.git/HEAD", "not walked");

        T_INT(vb_source_open_dir(&s, root, &d), VB_OK);
        T_STR(vb_source_root(s), root);
        T_INT(vb_source_is_git(s), 0);
        T_TRUE(vb_source_repository(s) == NULL);

        const char *all[] = {"."};
        list_str(&got, s, all, 1, &d);
        T_STR(got.ptr, ".hidden/h.md,calls/2026/c.md,calls/a.md,calls/b.md,notes.md");

        const char *overlap[] = {"calls/", ".", "./calls"};
        list_str(&got, s, overlap, 3, &d);
        T_STR(got.ptr, ".hidden/h.md,calls/2026/c.md,calls/a.md,calls/b.md,notes.md");

        struct vb_entry *e = NULL;
        size_t n = 0;
        const char *calls[] = {"calls"};
        T_INT(vb_source_list(s, calls, 1, &e, &n, &d), VB_OK);
        T_INT(n, 3);
        if (n == 3) {
                T_STR(e[1].path, "calls/a.md");
                T_INT(e[1].has_oid, 0);
        }
        vb_entries_free(e, n);
        T_INT(d.n, 0);

        const char *bad[] = {"nope", "../elsewhere"};
        list_str(&got, s, bad, 2, &d);
        T_STR(got.ptr, "");
        diag_str(&got, &d);
        T_STR(got.ptr, "notes-folder-missing:verbatim.yml,notes-folder-missing:verbatim.yml");
        if (d.n == 2) {
                T_INT(d.v[0].line, 0);
                T_INT(d.v[0].severity, VB_SEV_ERROR);
                T_STR(d.v[0].message, "folder 'nope' listed in notes: does not exist; create it or "
                                      "fix notes: in verbatim.yml");
        }
        vb_diags_release(&d);

        vb_buf_reset(&got);
        vb_buf_adds(&got, ">"); /* reading appends */
        T_INT(vb_source_read(s, "calls/a.md", &got, &d), VB_OK);
        T_STR(got.ptr, ">hello a\n");
        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "./calls//b.md", &got, &d), VB_OK);
        T_STR(got.ptr, "bee\n");
        T_INT(vb_source_read(s, "calls/none.md", &got, &d), VB_ERR_NOTFOUND);
        T_INT(d.n, 0);

        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "../plain/calls/a.md", &got, &d), VB_ERR_IO);
        T_INT(vb_source_read(s, "/etc/passwd", &got, &d), VB_ERR_IO);
        T_INT(vb_source_read(s, "calls", &got, &d), VB_ERR_IO);
        T_STR(got.ptr, "");
        diag_str(&got, &d);
        T_STR(got.ptr, "unreadable:../plain/calls/a.md,unreadable:/etc/passwd,unreadable:calls");
        if (d.n == 3)
                T_STR(d.v[2].message, "cannot read: not a regular file; notes must be plain files");
        vb_diags_release(&d);

        /* a big file comes back whole */
        struct vb_buf big = VB_BUF_INIT;
        for (int i = 0; i < 30000; i++)
                vb_buf_addf(&big, "line %d\n", i);
        put(root, "big.md", big.ptr);
        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "big.md", &got, &d), VB_OK);
        T_INT(got.len, big.len);
        T_TRUE(got.len == big.len && !memcmp(got.ptr, big.ptr, big.len));
        vb_buf_release(&big);

        vb_source_free(s);
        s = NULL;
        T_INT(vb_source_open_dir(&s, "/nonexistent/vb-kb", &d), VB_ERR_NOTFOUND);
        T_TRUE(s == NULL);
        diag_str(&got, &d);
        T_STR(got.ptr, "unreadable:/nonexistent/vb-kb");

        vb_diags_release(&d);
        vb_buf_release(&got);
        free(root);
}

static void test_dir_gitignore(void)
{
        char *root = new_dir("ignore");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT;

        T_INT(sh(GIT "init -q %s", root), 0);
        put(root, ".gitignore", "ignored.md\nbuild/\n/sub/skip.md\n");
        put(root, "a.md", "a");
        put(root, "ignored.md", "i");
        put(root, "build/b.md", "b");
        put(root, "build/deep/b2.md", "b");
        put(root, "sub/c.md", "c");
        put(root, "sub/skip.md", "s");
        put(root, "sub/build/x.md", "x");
        put(root, "mod/.git", "gitdir: ../elsewhere\n");
        put(root, "mod/m.md", "m");

        T_INT(vb_source_open_dir(&s, root, &d), VB_OK);
        T_TRUE(vb_source_repository(s) != NULL);
        T_INT(vb_source_is_git(s), 0);
        const char *all[] = {"."};
        list_str(&got, s, all, 1, &d);
        T_STR(got.ptr, "a.md,mod/m.md,sub/c.md");
        /* ignored files are still readable by name */
        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "ignored.md", &got, &d), VB_OK);
        T_STR(got.ptr, "i");
        vb_source_free(s);

        /* a root below the top of the work tree */
        struct vb_buf sub = VB_BUF_INIT;
        vb_buf_addf(&sub, "%s/sub/", root);
        T_INT(vb_source_open_dir(&s, sub.ptr, &d), VB_OK);
        list_str(&got, s, all, 1, &d);
        T_STR(got.ptr, "c.md");
        T_INT(d.n, 0);
        vb_buf_truncate(&sub, sub.len - 1);
        T_STR(vb_source_root(s), sub.ptr);
        vb_source_free(s);

        vb_buf_release(&sub);
        vb_diags_release(&d);
        vb_buf_release(&got);
        free(root);
}

static void test_dir_symlinks(void)
{
        char *root = new_dir("links");
        char *outside = new_dir("outside");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT, want = VB_BUF_INIT;

        put(root, "in.md", "inside\n");
        put(root, "calls/x.md", "x");
        put(outside, "secret.md", "secret");
        link_at(root, "link.md", "in.md");
        link_at(root, "calls/up.md", "../in.md");
        link_at(root, "dangling.md", "nothing.md");
        link_at(root, "loop.md", "loop.md");
        link_at(root, "linkdir", "calls");
        link_at(root, "other.txt", "nothing.txt");
        vb_buf_addf(&want, "%s/secret.md", outside);
        link_at(root, "out.md", want.ptr);

        T_INT(vb_source_open_dir(&s, root, &d), VB_OK);
        const char *all[] = {"."};
        list_str(&got, s, all, 1, &d);
        T_STR(got.ptr, "calls/up.md,calls/x.md,in.md,link.md");
        diag_str(&got, &d);
        T_STR(got.ptr, "symlink-broken:dangling.md,symlink-dir:linkdir,symlink-broken:loop.md,"
                       "symlink-outside:out.md");
        T_INT(d.errors, 0);
        T_INT(d.warnings, 4);
        if (d.n == 4) {
                vb_buf_reset(&got);
                vb_buf_addf(&got,
                            "symlink points outside the knowledge base (to '%s'); it is not read",
                            want.ptr);
                T_STR(d.v[3].message, got.ptr);
                T_STR(d.v[2].message, "symlink is broken (it loops); it is not read; fix or "
                                      "remove it");
        }
        vb_diags_release(&d);

        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "link.md", &got, &d), VB_OK);
        T_STR(got.ptr, "inside\n");
        T_INT(vb_source_read(s, "dangling.md", &got, &d), VB_ERR_NOTFOUND);
        T_INT(d.n, 0);
        T_INT(vb_source_read(s, "out.md", &got, &d), VB_ERR_IO);
        T_INT(vb_source_read(s, "loop.md", &got, &d), VB_ERR_IO);
        T_STR(got.ptr, "inside\n");
        diag_str(&got, &d);
        T_STR(got.ptr, "symlink-outside:out.md,symlink-broken:loop.md");
        vb_diags_release(&d);

        /* a notes folder that is itself a symlink is not followed */
        const char *viadir[] = {"linkdir"};
        list_str(&got, s, viadir, 1, &d);
        T_STR(got.ptr, "");
        diag_str(&got, &d);
        T_STR(got.ptr, "symlink-dir:verbatim.yml");
        vb_source_free(s);

        vb_diags_release(&d);
        vb_buf_release(&got);
        vb_buf_release(&want);
        free(root);
        free(outside);
}

static void test_dir_unreadable(void)
{
        char *root = new_dir("locked");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT, p = VB_BUF_INIT;

        put(root, "a.md", "a");
        put(root, "locked/b.md", "b");
        put(root, "z/c.md", "c");
        vb_buf_addf(&p, "%s/locked", root);
        chmod(p.ptr, 0);

        T_INT(vb_source_open_dir(&s, root, &d), VB_OK);
        const char *all[] = {"."};
        list_str(&got, s, all, 1, &d);
        if (geteuid() == 0) {
                /* root reads everything: permissions cannot make it fail */
                T_STR(got.ptr, "a.md,locked/b.md,z/c.md");
        } else {
                T_STR(got.ptr, "a.md,z/c.md");
                diag_str(&got, &d);
                T_STR(got.ptr, "unreadable:locked");
                if (d.n == 1)
                        T_INT(d.v[0].severity, VB_SEV_ERROR);
        }
        chmod(p.ptr, 0755);
        vb_source_free(s);

        vb_diags_release(&d);
        vb_buf_release(&got);
        vb_buf_release(&p);
        free(root);
}

/* A repository with two commits; the working tree then differs from HEAD. */
static char *make_repo(const char *name)
{
        char *root = new_dir(name);
        put(root, "verbatim.yml", "notes: [calls]\n");
        put(root, "calls/a.md", "a v1\n");
        put(root, "calls/b.md", "b v1\n");
        put(root, "other/o.md", "o");
        link_at(root, "calls/l.md", "a.md");
        T_INT(sh(GIT "init -q %s && cd %s && " GIT "add -A && " GIT "commit -qm one", root, root),
              0);
        put(root, "calls/b.md", "b v2\n");
        T_INT(sh("cd %s && " GIT "commit -qam two", root), 0);
        put(root, "calls/a.md", "a in the working tree\n");
        return root;
}

static void test_rev(void)
{
        char *root = make_repo("rev");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT, want = VB_BUF_INIT;
        struct vb_entry *e = NULL;
        size_t n = 0;
        char hex[41];

        T_INT(vb_source_open_rev(&s, root, "HEAD", &d), VB_OK);
        T_STR(vb_source_root(s), root);
        T_INT(vb_source_is_git(s), 1);
        T_TRUE(vb_source_repository(s) != NULL);
        const char *calls[] = {"calls"};
        T_INT(vb_source_list(s, calls, 1, &e, &n, &d), VB_OK);
        T_INT(n, 2);
        if (n == 2) {
                T_STR(e[0].path, "calls/a.md");
                T_STR(e[1].path, "calls/b.md");
                T_INT(e[0].has_oid, 1);
                oid_hex(hex, e[0].oid);
                vb_buf_addf(&want, "cd %s && git rev-parse HEAD:calls/a.md", root);
                sh_out(&got, want.ptr);
                T_STR(hex, got.ptr);
        }
        vb_entries_free(e, n);
        diag_str(&got, &d);
        T_STR(got.ptr, "symlink-skipped:calls/l.md");
        vb_diags_release(&d);

        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "calls/a.md", &got, &d), VB_OK);
        T_STR(got.ptr, "a v1\n");
        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "verbatim.yml", &got, &d), VB_OK);
        T_STR(got.ptr, "notes: [calls]\n");
        T_INT(vb_source_read(s, "calls/none.md", &got, &d), VB_ERR_NOTFOUND);
        T_INT(vb_source_read(s, "../x.md", &got, &d), VB_ERR_IO);
        T_INT(vb_source_read(s, "calls", &got, &d), VB_ERR_IO);
        diag_str(&got, &d);
        T_STR(got.ptr, "unreadable:../x.md,unreadable:calls");
        vb_diags_release(&d);

        const char *bad[] = {"missing", ".", "other"};
        list_str(&got, s, bad, 3, &d);
        T_STR(got.ptr, "calls/a.md,calls/b.md,other/o.md");
        diag_str(&got, &d);
        T_STR(got.ptr, "notes-folder-missing:verbatim.yml,symlink-skipped:calls/l.md");
        vb_source_free(s);
        vb_diags_release(&d);

        T_INT(vb_source_open_rev(&s, root, "HEAD~1", &d), VB_OK);
        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "calls/b.md", &got, &d), VB_OK);
        T_STR(got.ptr, "b v1\n");
        vb_source_free(s);

        s = NULL;
        T_INT(vb_source_open_rev(&s, root, "no-such-branch", &d), VB_ERR);
        T_TRUE(s == NULL);
        diag_str(&got, &d);
        vb_buf_reset(&want);
        vb_buf_addf(&want, "bad-revision:%s", root);
        T_STR(got.ptr, want.ptr);
        vb_diags_release(&d);

        T_INT(vb_source_open_rev(&s, "/", "HEAD", &d), VB_ERR_IO);
        diag_str(&got, &d);
        T_STR(got.ptr, "no-repository:/");

        vb_diags_release(&d);
        vb_buf_release(&got);
        vb_buf_release(&want);
        free(root);
}

static void test_index(void)
{
        char *root = make_repo("index");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT;

        put(root, "calls/a.md", "a staged\n");
        put(root, "calls/new.md", "new staged\n");
        T_INT(sh("cd %s && git add calls/a.md calls/new.md", root), 0);
        put(root, "calls/a.md", "a changed after staging\n");
        put(root, "calls/untracked.md", "u");

        T_INT(vb_source_open_index(&s, root, &d), VB_OK);
        T_INT(vb_source_is_git(s), 1);
        const char *calls[] = {"calls", "empty", "gone"};
        struct vb_buf p = VB_BUF_INIT;
        vb_buf_addf(&p, "%s/empty", root);
        mkdir(p.ptr, 0755);
        vb_buf_release(&p);
        list_str(&got, s, calls, 3, &d);
        T_STR(got.ptr, "calls/a.md,calls/b.md,calls/new.md");
        diag_str(&got, &d);
        T_STR(got.ptr, "symlink-skipped:calls/l.md,notes-folder-missing:verbatim.yml");
        vb_diags_release(&d);

        vb_buf_reset(&got);
        T_INT(vb_source_read(s, "calls/a.md", &got, &d), VB_OK);
        T_STR(got.ptr, "a staged\n");
        T_INT(vb_source_read(s, "calls/untracked.md", &got, &d), VB_ERR_NOTFOUND);
        T_INT(d.n, 0);
        vb_source_free(s);

        /* git commit -a runs hooks with GIT_INDEX_FILE naming a temporary index */
        struct vb_buf alt = VB_BUF_INIT;
        vb_buf_addf(&alt, "%s/alt-index", tmp_top);
        T_INT(sh("cd %s && GIT_INDEX_FILE=%s git read-tree HEAD~1", root, alt.ptr), 0);
        setenv("GIT_INDEX_FILE", alt.ptr, 1);
        T_INT(vb_source_open_index(&s, root, &d), VB_OK);
        unsetenv("GIT_INDEX_FILE");
        if (s) {
                vb_buf_reset(&got);
                T_INT(vb_source_read(s, "calls/b.md", &got, &d), VB_OK);
                T_STR(got.ptr, "b v1\n");
                T_INT(vb_source_read(s, "calls/new.md", &got, &d), VB_ERR_NOTFOUND);
                vb_source_free(s);
        }
        vb_buf_release(&alt);

        vb_diags_release(&d);
        vb_buf_release(&got);
        free(root);
}

static void test_bare(void)
{
        char *root = make_repo("bare-src");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT, bare = VB_BUF_INIT;

        vb_buf_addf(&bare, "%s/bare.git", tmp_top);
        T_INT(sh("git clone -q --bare %s %s", root, bare.ptr), 0);
        T_INT(vb_source_open_rev(&s, bare.ptr, "HEAD", &d), VB_OK);
        if (s) {
                T_STR(vb_source_root(s), bare.ptr);
                const char *calls[] = {"calls"};
                list_str(&got, s, calls, 1, &d);
                T_STR(got.ptr, "calls/a.md,calls/b.md");
                vb_buf_reset(&got);
                T_INT(vb_source_read(s, "calls/b.md", &got, &d), VB_OK);
                T_STR(got.ptr, "b v2\n");
                vb_source_free(s);
        }
        vb_diags_release(&d);

        s = NULL;
        T_INT(vb_source_open_index(&s, bare.ptr, &d), VB_ERR_IO);
        T_TRUE(s == NULL);
        diag_str(&got, &d);
        vb_buf_reset(&bare);
        vb_buf_addf(&bare, "no-repository:%s/bare.git", tmp_top);
        T_STR(got.ptr, bare.ptr);

        vb_diags_release(&d);
        vb_buf_release(&got);
        vb_buf_release(&bare);
        free(root);
}

struct reader {
        struct vb_source *s;
        const char *path, *want;
        int bad;
};

static void *read_many(void *arg)
{
        struct reader *r = arg;
        struct vb_buf b = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        for (int i = 0; i < 300; i++) {
                vb_buf_reset(&b);
                if (vb_source_read(r->s, r->path, &b, &d) != VB_OK || strcmp(b.ptr, r->want))
                        r->bad++;
        }
        vb_buf_release(&b);
        vb_diags_release(&d);
        return NULL;
}

static void test_threads(void)
{
        char *root = make_repo("threads");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        pthread_t t[2];

        T_INT(vb_source_open_rev(&s, root, "HEAD", &d), VB_OK);
        struct reader r[2] = {{s, "calls/a.md", "a v1\n", 0}, {s, "calls/b.md", "b v2\n", 0}};
        for (int i = 0; i < 2; i++)
                pthread_create(&t[i], NULL, read_many, &r[i]);
        for (int i = 0; i < 2; i++)
                pthread_join(t[i], NULL);
        T_INT(r[0].bad, 0);
        T_INT(r[1].bad, 0);
        vb_source_free(s);
        vb_diags_release(&d);
        free(root);
}

/* A folder in no repository does not start libgit2 (its TLS and SSH
 * libraries and the CA bundle cost 3 MB); one below a work tree's root finds
 * the repository above it. */
static void test_dir_no_git(void)
{
        char *plain = new_dir("plain-no-git");
        char *repo = new_dir("repo-above");
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_buf got = VB_BUF_INIT;

        put(plain, "a.md", "a");
        T_INT(vb_source_open_dir(&s, plain, &d), VB_OK);
        T_TRUE(vb_source_repository(s) == NULL);
        const char *all[] = {"."};
        list_str(&got, s, all, 1, &d);
        T_STR(got.ptr, "a.md");
        T_INT(git_libgit2_init(), 1); /* this call's own: nobody else started it */
        git_libgit2_shutdown();
        vb_source_free(s);

        T_INT(sh(GIT "init -q %s", repo), 0);
        put(repo, "deep/sub/b.md", "b");
        struct vb_buf sub = VB_BUF_INIT;
        vb_buf_addf(&sub, "%s/deep/sub", repo);
        T_INT(vb_source_open_dir(&s, sub.ptr, &d), VB_OK);
        T_TRUE(vb_source_repository(s) != NULL);
        T_INT(git_libgit2_init(), 2);
        git_libgit2_shutdown();
        vb_source_free(s);
        T_INT(d.n, 0);

        vb_buf_release(&sub);
        vb_buf_release(&got);
        vb_diags_release(&d);
        free(plain);
        free(repo);
}

static void test_hash(void)
{
        unsigned char oid[20];
        char hex[41];
        struct vb_buf got = VB_BUF_INIT;
        struct vb_source *s = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        char *root = new_dir("hash");

        /* a folder in no repository: libgit2 starts at the first hash */
        T_INT(vb_source_open_dir(&s, root, &d), VB_OK);
        T_INT(vb_oid_hash_blob(s, oid, "hello\n", 6), VB_OK);
        oid_hex(hex, oid);
        T_STR(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
        sh_out(&got, "printf 'hello\\n' | git hash-object --stdin");
        T_STR(hex, got.ptr);

        T_INT(vb_oid_hash_blob(s, oid, "", 0), VB_OK);
        oid_hex(hex, oid);
        sh_out(&got, "git hash-object --stdin </dev/null");
        T_STR(hex, got.ptr);
        T_STR(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        vb_source_free(s);
        T_INT(git_libgit2_init(), 1); /* and stops with the source */
        git_libgit2_shutdown();
        vb_buf_release(&got);
        vb_diags_release(&d);
        free(root);
}

/* The one "path is inside folder" rule (source, index, report). */
static void path_within(void)
{
        T_INT(vb_path_within("/a/b", "/a/b"), VB_PATH_SAME);
        T_INT(vb_path_within("/a/b/", "/a/b"), VB_PATH_SAME);
        T_INT(vb_path_within("/a/b", "/a/b/"), VB_PATH_SAME);
        T_INT(vb_path_within("/a/b/c", "/a/b"), VB_PATH_BELOW);
        T_INT(vb_path_within("/a/b/c", "/a/b/"), VB_PATH_BELOW);
        T_INT(vb_path_within("/a/bc", "/a/b"), VB_PATH_OUTSIDE);
        T_INT(vb_path_within("/a", "/a/b"), VB_PATH_OUTSIDE);
        T_INT(vb_path_within("/", "/"), VB_PATH_SAME);
        T_INT(vb_path_within("/x", "/"), VB_PATH_BELOW);
        T_INT(vb_path_within("/x/y", "/"), VB_PATH_BELOW);
}

int main(void)
{
        if (!mkdtemp(tmp_top)) {
                printf("not ok - mkdtemp\n");
                return 1;
        }
        /* keep the user's git configuration (a global ignore file) out */
        setenv("HOME", tmp_top, 1);
        setenv("XDG_CONFIG_HOME", tmp_top, 1);
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
        unsetenv("GIT_DIR");
        unsetenv("GIT_INDEX_FILE");
        unsetenv("GIT_WORK_TREE");

        T_RUN(test_dir_plain);
        T_RUN(test_dir_gitignore);
        T_RUN(test_dir_symlinks);
        T_RUN(test_dir_unreadable);
        T_RUN(test_rev);
        T_RUN(test_index);
        T_RUN(test_bare);
        T_RUN(test_threads);
        T_RUN(test_dir_no_git);
        T_RUN(test_hash);
        T_RUN(path_within);

        sh("chmod -R u+rwx %s; rm -rf %s", tmp_top, tmp_top);
        T_END();
}
