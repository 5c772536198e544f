/* The history cache file: a whole write read back, appended segments, a
 * rewritten history (commits truncated), a torn or damaged end, a file
 * changed by another run, the rewrite past the segment limit. */
#include "t.h"
#include "verbatim/buf.h"

#include "../../src/history_data.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_top[] = "/tmp/vb-hcache-XXXXXX";
static char path[256];
static const char *key = "themes-key=tags\nnotes=calls\n";

static long file_size(void)
{
        struct stat st;
        return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Adds one commit with `nchanges` new notes (new strings, blobs, tags). */
static void add_commit(struct vb_history_data *h, unsigned seed, size_t nchanges)
{
        struct vb_buf s = VB_BUF_INIT;
        struct vb_hcommit c = {0};
        c.oid[0] = (unsigned char)seed;
        c.oid[1] = (unsigned char)(seed >> 8);
        c.oid[19] = 0xc0;
        c.time = 1767600000 + (int64_t)seed * 3600;
        c.offset = 120;
        vb_buf_addf(&s, "commit %u", seed);
        c.subject = vb_strtab_intern(&h->str, s.ptr, s.len);
        c.author = vb_strtab_intern(&h->str, "Pat", 3);
        c.nparents = seed ? 1 : 0;
        c.vocab_changed = seed % 3 == 0;
        c.vocab_oid[5] = (unsigned char)seed;
        c.change_first = h->nchanges;
        c.nchanges = nchanges;
        for (size_t i = 0; i < nchanges; i++) {
                unsigned char oid[20] = {0};
                oid[0] = (unsigned char)seed;
                oid[1] = (unsigned char)(seed >> 8);
                oid[2] = (unsigned char)i;
                oid[3] = (unsigned char)(i >> 8);
                size_t b = vb_hdata_blob(h, oid);
                struct vb_hblob *x = &h->blobs[b];
                vb_buf_truncate(&s, 0);
                vb_buf_addf(&s, "calls/%u-%zu.md", seed, i);
                uint32_t p = vb_strtab_intern(&h->str, s.ptr, s.len);
                x->days = 20460 + (int32_t)seed;
                x->conversation = 1;
                x->errors = i % 2;
                x->parsed = 1;
                x->customer = vb_strtab_intern(&h->str, "C-1", 3);
                h->tagpool =
                    vb_grow_array(h->tagpool, &h->captagpool, h->ntagpool + 3, sizeof(*h->tagpool));
                x->tag_first = (uint32_t)h->ntagpool;
                x->ntags = 2;
                h->tagpool[h->ntagpool++] = vb_strtab_intern(&h->str, "price", 5);
                vb_buf_truncate(&s, 0);
                vb_buf_addf(&s, "tag-%u", seed % 5);
                h->tagpool[h->ntagpool++] = vb_strtab_intern(&h->str, s.ptr, s.len);
                h->changes =
                    vb_grow_array(h->changes, &h->capchanges, h->nchanges + 1, sizeof(*h->changes));
                h->changes[h->nchanges++] = (struct vb_hchange){0, p, 0, (uint32_t)b + 1};
        }
        h->commits =
            vb_grow_array(h->commits, &h->capcommits, h->ncommits + 1, sizeof(*h->commits));
        h->commits[h->ncommits++] = c;
        vb_buf_release(&s);
}

/* 1 when `a` and `b` hold the same records. */
static int same(const struct vb_history_data *a, const struct vb_history_data *b)
{
        if (a->str.n != b->str.n || a->nblobs != b->nblobs || a->ntagpool != b->ntagpool ||
            a->ncommits != b->ncommits || a->nchanges != b->nchanges)
                return 0;
        for (size_t i = 1; i < a->str.n; i++)
                if (strcmp(a->str.v[i], b->str.v[i]))
                        return 0;
        for (size_t i = 0; i < a->nblobs; i++) {
                const struct vb_hblob *x = &a->blobs[i], *y = &b->blobs[i];
                if (memcmp(x->oid, y->oid, 20) || x->days != y->days ||
                    x->conversation != y->conversation || x->errors != y->errors ||
                    x->parsed != y->parsed || x->customer != y->customer ||
                    x->tag_first != y->tag_first || x->ntags != y->ntags)
                        return 0;
        }
        if (a->ntagpool && memcmp(a->tagpool, b->tagpool, a->ntagpool * sizeof(*a->tagpool)))
                return 0;
        for (size_t i = 0; i < a->ncommits; i++) {
                const struct vb_hcommit *x = &a->commits[i], *y = &b->commits[i];
                if (memcmp(x->oid, y->oid, 20) || x->time != y->time || x->offset != y->offset ||
                    x->subject != y->subject || x->author != y->author ||
                    x->nparents != y->nparents || x->vocab_changed != y->vocab_changed ||
                    memcmp(x->vocab_oid, y->vocab_oid, 20) || x->change_first != y->change_first ||
                    x->nchanges != y->nchanges)
                        return 0;
        }
        for (size_t i = 0; i < a->nchanges; i++)
                if (memcmp(&a->changes[i], &b->changes[i], sizeof(a->changes[i])))
                        return 0;
        return 1;
}

/* Reads the cache into `h` (released first); the reader's status. */
static int reread(struct vb_history_data *h)
{
        vb_hdata_release(h);
        return vb_hcache_read(h, path, key);
}

static void test_whole_and_append(void)
{
        struct vb_history_data want = {0}, h = {0};
        struct vb_diags d = VB_DIAGS_INIT;
        unlink(path);
        for (unsigned i = 0; i < 20; i++)
                add_commit(&want, i, 1 + i % 4);
        T_INT(vb_hcache_read(&h, path, key), -1);
        T_INT(vb_hcache_write(&want, path, key, &d), 1);
        T_INT(reread(&h), 0);
        T_TRUE(same(&h, &want));
        T_INT(h.cache.nsegments, 1);
        T_INT(h.cache.valid_len, file_size());
        /* read strings point into the mapped file, new ones are allocated */
        T_INT(h.str.nborrowed, h.str.n - 1);

        /* nothing new: nothing written */
        long size = file_size();
        T_INT(vb_hcache_write(&h, path, key, &d), 0);
        T_INT(file_size(), size);

        /* appends: one segment each, only the new records */
        for (unsigned round = 0; round < 3; round++) {
                add_commit(&h, 100 + round, 2);
                add_commit(&want, 100 + round, 2);
                T_INT(vb_hcache_write(&h, path, key, &d), 1);
                T_TRUE(file_size() > size && file_size() < size + 600);
                size = file_size();
                T_INT(reread(&h), 0);
                T_TRUE(same(&h, &want));
                T_INT(h.cache.nsegments, 2 + round);
        }
        /* the wrong key: unusable */
        vb_hdata_release(&h);
        T_INT(vb_hcache_read(&h, path, "themes-key=other\n"), -1);
        T_INT(h.nblobs, 0);
        T_INT(d.n, 0);
        vb_hdata_release(&h);
        vb_hdata_release(&want);
        vb_diags_release(&d);
}

static void test_truncated_history(void)
{
        struct vb_history_data want = {0}, h = {0};
        struct vb_diags d = VB_DIAGS_INIT;
        unlink(path);
        for (unsigned i = 0; i < 30; i++)
                add_commit(&want, i, 2);
        T_INT(vb_hcache_write(&want, path, key, &d), 1);
        T_INT(reread(&h), 0);
        /* two commits dropped (reset --hard HEAD~2), a new one on top */
        vb_hdata_truncate(&h, 28);
        T_INT(h.cache.kept_commits, 28);
        add_commit(&h, 500, 3);
        vb_hdata_truncate(&want, 28);
        add_commit(&want, 500, 3);
        T_INT(vb_hcache_write(&h, path, key, &d), 1);
        T_INT(reread(&h), 0);
        T_INT(h.cache.nsegments, 2);
        T_INT(h.ncommits, 29);
        T_TRUE(same(&h, &want));
        /* dropped only: an empty segment that truncates */
        vb_hdata_truncate(&h, 10);
        vb_hdata_truncate(&want, 10);
        T_INT(vb_hcache_write(&h, path, key, &d), 1);
        T_INT(reread(&h), 0);
        T_INT(h.cache.nsegments, 3);
        T_INT(h.ncommits, 10);
        T_TRUE(same(&h, &want));
        vb_hdata_release(&h);
        vb_hdata_release(&want);
        vb_diags_release(&d);
}

static void test_damaged_end(void)
{
        struct vb_history_data first = {0}, want = {0}, h = {0};
        struct vb_diags d = VB_DIAGS_INIT;
        unlink(path);
        for (unsigned i = 0; i < 10; i++) {
                add_commit(&first, i, 2);
                add_commit(&want, i, 2);
        }
        T_INT(vb_hcache_write(&first, path, key, &d), 1);
        long base = file_size();
        T_INT(reread(&h), 0);
        add_commit(&h, 77, 2);
        add_commit(&want, 77, 2);
        T_INT(vb_hcache_write(&h, path, key, &d), 1);
        long whole = file_size();

        /* torn: the last segment is ignored, the next append overwrites it */
        T_INT(truncate(path, whole - 3), 0);
        T_INT(reread(&h), 1);
        T_INT(h.cache.damaged_tail, 1);
        T_INT(h.cache.valid_len, base);
        T_TRUE(same(&h, &first));
        add_commit(&h, 77, 2);
        T_INT(vb_hcache_write(&h, path, key, &d), 1);
        T_INT(file_size(), whole);
        T_INT(reread(&h), 0);
        T_TRUE(same(&h, &want));

        /* a flipped byte in the last segment: its checksum fails */
        FILE *f = fopen(path, "r+b");
        T_TRUE(f != NULL);
        if (f) {
                fseek(f, whole - 10, SEEK_SET);
                int c = fgetc(f);
                fseek(f, whole - 10, SEEK_SET);
                fputc(c ^ 0x20, f);
                fclose(f);
        }
        T_INT(reread(&h), 1);
        T_TRUE(same(&h, &first));
        /* nothing new but the damaged end: repaired (cut) */
        T_INT(vb_hcache_write(&h, path, key, &d), 1);
        T_INT(file_size(), base);
        T_INT(reread(&h), 0);
        T_TRUE(same(&h, &first));

        /* garbage after the last segment is cut by the next append */
        f = fopen(path, "ab");
        T_TRUE(f != NULL);
        if (f) {
                fputs("garbage garbage garbage", f);
                fclose(f);
        }
        T_INT(reread(&h), 1);
        add_commit(&h, 77, 2);
        T_INT(vb_hcache_write(&h, path, key, &d), 1);
        T_INT(file_size(), whole);
        T_INT(reread(&h), 0);
        T_TRUE(same(&h, &want));

        /* a damaged first segment: nothing usable */
        f = fopen(path, "r+b");
        if (f) {
                fseek(f, 200, SEEK_SET);
                fputc(0xff, f);
                fclose(f);
        }
        T_INT(reread(&h), -1);
        T_INT(h.ncommits, 0);
        vb_hdata_release(&h);
        vb_hdata_release(&first);
        vb_hdata_release(&want);
        vb_diags_release(&d);
}

static void test_concurrent(void)
{
        struct vb_history_data a = {0}, b = {0}, want = {0};
        struct vb_diags d = VB_DIAGS_INIT;
        unlink(path);
        for (unsigned i = 0; i < 10; i++)
                add_commit(&want, i, 2);
        T_INT(vb_hcache_write(&want, path, key, &d), 1);
        /* two runs read the same file; the first to write appends, the
         * other finds the file grown and writes nothing */
        T_INT(vb_hcache_read(&a, path, key), 0);
        T_INT(vb_hcache_read(&b, path, key), 0);
        add_commit(&a, 50, 1);
        add_commit(&b, 50, 1);
        add_commit(&want, 50, 1);
        T_INT(vb_hcache_write(&a, path, key, &d), 1);
        long size = file_size();
        T_INT(vb_hcache_write(&b, path, key, &d), 0);
        T_INT(file_size(), size);
        T_INT(reread(&a), 0);
        T_TRUE(same(&a, &want));
        /* a file replaced (rewritten whole) since it was read is left alone */
        T_INT(reread(&b), 0);
        T_INT(vb_hcache_write(&want, path, key, &d), 1); /* `want` read nothing: whole */
        add_commit(&b, 51, 1);
        T_INT(vb_hcache_write(&b, path, key, &d), 0);
        T_INT(reread(&a), 0);
        T_TRUE(same(&a, &want));
        vb_hdata_release(&a);
        vb_hdata_release(&b);
        vb_hdata_release(&want);
        vb_diags_release(&d);
}

static void test_compaction(void)
{
        struct vb_history_data h = {0}, want = {0};
        struct vb_diags d = VB_DIAGS_INIT;
        unlink(path);
        for (unsigned i = 0; i < 200; i++)
                add_commit(&want, i, 3);
        T_INT(vb_hcache_write(&want, path, key, &d), 1);
        T_INT(reread(&h), 0);
        size_t most = 0;
        for (unsigned i = 0; i < 40; i++) {
                add_commit(&h, 1000 + i, 1);
                add_commit(&want, 1000 + i, 1);
                T_INT(vb_hcache_write(&h, path, key, &d), 1);
                T_INT(reread(&h), 0);
                T_TRUE(same(&h, &want));
                if (h.cache.nsegments > most)
                        most = h.cache.nsegments;
        }
        /* at most 32 segments: then one again */
        T_INT(most, 32);
        T_INT(h.cache.nsegments, 9); /* the 32nd append rewrote it */
        /* appends that outgrow the first segment: rewritten whole */
        add_commit(&h, 5000, 1500);
        add_commit(&want, 5000, 1500);
        T_INT(vb_hcache_write(&h, path, key, &d), 1);
        T_INT(reread(&h), 0);
        T_INT(h.cache.nsegments, 1);
        T_TRUE(same(&h, &want));
        vb_hdata_release(&h);
        vb_hdata_release(&want);
        vb_diags_release(&d);
}

int main(void)
{
        if (!mkdtemp(tmp_top))
                return 1;
        snprintf(path, sizeof(path), "%s/history.cache", tmp_top);
        T_RUN(test_whole_and_append);
        T_RUN(test_truncated_history);
        T_RUN(test_damaged_end);
        T_RUN(test_concurrent);
        T_RUN(test_compaction);
        unlink(path);
        rmdir(tmp_top);
        return t_failed ? 1 : 0;
}
