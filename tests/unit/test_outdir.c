#include "verbatim/buf.h"
#include "verbatim/diag.h"
#include "verbatim/outdir.h"

#include "t.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/vb-test-output-XXXXXX";

static char *path(const char *rel)
{
        static char buf[4][512];
        static int k;
        k = (k + 1) % 4;
        snprintf(buf[k], sizeof(buf[k]), "%s/%s", root, rel);
        return buf[k];
}

/* The file's content, or "(missing)". */
static const char *slurp(const char *p)
{
        static char buf[256];
        FILE *f = fopen(p, "rb");
        if (!f)
                return "(missing)";
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        fclose(f);
        return buf;
}

static void spit(const char *p, const char *s)
{
        FILE *f = fopen(p, "wb");
        if (f) {
                fputs(s, f);
                fclose(f);
        }
}

/* The names in folder `p`, sorted, joined by spaces. */
static const char *listing(const char *p)
{
        static char buf[1024];
        struct dirent **v;
        int n = scandir(p, &v, NULL, alphasort);
        buf[0] = '\0';
        for (int i = 0; i < n; i++) {
                if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, "..")) {
                        if (buf[0])
                                strcat(buf, " ");
                        strncat(buf, v[i]->d_name, sizeof(buf) - strlen(buf) - 2);
                }
                free(v[i]);
        }
        if (n >= 0)
                free(v);
        return buf;
}

static void rm_rf(const char *p)
{
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", p, p);
        T_INT(system(cmd), 0);
}

static void test_write_atomic(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        T_INT(vb_write_file_atomic(path("a.txt"), "one", 3, &d), 0);
        T_INT(vb_write_file_atomic(path("a.txt"), "two!", 4, &d), 0);
        T_STR(slurp(path("a.txt")), "two!");
        T_STR(listing(root), "a.txt");
        struct stat st;
        T_INT(stat(path("a.txt"), &st), 0);
        T_INT(st.st_mode & 0777, 0644);
        T_INT(d.n, 0);

        T_INT(vb_write_file_atomic(path("missing/b.txt"), "x", 1, &d), VB_ERR_IO);
        T_INT(d.n, 1);
        T_STR(d.v[0].rule, "write-failed");
        T_STR(d.v[0].path, path("missing/b.txt"));
        T_STR(d.v[0].message, "cannot create a temporary file beside it: No such file or directory "
                              "(check that the folder exists, is writable and has space)");
        /* a file used as a folder */
        T_INT(vb_write_file_atomic(path("a.txt/b.txt"), "x", 1, &d), VB_ERR_IO);
        T_INT(d.n, 2);
        T_TRUE(strstr(d.v[1].message, "Not a directory") != NULL);

        /* a read-only folder (root ignores permissions: nothing to test then) */
        T_INT(mkdir(path("ro"), 0555), 0);
        if (geteuid() != 0) {
                T_INT(vb_write_file_atomic(path("ro/c.txt"), "x", 1, &d), VB_ERR_IO);
                T_INT(d.n, 3);
                T_TRUE(strstr(d.v[2].message, "Permission denied") != NULL);
        }
        chmod(path("ro"), 0755);
        rmdir(path("ro"));
        unlink(path("a.txt"));
        vb_diags_release(&d);
}

static void test_outdir(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_outdir o = VB_OUTDIR_INIT;
        const char *site = path("site");

        /* first run: a new folder */
        T_INT(vb_outdir_begin(&o, site, &d), 0);
        T_INT(vb_outdir_write(&o, "index.html", "v1", 2, &d), 0);
        T_INT(vb_outdir_write(&o, "notes/2026/a.html", "note a", 6, &d), 0);
        T_INT(vb_outdir_write(&o, "old.html", "old", 3, &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_INT(d.n, 0);
        T_STR(listing(root), "site");
        T_STR(listing(site), ".verbatim-output index.html notes old.html");
        T_STR(slurp(path("site/notes/2026/a.html")), "note a");
        T_TRUE(o.tmp_dir == NULL);
        vb_outdir_abort(&o); /* harmless after commit */

        /* aborted run: the old output stays, no temporary folder is left */
        T_INT(vb_outdir_begin(&o, site, &d), 0);
        T_INT(vb_outdir_write(&o, "index.html", "half", 4, &d), 0);
        T_TRUE(strncmp(listing(root), ".site.tmp-", 10) == 0);
        vb_outdir_abort(&o);
        T_STR(listing(root), "site");
        T_STR(slurp(path("site/index.html")), "v1");

        /* a committed run replaces everything */
        T_INT(vb_outdir_begin(&o, site, &d), 0);
        T_INT(vb_outdir_write(&o, "index.html", "v2", 2, &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_STR(listing(root), "site");
        T_STR(listing(site), ".verbatim-output index.html");
        T_STR(slurp(path("site/index.html")), "v2");

        /* two runs at once: the last commit wins, nothing is left over */
        struct vb_outdir a = VB_OUTDIR_INIT, b = VB_OUTDIR_INIT;
        T_INT(vb_outdir_begin(&a, site, &d), 0);
        T_INT(vb_outdir_begin(&b, site, &d), 0);
        T_INT(vb_outdir_write(&a, "index.html", "a", 1, &d), 0);
        T_INT(vb_outdir_write(&b, "index.html", "b", 1, &d), 0);
        T_INT(vb_outdir_commit(&a, &d), 0);
        T_INT(vb_outdir_commit(&b, &d), 0);
        T_STR(slurp(path("site/index.html")), "b");
        T_STR(listing(root), "site");

        /* an existing empty folder and a trailing slash are fine */
        T_INT(mkdir(path("empty"), 0755), 0);
        T_INT(vb_outdir_begin(&o, path("empty/"), &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_STR(listing(path("empty")), ".verbatim-output");
        T_INT(d.n, 0);
        vb_diags_release(&d);
}

static ino_t inode(const char *p)
{
        struct stat st;
        return lstat(p, &st) == 0 ? st.st_ino : 0;
}

/* Unchanged files are hard links to the previous output's; changed,
 * replaced or suspicious ones are written anew.  `by_name`: as where the
 * kernel lets no one link an open file (before Linux 6.10, unprivileged). */
static void outdir_reuse(int by_name)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_outdir o = VB_OUTDIR_INIT;
        char *site = strdup(path("reuse")); /* path() reuses its buffers */

        T_INT(vb_outdir_begin(&o, site, &d), 0);
        if (by_name)
                o.no_flink = 1;
        T_INT(vb_outdir_write(&o, "same.html", "same", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "deep/er/same.html", "deep", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "changed.html", "abcd", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "grown.html", "ab", 2, &d), 0);
        T_INT(vb_outdir_write(&o, "linked.html", "link", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "moded.html", "mode", 4, &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        ino_t same = inode(path("reuse/same.html")), deep = inode(path("reuse/deep/er/same.html")),
              changed = inode(path("reuse/changed.html")), moded = inode(path("reuse/moded.html"));
        /* an access time before the change time: a plain read would set it
         * (relatime); comparing must not write to the inode */
        struct stat before;
        T_INT(stat(path("reuse/same.html"), &before), 0);
        struct timespec old[2] = {{before.st_mtim.tv_sec - 10, 0}, {UTIME_OMIT, UTIME_OMIT}};
        T_INT(utimensat(AT_FDCWD, path("reuse/same.html"), old, 0), 0);

        /* planted by someone: a symbolic link with the right bytes behind it,
         * a folder that is a link, a file with another mode */
        spit(path("outside.html"), "link");
        T_INT(unlink(path("reuse/linked.html")), 0);
        T_INT(symlink(path("outside.html"), path("reuse/linked.html")), 0);
        T_INT(mkdir(path("elsewhere"), 0755), 0);
        spit(path("elsewhere/x.html"), "x");
        T_INT(symlink(path("elsewhere"), path("reuse/via")), 0);
        T_INT(chmod(path("reuse/moded.html"), 0600), 0);

        T_INT(vb_outdir_begin(&o, site, &d), 0);
        if (by_name)
                o.no_flink = 1;
        T_INT(vb_outdir_write(&o, "same.html", "same", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "deep/er/same.html", "deep", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "changed.html", "abce", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "grown.html", "abc", 3, &d), 0);
        T_INT(vb_outdir_write(&o, "linked.html", "link", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "moded.html", "mode", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "via/x.html", "x", 1, &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_INT(d.n, 0);

        T_TRUE(same != 0 && inode(path("reuse/same.html")) == same);
        struct stat after;
        T_INT(stat(path("reuse/same.html"), &after), 0);
        T_TRUE(after.st_atim.tv_sec == before.st_mtim.tv_sec - 10);
        T_TRUE(deep != 0 && inode(path("reuse/deep/er/same.html")) == deep);
        T_TRUE(inode(path("reuse/changed.html")) != changed);
        T_STR(slurp(path("reuse/changed.html")), "abce");
        T_STR(slurp(path("reuse/grown.html")), "abc");
        struct stat st;
        T_INT(lstat(path("reuse/linked.html"), &st), 0);
        T_TRUE(S_ISREG(st.st_mode));
        T_TRUE(st.st_ino != inode(path("outside.html")));
        T_STR(slurp(path("reuse/linked.html")), "link");
        T_TRUE(inode(path("reuse/moded.html")) != moded);
        T_INT(lstat(path("reuse/via"), &st), 0);
        T_TRUE(S_ISDIR(st.st_mode));
        T_TRUE(inode(path("reuse/via/x.html")) != inode(path("elsewhere/x.html")));
        /* what was outside is untouched */
        T_STR(slurp(path("outside.html")), "link");
        T_STR(slurp(path("elsewhere/x.html")), "x");

        /* the old output is gone; the reused files have one name again */
        T_INT(lstat(path("reuse/same.html"), &st), 0);
        T_INT((int)st.st_nlink, 1);
        T_STR(listing(site),
              ".verbatim-output changed.html deep grown.html linked.html moded.html same.html via");

        /* a file written twice in one run, first linked to the old output's
         * file: the second write replaces the link and leaves the old file */
        T_INT(vb_outdir_begin(&o, site, &d), 0);
        if (by_name)
                o.no_flink = 1;
        T_INT(vb_outdir_write(&o, "same.html", "same", 4, &d), 0);
        T_INT(vb_outdir_write(&o, "same.html", "SAME", 4, &d), 0);
        T_STR(slurp(path("reuse/same.html")), "same");
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_STR(slurp(path("reuse/same.html")), "SAME");
        T_INT(d.n, 0);
        T_STR(listing(site), ".verbatim-output same.html");
        unlink(path("outside.html"));
        unlink(path("elsewhere/x.html"));
        rmdir(path("elsewhere"));
        free(site);
        vb_diags_release(&d);
}

static void test_outdir_reuse(void)
{
        outdir_reuse(0);
}

static void test_outdir_reuse_by_name(void)
{
        outdir_reuse(1);
}

/* Writes `parts` (NULL-terminated) as one file in pieces. */
static int write_pieces(struct vb_outdir *o, const char *rel, const char *const *parts,
                        struct vb_diags *d)
{
        struct vb_outfile f;
        int rc = vb_outfile_open(&f, o, rel, d);
        if (rc != 0)
                return rc;
        for (size_t i = 0; parts[i]; i++)
                vb_outfile_write(&f, parts[i], strlen(parts[i]), d);
        return vb_outfile_close(&f, d);
}

static void test_outfile(void)
{
        static const char *const abc[] = {"a", "", "bc", NULL}, *const ab[] = {"ab", NULL},
                                 *const abcd[] = {"abc", "d", NULL},
                                 *const abd[] = {"a", "bd", NULL};
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_outdir o = VB_OUTDIR_INIT;
        struct vb_outfile f;
        char *site = strdup(path("pieces"));

        T_INT(vb_outdir_begin(&o, site, &d), 0);
        T_INT(write_pieces(&o, "same.html", abc, &d), 0);
        T_INT(write_pieces(&o, "deep/er/same.html", abc, &d), 0);
        T_INT(write_pieces(&o, "shrunk.html", abc, &d), 0);
        T_INT(write_pieces(&o, "grown.html", abc, &d), 0);
        T_INT(write_pieces(&o, "changed.html", abc, &d), 0);
        T_INT(write_pieces(&o, "plain.html", abc, &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_STR(slurp(path("pieces/same.html")), "abc");
        T_STR(slurp(path("pieces/deep/er/same.html")), "abc");
        ino_t same = inode(path("pieces/same.html")),
              deep = inode(path("pieces/deep/er/same.html")),
              shrunk = inode(path("pieces/shrunk.html")), grown = inode(path("pieces/grown.html")),
              changed = inode(path("pieces/changed.html")),
              plain = inode(path("pieces/plain.html"));

        /* a rerun: the same bytes in other pieces are the same file; a file
         * that only starts or only ends the same is written anew */
        static const char *const abc2[] = {"ab", "c", NULL};
        T_INT(vb_outdir_begin(&o, site, &d), 0);
        T_INT(write_pieces(&o, "same.html", abc2, &d), 0);
        T_INT(write_pieces(&o, "deep/er/same.html", abc, &d), 0);
        T_INT(write_pieces(&o, "shrunk.html", ab, &d), 0);
        T_INT(write_pieces(&o, "grown.html", abcd, &d), 0);
        T_INT(write_pieces(&o, "changed.html", abd, &d), 0);
        T_INT(vb_outdir_write(&o, "plain.html", "abc", 3, &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_INT(d.n, 0);
        T_TRUE(same != 0 && inode(path("pieces/same.html")) == same);
        T_TRUE(deep != 0 && inode(path("pieces/deep/er/same.html")) == deep);
        T_TRUE(inode(path("pieces/plain.html")) == plain);
        T_TRUE(inode(path("pieces/shrunk.html")) != shrunk);
        T_TRUE(inode(path("pieces/grown.html")) != grown);
        T_TRUE(inode(path("pieces/changed.html")) != changed);
        T_STR(slurp(path("pieces/same.html")), "abc");
        T_STR(slurp(path("pieces/shrunk.html")), "ab");
        T_STR(slurp(path("pieces/grown.html")), "abcd");
        T_STR(slurp(path("pieces/changed.html")), "abd");
        T_STR(listing(site), ".verbatim-output changed.html deep grown.html plain.html "
                             "same.html shrunk.html");

        /* refused like vb_outdir_write; nothing to close */
        T_INT(vb_outdir_begin(&o, site, &d), 0);
        T_INT(vb_outfile_open(&f, &o, "../escape.html", &d), VB_ERR);
        T_INT(d.n, 1);
        T_STR(d.v[0].rule, "unsafe-path");
        vb_outdir_abort(&o);
        T_STR(slurp(path("escape.html")), "(missing)");
        T_STR(slurp(path("pieces/same.html")), "abc");
        rm_rf(site);
        free(site);
        vb_diags_release(&d);
}

/* A file that cannot be written whole (here: over the file size limit)
 * fails with `write-failed` and leaves nothing behind, written whole or in pieces. */
static void test_write_failures(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_outdir o = VB_OUTDIR_INIT;
        struct vb_outfile f;
        struct rlimit was, small;
        char *site = strdup(path("failing"));
        T_INT(getrlimit(RLIMIT_FSIZE, &was), 0);
        small = was;
        small.rlim_cur = 8;
        signal(SIGXFSZ, SIG_IGN);
        T_INT(vb_outdir_begin(&o, site, &d), 0); /* its marker file is empty */
        T_INT(setrlimit(RLIMIT_FSIZE, &small), 0);
        T_INT(vb_outdir_write(&o, "whole.html", "0123456789abcdef", 16, &d), VB_ERR_IO);
        T_INT(vb_outfile_open(&f, &o, "pieces.html", &d), 0);
        vb_outfile_write(&f, "01234", 5, &d);
        vb_outfile_write(&f, "56789abcdef", 11, &d);
        vb_outfile_write(&f, "more", 4, &d); /* after the failure: nothing more */
        T_INT(vb_outfile_close(&f, &d), VB_ERR_IO);
        T_INT(setrlimit(RLIMIT_FSIZE, &was), 0);
        signal(SIGXFSZ, SIG_DFL);
        T_INT(d.n, 2);
        T_STR(d.n == 2 ? d.v[0].rule : "", "write-failed");
        T_STR(d.n == 2 ? d.v[1].rule : "", "write-failed");
        T_TRUE(d.n == 2 && strstr(d.v[1].path, "pieces.html") != NULL);
        T_STR(listing(o.tmp_dir), ".verbatim-output");
        vb_outdir_abort(&o);
        T_STR(slurp(path("failing/pieces.html")), "(missing)");
        free(site);
        vb_diags_release(&d);
}

static void test_outdir_refusals(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_outdir o = VB_OUTDIR_INIT;

        /* somebody's folder: never replaced */
        T_INT(mkdir(path("home"), 0755), 0);
        spit(path("home/precious.txt"), "keep me");
        T_INT(vb_outdir_begin(&o, path("home"), &d), VB_ERR_EXISTS);
        T_INT(d.n, 1);
        T_STR(d.v[0].rule, "output-refused");
        T_STR(d.v[0].message, "the output folder is not empty and was not made by verbatim (it has "
                              "no .verbatim-output file), so it will not be replaced; choose a new "
                              "or empty folder");
        T_STR(slurp(path("home/precious.txt")), "keep me");
        T_TRUE(o.tmp_dir == NULL);

        /* a file in the way */
        spit(path("file"), "data");
        T_INT(vb_outdir_begin(&o, path("file"), &d), VB_ERR_EXISTS);
        T_INT(d.n, 2);
        T_STR(d.v[1].message, "the output exists and is a file, not a folder; remove it or choose "
                              "another output folder");
        T_STR(slurp(path("file")), "data");
        T_INT(vb_outdir_begin(&o, "/", &d), VB_ERR_EXISTS);
        T_INT(d.n, 3);

        /* a folder turning into somebody's between begin and commit */
        T_INT(vb_outdir_begin(&o, path("late"), &d), 0);
        T_INT(mkdir(path("late"), 0755), 0);
        spit(path("late/mine.txt"), "mine");
        T_INT(vb_outdir_commit(&o, &d), VB_ERR_EXISTS);
        T_STR(slurp(path("late/mine.txt")), "mine");
        T_STR(listing(root), "empty file home late reuse site");

        /* paths that would leave the output */
        static const char *const bad[] = {"",   "/etc/passwd", "../x", "a/../../x", "a//b",  "./a",
                                          "a/", "a\\b",        "..",   ".",         "a/./b", "/"};
        T_INT(vb_outdir_begin(&o, path("out"), &d), 0);
        size_t before = d.n;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                if (vb_outdir_write(&o, bad[i], "x", 1, &d) != VB_ERR)
                        T_FAIL("vb_outdir_write accepted \"%s\"", bad[i]);
        T_INT(d.n - before, sizeof(bad) / sizeof(bad[0]));
        T_STR(d.v[before].rule, "unsafe-path");
        T_INT(vb_outdir_write(&o, "..a/b..c/.d", "ok", 2, &d), 0);
        T_INT(vb_outdir_commit(&o, &d), 0);
        T_STR(slurp(path("out/..a/b..c/.d")), "ok");
        vb_diags_release(&d);
}

static const char *safe(const char *id)
{
        static struct vb_buf b = VB_BUF_INIT;
        vb_buf_reset(&b);
        vb_safe_name(&b, id);
        return b.ptr;
}

static void test_safe_name(void)
{
        T_STR(safe(".."), "b37a252a");
        T_STR(safe("a/b"), "a-b-e2480c78");
        T_STR(safe(""), "4fd0bfc1");
        T_STR(safe("\xC3\x84\xC3\x96"), "87893f79");
        T_STR(safe("a b"), "a-b-e2bca18b");
        T_STR(safe("A"), "a-2961dea0");
        T_STR(safe("a"), "a-296230c0");
        T_STR(safe("2026-11-03 Jane/../Doe"), "2026-11-03-jane-doe-8627fcd7");
        T_STR(safe("-._-Hello--World_!"), "_-hello-world_-9b5c2e49");
        T_STR(
            safe(
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                "xxxxxxxxxxxxxxxxxx"),
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-e96d8e49");
        /* only [a-z0-9_-], never a leading '.' or '-' */
        const char *s = safe("\x01\x7f\xff/..\\ :*?\"<>|");
        T_INT(strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-"), strlen(s));
        T_TRUE(s[0] != '-' && s[0] != '.');
        T_INT(strlen(s), 8);
}

/* 1 when `dir` holds an entry whose name starts with `prefix`. */
static int has_entry(const char *dir, const char *prefix)
{
        DIR *d = opendir(dir);
        const struct dirent *e;
        int found = 0;
        while (d && !found && (e = readdir(d)))
                found = !strncmp(e->d_name, prefix, strlen(prefix));
        if (d)
                closedir(d);
        return found;
}

/* The replaced output is removed by a detached process that keeps none of
 * the caller's descriptors: a reader of the caller's output (a pipe, as in
 * `verbatim report | tee log` or a CI runner) sees its end when the caller
 * is done, not once the old output's 20,000 files are gone. */
static void test_detached_removal(void)
{
        struct vb_outdir o = VB_OUTDIR_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        char rel[32];
        int fds[2];
        T_INT(vb_outdir_begin(&o, path("detached"), &d), VB_OK);
        for (int i = 0; i < 20000; i++) {
                snprintf(rel, sizeof(rel), "p/%05d.html", i);
                vb_outdir_write(&o, rel, rel, strlen(rel), &d);
        }
        T_INT(vb_outdir_commit(&o, &d), VB_OK);
        T_INT(vb_outdir_begin(&o, path("detached"), &d), VB_OK);
        T_INT(vb_outdir_write(&o, "index.html", "new", 3, &d), VB_OK);
        T_INT(pipe(fds), 0);
        fflush(stdout);
        int saved = dup(1);
        dup2(fds[1], 1);
        close(fds[1]);
        int rc = vb_outdir_commit_detached(&o, &d);
        dup2(saved, 1); /* from here only a remover would hold the pipe open */
        close(saved);
        T_INT(rc, VB_OK);
        char c;
        T_INT(read(fds[0], &c, 1), 0);
        close(fds[0]);
        T_TRUE(has_entry(root, ".detached.old-")); /* still being removed */
        T_STR(slurp(path("detached/index.html")), "new");
        for (int i = 0; i < 600 && has_entry(root, ".detached.old-"); i++)
                usleep(50000);
        T_TRUE(!has_entry(root, ".detached.old-"));
        T_INT(d.n, 0);
        vb_diags_release(&d);
}

/* What killed runs left: temporary folders of a report and temporary files
 * of an atomic write.  The next run removes those nobody holds (the lock of
 * a live run is held here, as that run would) and only those of its own
 * shape: the right name, owned by us, a folder with the marker or empty. */
static void test_stale_temporaries(void)
{
        struct vb_outdir o = VB_OUTDIR_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        T_INT(mkdir(path("stale"), 0755), 0);
        /* a killed report: the marker and pages */
        T_INT(mkdir(path("stale/.site.tmp-Ab12Cd"), 0700), 0);
        spit(path("stale/.site.tmp-Ab12Cd/" VB_OUTPUT_MARKER), "made by verbatim\n");
        T_INT(mkdir(path("stale/.site.tmp-Ab12Cd/notes"), 0755), 0);
        spit(path("stale/.site.tmp-Ab12Cd/notes/a.html"), "<p>a</p>");
        /* killed right after mkdtemp: empty */
        T_INT(mkdir(path("stale/.site.tmp-Ef34Gh"), 0700), 0);
        /* a live run: its lock is held */
        T_INT(mkdir(path("stale/.site.tmp-Live01"), 0700), 0);
        spit(path("stale/.site.tmp-Live01/" VB_OUTPUT_MARKER), "made by verbatim\n");
        int live = open(path("stale/.site.tmp-Live01"), O_RDONLY | O_DIRECTORY);
        T_INT(flock(live, LOCK_EX | LOCK_NB), 0);
        /* not ours: no marker and not empty, another output's, another shape */
        T_INT(mkdir(path("stale/.site.tmp-NoMark"), 0700), 0);
        spit(path("stale/.site.tmp-NoMark/keep.txt"), "keep");
        T_INT(mkdir(path("stale/.other.tmp-Ij56Kl"), 0700), 0);
        T_INT(mkdir(path("stale/.site.tmp-toolong1"), 0700), 0);
        T_INT(mkdir(path("stale/.site.tmp-Fi1e01"), 0700), 0);
        /* temporary files of an atomic write of "idx": one stale, one held */
        spit(path("stale/.idx.tmp-Mn78Op"), "half an index");
        spit(path("stale/.idx.tmp-Live02"), "being written");
        int live_file = open(path("stale/.idx.tmp-Live02"), O_RDONLY);
        T_INT(flock(live_file, LOCK_EX | LOCK_NB), 0);
        T_STR(listing(path("stale")),
              ".idx.tmp-Live02 .idx.tmp-Mn78Op .other.tmp-Ij56Kl .site.tmp-Ab12Cd .site.tmp-Ef34Gh "
              ".site.tmp-Fi1e01 .site.tmp-Live01 .site.tmp-NoMark .site.tmp-toolong1");
        rmdir(path("stale/.site.tmp-Fi1e01"));
        spit(path("stale/.site.tmp-Fi1e01"), "a stale temporary file of a write of site");

        /* a report run: its own folder, then the stale ones go (in the background) */
        T_INT(vb_outdir_begin(&o, path("stale/site"), &d), VB_OK);
        T_INT(vb_outdir_write(&o, "index.html", "new", 3, &d), VB_OK);
        T_INT(vb_outdir_commit(&o, &d), VB_OK);
        for (int i = 0; i < 600 && (has_entry(path("stale"), ".site.tmp-Ab12Cd") ||
                                    has_entry(path("stale"), ".site.tmp-Ef34Gh"));
             i++)
                usleep(50000);
        T_STR(listing(path("stale")),
              ".idx.tmp-Live02 .idx.tmp-Mn78Op .other.tmp-Ij56Kl .site.tmp-Live01 "
              ".site.tmp-NoMark .site.tmp-toolong1 site");
        T_STR(slurp(path("stale/site/index.html")), "new");

        /* an atomic write of idx: the stale temporary file goes, the held one stays */
        T_INT(vb_write_file_atomic(path("stale/idx"), "index", 5, &d), VB_OK);
        T_STR(listing(path("stale")),
              ".idx.tmp-Live02 .other.tmp-Ij56Kl .site.tmp-Live01 .site.tmp-NoMark "
              ".site.tmp-toolong1 idx site");
        T_STR(slurp(path("stale/.idx.tmp-Live02")), "being written");

        /* once the live runs are gone, their leftovers go too */
        close(live);
        close(live_file);
        T_INT(vb_write_file_atomic(path("stale/idx"), "index 2", 7, &d), VB_OK);
        T_INT(vb_outdir_begin(&o, path("stale/site"), &d), VB_OK);
        vb_outdir_abort(&o);
        for (int i = 0; i < 600 && has_entry(path("stale"), ".site.tmp-Live01"); i++)
                usleep(50000);
        T_STR(listing(path("stale")),
              ".other.tmp-Ij56Kl .site.tmp-NoMark .site.tmp-toolong1 idx site");
        T_STR(slurp(path("stale/.site.tmp-NoMark/keep.txt")), "keep");
        T_INT(d.n, 0);
        vb_diags_release(&d);
}

int main(void)
{
        if (!mkdtemp(root)) {
                printf("not ok - mkdtemp\n");
                return 1;
        }
        T_RUN(test_write_atomic);
        T_RUN(test_outdir);
        T_RUN(test_outdir_reuse);
        T_RUN(test_outdir_reuse_by_name);
        T_RUN(test_outfile);
        T_RUN(test_write_failures);
        T_RUN(test_outdir_refusals);
        T_RUN(test_safe_name);
        T_RUN(test_detached_removal);
        T_RUN(test_stale_temporaries);
        rm_rf(root);
        T_END();
}
