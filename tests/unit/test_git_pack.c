/* The hand-written pack reader (src/git_pack.c) against libgit2, object by
 * object: a repository whose history edits a large file, a small one and a
 * folder of files commit after commit, packed by git with long delta chains,
 * once with offset deltas (git's default) and once with deltas that name
 * their base by id (repack.useDeltaBaseOffset=false).  Every object of the
 * repository is read by both, in git's order and in reverse with a fresh
 * reader; type, size and bytes must be equal.  Objects the packs do not hold
 * (a loose object, an unknown id) are left to libgit2 (NULL). */
#include "t.h"
#include "verbatim/buf.h"

#include "../../src/history_data.h"

#include <git2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_top[] = "/tmp/vb-git-pack-XXXXXX";

/* Runs a shell command built like printf in `dir`; its status. */
static int sh(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sh(const char *dir, const char *fmt, ...)
{
        struct vb_buf cmd = VB_BUF_INIT;
        va_list ap;
        vb_buf_addf(&cmd, "cd '%s' && ", dir);
        va_start(ap, fmt);
        vb_buf_vaddf(&cmd, fmt, ap);
        va_end(ap);
        int rc = system(cmd.ptr);
        vb_buf_release(&cmd);
        return rc;
}

/* 100 commits: big.txt (3,000 lines; the edits fall in its first 300 lines
 * and its last, so that deltas copy the 64 KiB runs in between) and small.txt
 * get a few lines edited each time, d/ one of 60 files rewritten, so blobs
 * and trees are deltas of their neighbours. */
static int make_repo(const char *dir)
{
        return sh(dir,
                  "git init -q -b main . && mkdir d && seq -f 'line %%g of a long file' 1 3000 "
                  ">big.txt && seq -f 'short %%g' 1 40 >small.txt && i=1 && "
                  "while [ $i -le 100 ]; do "
                  "awk -v i=$i '(NR <= 300 && NR %% 31 == i %% 31) || NR == 3000 { print $0 "
                  "\" v\" i; next } { print }' big.txt >t && mv t big.txt && "
                  "awk -v i=$i 'NR == i %% 40 + 1 { print \"edit \" i; next } { print }' "
                  "small.txt >t && mv t small.txt && "
                  "printf 'file %%d, version %%d\\n' $((i %% 60)) $i >d/f$((i %% 60)).txt && "
                  "git add -A && GIT_AUTHOR_DATE=\"@$((1700000000 + i * 3600)) +0000\" "
                  "GIT_COMMITTER_DATE=\"@$((1700000000 + i * 3600)) +0000\" git -c user.name=T "
                  "-c user.email=t@example.com commit -q -m \"edit $i\" && i=$((i + 1)); done");
}

/* How many objects of the packs of `dir` are offset deltas (type 6) and
 * reference deltas (type 7), and the longest chain, from git verify-pack's
 * offsets and the type bits of each object's first byte. */
static void delta_counts(const char *dir, size_t *ofs, size_t *ref, size_t *depth)
{
        *ofs = *ref = *depth = 0;
        struct vb_buf cmd = VB_BUF_INIT;
        vb_buf_addf(&cmd,
                    "cd '%s' && for p in .git/objects/pack/*.pack; do git verify-pack -v "
                    "\"$p\" | awk -v p=\"$p\" 'NF == 7 { print p, $5, $6 }'; done",
                    dir);
        FILE *f = popen(cmd.ptr, "r");
        vb_buf_release(&cmd);
        if (!f)
                return;
        char pack[4096];
        unsigned long long off;
        size_t d;
        while (fscanf(f, "%4095s %llu %zu", pack, &off, &d) == 3) {
                struct vb_buf path = VB_BUF_INIT;
                vb_buf_addf(&path, "%s/%s", dir, pack);
                FILE *p = fopen(path.ptr, "rb");
                vb_buf_release(&path);
                int c = -1;
                if (p && fseek(p, (long)off, SEEK_SET) == 0)
                        c = fgetc(p);
                if (p)
                        fclose(p);
                if (c >= 0 && ((c >> 4) & 7) == 6)
                        (*ofs)++;
                if (c >= 0 && ((c >> 4) & 7) == 7)
                        (*ref)++;
                if (d > *depth)
                        *depth = d;
        }
        pclose(f);
}

struct oids {
        git_oid *v;
        size_t n, cap;
};

static int collect(const git_oid *id, void *payload)
{
        struct oids *l = payload;
        l->v = vb_grow_array(l->v, &l->cap, l->n + 1, sizeof(*l->v));
        l->v[l->n++] = *id;
        return 0;
}

/* Reads every object of `l` (in reverse when `reverse`) with a fresh reader
 * and with libgit2; the number that differ, and how many were compared. */
static size_t compare_all(git_odb *odb, const char *objects, const struct oids *l, int reverse,
                          size_t *compared)
{
        struct vb_hpack *hp = NULL;
        size_t bad = 0;
        *compared = 0;
        if (vb_hpack_open(&hp, objects) != 0 || !hp) {
                T_FAIL("vb_hpack_open(%s) failed", objects);
                return l->n;
        }
        for (size_t k = 0; k < l->n; k++) {
                const git_oid *id = &l->v[reverse ? l->n - 1 - k : k];
                char hex[GIT_OID_HEXSZ + 1];
                git_oid_tostr(hex, sizeof(hex), id);
                git_odb_object *want = NULL;
                if (git_odb_read(&want, odb, id) != 0) {
                        T_FAIL("libgit2 cannot read %s", hex);
                        bad++;
                        continue;
                }
                struct vb_hobj *got = vb_hpack_read(hp, id->id);
                size_t len = git_odb_object_size(want);
                if (!got) {
                        T_FAIL("%s: the pack reader found nothing", hex);
                        bad++;
                } else if (got->type != (int)git_odb_object_type(want) || got->len != len ||
                           memcmp(got->data, git_odb_object_data(want), len) != 0 ||
                           got->data[len] != 0) {
                        if (bad < 5)
                                T_FAIL("%s: type %d size %zu, libgit2 type %d size %zu", hex,
                                       got->type, got->len, (int)git_odb_object_type(want), len);
                        bad++;
                }
                if (got)
                        vb_hobj_release(got);
                git_odb_object_free(want);
                (*compared)++;
        }
        vb_hpack_free(hp);
        return bad;
}

/* `src` copied to `name`, packed with `config`, compared object by object. */
static void check_packed(const char *src, const char *name, const char *config, int want_ref)
{
        struct vb_buf dir = VB_BUF_INIT, objects = VB_BUF_INIT;
        vb_buf_addf(&dir, "%s/%s", tmp_top, name);
        vb_buf_addf(&objects, "%s/.git/objects", dir.ptr);
        T_INT(sh(tmp_top, "cp -a '%s' '%s'", src, dir.ptr), 0);
        T_INT(sh(dir.ptr,
                 "git %s repack -q -a -d -f --depth=50 --window=10 && "
                 "test -z \"$(find .git/objects -path '.git/objects/[0-9a-f][0-9a-f]/*')\"",
                 config),
              0);

        size_t ofs, ref, depth;
        delta_counts(dir.ptr, &ofs, &ref, &depth);
        /* the test means something only when the packs hold deltas, chains of
         * them, of the kind asked for */
        T_TRUE((want_ref ? ref : ofs) >= 100);
        T_INT(want_ref ? ofs : ref, 0);
        T_TRUE(depth >= 10);

        git_repository *repo = NULL;
        git_odb *odb = NULL;
        struct oids l = {0};
        T_INT(git_repository_open(&repo, dir.ptr), 0);
        if (repo)
                T_INT(git_repository_odb(&odb, repo), 0);
        if (odb)
                T_INT(git_odb_foreach(odb, collect, &l), 0);
        T_TRUE(l.n >= 600); /* 100 commits, 2 trees and 3 blobs each */
        size_t compared;
        if (odb) {
                T_INT(compare_all(odb, objects.ptr, &l, 0, &compared), 0);
                T_INT(compared, l.n);
                T_INT(compare_all(odb, objects.ptr, &l, 1, &compared), 0);
                T_INT(compared, l.n);
        }

        /* a loose object and an unknown id: not in any pack, left to libgit2 */
        struct vb_hpack *hp = NULL;
        git_oid loose;
        T_INT(git_odb_write(&loose, odb, "not packed\n", 11, GIT_OBJECT_BLOB), 0);
        T_INT(vb_hpack_open(&hp, objects.ptr), 0);
        if (hp) {
                unsigned char none[20] = {0};
                T_TRUE(vb_hpack_read(hp, loose.id) == NULL);
                T_TRUE(vb_hpack_read(hp, none) == NULL);
                vb_hpack_free(hp);
        }

        free(l.v);
        git_odb_free(odb);
        git_repository_free(repo);
        vb_buf_release(&dir);
        vb_buf_release(&objects);
}

static char *origin;

static void test_offset_deltas(void)
{
        check_packed(origin, "ofs", "", 0);
}

static void test_reference_deltas(void)
{
        check_packed(origin, "ref", "-c repack.useDeltaBaseOffset=false", 1);
}

/* No pack folder at all: a reader with nothing in it, every read NULL. */
static void test_no_packs(void)
{
        struct vb_hpack *hp = NULL;
        struct vb_buf objects = VB_BUF_INIT;
        vb_buf_addf(&objects, "%s/none", tmp_top);
        T_INT(vb_hpack_open(&hp, objects.ptr), 0);
        T_TRUE(hp != NULL);
        if (hp) {
                unsigned char id[20] = {1};
                T_TRUE(vb_hpack_read(hp, id) == NULL);
                vb_hpack_free(hp);
        }
        vb_buf_release(&objects);
}

int main(void)
{
        if (!mkdtemp(tmp_top)) {
                printf("not ok - mkdtemp\n");
                return 1;
        }
        git_libgit2_init();
        struct vb_buf dir = VB_BUF_INIT;
        vb_buf_addf(&dir, "%s/origin", tmp_top);
        origin = dir.ptr;
        if (sh(tmp_top, "mkdir origin") != 0 || make_repo(origin) != 0) {
                printf("not ok - making the repository\n");
                return 1;
        }
        T_RUN(test_offset_deltas);
        T_RUN(test_reference_deltas);
        T_RUN(test_no_packs);
        git_libgit2_shutdown();
        vb_buf_release(&dir);
        sh("/", "rm -rf '%s'", tmp_top);
        T_END();
}
