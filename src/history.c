/* History: the entry point (a revision's main line walked, cached, replayed;
 * see history.h) and one note's changes over the commits.  The walk is in
 * history_walk.c, the replay and the result in history_replay.c, what they
 * share in history_int.h. */
#include "git.h"
#include "history_int.h"
#include "verbatim/kb.h"
#include "verbatim/note.h"
#include "verbatim/source.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the entry point ---- */

static void normalize_dir(struct vb_buf *out, const char *dir)
{
        while (!strncmp(dir, "./", 2))
                dir += 2;
        vb_buf_adds(out, *dir ? dir : ".");
        while (out->len > 1 && out->ptr[out->len - 1] == '/')
                vb_buf_truncate(out, out->len - 1);
}

int vb_history_load(struct vb_history **out, const char *path, const struct vb_history_options *opt,
                    struct vb_diags *d)
{
        static const struct vb_history_options defaults = {0};
        struct vb_source *src = NULL;
        struct vb_history *res = NULL;
        struct vb_history_data *h = vb_calloc(1, sizeof(*h));
        struct vb_vocab *newest = NULL, *check_vocab = NULL;
        git_object *obj = NULL;
        git_commit *head = NULL;
        struct vb_buf buf = VB_BUF_INIT, key = VB_BUF_INIT, cache_path = VB_BUF_INIT;
        struct walk w = {.path = VB_BUF_INIT};
        struct replay r = {0};
        int rc, boundary = 0;
        size_t processed = 0;

        *out = NULL;
        if (!opt)
                opt = &defaults;
        const char *rev = opt->rev ? opt->rev : "HEAD";
        rc = vb_source_open_rev(&src, path, rev, d);
        if (rc < 0)
                goto done;
        git_repository *repo = vb_source_repository(src);
        if (git_revparse_single(&obj, repo, rev) < 0 ||
            git_object_peel((git_object **)&head, obj, GIT_OBJECT_COMMIT) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "bad-revision",
                             "'%s' names no commit (%s); give a branch, tag or commit", rev,
                             vb_hist_git_errtext());
                rc = VB_ERR;
                goto done;
        }
        if (vb_source_read(src, "verbatim.yml", &buf, d) == VB_OK)
                vb_vocab_load(&newest, "verbatim.yml", buf.ptr, buf.len, d);
        if (!newest)
                newest = vb_vocab_default();

        /* what the cached data depends on */
        vb_buf_addf(&key, "themes-key=%s\n", newest->themes_key ? newest->themes_key : "tags");
        w.repo = repo;
        if (git_repository_odb(&w.odb, repo) < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "unreadable",
                             "cannot open the object database (%s)", vb_hist_git_errtext());
                rc = VB_ERR_IO;
                goto done;
        }
        w.h = h;
        w.dirs = vb_calloc(newest->nnotes + 2, sizeof(*w.dirs));
        for (size_t i = 0; i < newest->nnotes; i++) {
                struct vb_buf n = VB_BUF_INIT;
                normalize_dir(&n, newest->notes[i]);
                vb_buf_addf(&key, "notes=%s\n", n.ptr);
                w.dirs[w.ndirs++] = vb_buf_detach(&n, NULL);
        }
        if (!w.ndirs)
                w.dirs[w.ndirs++] = vb_strdup(".");

        vb_buf_adds(&cache_path, git_repository_commondir(repo));
        if (cache_path.len && cache_path.ptr[cache_path.len - 1] != '/')
                vb_buf_addc(&cache_path, '/');
        vb_buf_adds(&cache_path, "verbatim/history.cache");
        res = vb_calloc(1, sizeof(*res));
        if (!opt->no_cache) {
                int read = vb_hcache_read(h, cache_path.ptr, key.ptr);
                res->stats.cache_read = read >= 0;
                if (read < 0 && access(cache_path.ptr, F_OK) == 0)
                        vb_diags_add(d, cache_path.ptr, 0, 0, VB_SEV_NOTE, "cache",
                                     "the history cache is stale or damaged; rebuilding it");
                else if (read > 0)
                        vb_diags_add(d, cache_path.ptr, 0, 0, VB_SEV_NOTE, "cache",
                                     "the end of the history cache is damaged (an interrupted "
                                     "run?); repairing it");
        }
        /* git itself does not hash every object it reads, and libgit2's check
         * would cost a third of the run (each notes folder is a large tree) */
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        {
                struct vb_buf objects = VB_BUF_INIT;
                vb_buf_adds(&objects, git_repository_commondir(repo));
                if (objects.len && objects.ptr[objects.len - 1] != '/')
                        vb_buf_addc(&objects, '/');
                vb_buf_adds(&objects, "objects");
                vb_hpack_open(&w.pack, objects.ptr);
                vb_buf_release(&objects);
        }
        struct parse_queue q;
        struct note_check check = {NULL, vb_date_today()};
        if (opt->check_notes) {
                struct vb_diags ignored = VB_DIAGS_INIT;
                check_vocab = vb_kb_load_vocab(src, &ignored);
                check.vocab = check_vocab;
                vb_hcheck_key(h->clean_key, src);
                vb_diags_release(&ignored);
        }
        vb_hist_parse_init(&q, git_repository_path(repo), newest->themes_key, &check, w.pack,
                           opt->threads);
        rc = vb_hist_walk(&w, head, &q, &processed, &boundary, d);
        res->stats.blobs_parsed = vb_hist_parse_finish(&q, rc == VB_OK ? h : NULL);
        /* the trees and delta bases are no longer needed: freed before the
         * replay, not kept to the end */
        vb_hpack_free(w.pack);
        w.pack = NULL;
        vb_hist_release_held(w.held, &w.nheld);
        vb_hist_release_held(w.next, &w.nnext);
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
        if (rc < 0)
                goto done;
        res->stats.commits = h->ncommits;
        res->stats.commits_processed = processed;
        res->stats.blobs = h->nblobs;
        if (!opt->no_cache) {
                if (!res->stats.cache_read) {
                        struct vb_buf dir = VB_BUF_INIT;
                        vb_buf_add(&dir, cache_path.ptr, cache_path.len - strlen("/history.cache"));
                        mkdir(dir.ptr, 0777);
                        vb_buf_release(&dir);
                }
                struct vb_diags ignored = VB_DIAGS_INIT;
                /* writes nothing when nothing is new; a read-only repository
                 * still gets its history, uncached */
                res->stats.cache_written =
                    vb_hcache_write(h, cache_path.ptr, key.ptr, &ignored) > 0;
                vb_diags_release(&ignored);
        }

        r.h = h;
        r.newest = newest;
        r.arena = &res->arena;
        vb_hist_build_result(res, &r, opt, boundary, repo);
        res->data = h;
        h = NULL;
        *out = res;
        res = NULL;
        rc = VB_OK;
done:
        vb_hist_replay_release(&r);
        if (h)
                vb_hdata_release(h);
        free(h);
        if (res)
                vb_history_free(res);
        for (size_t i = 0; i < w.ndirs; i++)
                free(w.dirs[i]);
        free(w.dirs);
        vb_hist_release_held(w.held, &w.nheld);
        vb_hist_release_held(w.next, &w.nnext);
        free(w.held);
        vb_hpack_free(w.pack);
        if (src) /* else libgit2 may not even be loaded */
                git_odb_free(w.odb);
        free(w.next);
        free(w.del);
        free(w.add);
        vb_buf_release(&w.path);
        vb_vocab_free(newest);
        vb_vocab_free(check_vocab);
        if (src) {
                git_commit_free(head);
                git_object_free(obj);
        }
        vb_source_free(src);
        vb_buf_release(&buf);
        vb_buf_release(&key);
        vb_buf_release(&cache_path);
        return rc;
}

void vb_history_free(struct vb_history *h)
{
        if (!h)
                return;
        if (h->data) {
                vb_hdata_release(h->data);
                free(h->data);
        }
        vb_arena_release(&h->arena);
        free(h);
}

/* ---- one note ---- */

static int stem_is(const char *path, const char *id)
{
        struct vb_buf s = VB_BUF_INIT;
        vb_note_id_of(&s, path);
        int eq = !strcmp(s.ptr, id);
        vb_buf_release(&s);
        return eq;
}

static size_t resolved(const struct vb_history_data *h, uint32_t blob, const char ***out,
                       struct vb_arena *a)
{
        size_t n = 0;
        *out = NULL;
        if (!blob)
                return 0;
        const struct vb_hblob *b = &h->blobs[blob - 1];
        *out = vb_arena_alloc(a, (b->ntags + 1) * sizeof(**out));
        if (!b->conversation)
                return 0;
        for (uint32_t i = 0; i < b->ntags; i++) {
                uint32_t tag = h->tagpool[b->tag_first + i];
                int32_t t = h->tag_theme ? h->tag_theme[tag] : -1;
                if (t < 0)
                        continue;
                const char *key = h->theme_keys[t];
                size_t k = 0;
                while (k < n && strcmp((*out)[k], key))
                        k++;
                if (k == n)
                        (*out)[n++] = key;
        }
        return n;
}

static int has(const char **v, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (!strcmp(v[i], s))
                        return 1;
        return 0;
}

int vb_history_note(struct vb_note_history **out, const struct vb_history *hist, const char *id)
{
        const struct vb_history_data *h = hist->data;
        struct vb_note_history *nh = vb_calloc(1, sizeof(*nh));
        uint8_t *tracked = vb_calloc(h->str.n + 1, 1);
        size_t cap = 0;
        nh->id = vb_arena_strdup(&nh->arena, id);
        for (size_t i = 0; i < h->ncommits; i++) {
                const struct vb_hcommit *c = &h->commits[i];
                for (uint64_t k = 0; k < c->nchanges; k++) {
                        const struct vb_hchange *ch = &h->changes[c->change_first + k];
                        int old_t = ch->old_path && tracked[ch->old_path];
                        int new_t = ch->new_path && (old_t || stem_is(h->str.v[ch->new_path], id));
                        if (!old_t && !new_t)
                                continue;
                        struct vb_note_event e = {0};
                        e.commit = i;
                        if (old_t)
                                tracked[ch->old_path] = 0;
                        if (new_t)
                                tracked[ch->new_path] = 1;
                        if (!ch->new_path) {
                                e.kind = VB_NOTE_REMOVED;
                                e.path = h->str.v[ch->old_path];
                        } else if (!old_t) {
                                e.kind = VB_NOTE_ADDED;
                                e.path = h->str.v[ch->new_path];
                        } else if (ch->old_path != ch->new_path) {
                                e.kind = VB_NOTE_MOVED;
                                e.path = h->str.v[ch->new_path];
                                e.old_path = h->str.v[ch->old_path];
                        } else {
                                e.kind = VB_NOTE_EDITED;
                                e.path = h->str.v[ch->new_path];
                        }
                        e.content_changed = ch->old_blob != ch->new_blob || !old_t;
                        const char **before, **after;
                        size_t nb = resolved(h, old_t ? ch->old_blob : 0, &before, &nh->arena);
                        size_t na = resolved(h, ch->new_blob, &after, &nh->arena);
                        e.themes_added = vb_arena_alloc(&nh->arena, (na + 1) * sizeof(char *));
                        e.themes_removed = vb_arena_alloc(&nh->arena, (nb + 1) * sizeof(char *));
                        for (size_t x = 0; x < na; x++)
                                if (!has(before, nb, after[x]))
                                        e.themes_added[e.nthemes_added++] = after[x];
                        for (size_t x = 0; x < nb; x++)
                                if (!has(after, na, before[x]))
                                        e.themes_removed[e.nthemes_removed++] = before[x];
                        if (ch->new_blob) {
                                const struct vb_hblob *b = &h->blobs[ch->new_blob - 1];
                                e.tags =
                                    vb_arena_alloc(&nh->arena, (b->ntags + 1) * sizeof(char *));
                                for (uint32_t x = 0; x < b->ntags; x++)
                                        e.tags[e.ntags++] = h->str.v[h->tagpool[b->tag_first + x]];
                        }
                        nh->events =
                            vb_grow_array(nh->events, &cap, nh->nevents + 1, sizeof(*nh->events));
                        nh->events[nh->nevents++] = e;
                }
        }
        free(tracked);
        *out = nh;
        return VB_OK;
}

void vb_note_history_free(struct vb_note_history *nh)
{
        if (!nh)
                return;
        free(nh->events);
        vb_arena_release(&nh->arena);
        free(nh);
}
