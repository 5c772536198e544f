/* verbatim index: the phrase index of the customers' words, written to a file
 * that `phrases` and `report` load without parsing notes again. */
#include "cmds.h"
#include "verbatim/filecache.h"
#include "verbatim/phrase_index.h"
#include "verbatim/kb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prints the diagnostics that are not about one note (verbatim.yml, listing
 * and reading problems); per-note findings are `check`'s, and only counted. */
static void print_kb_diags(const struct vb_diags *d)
{
        struct vb_diags shown = VB_DIAGS_INIT;
        size_t i, n;
        for (i = 0; i < d->n; i++) {
                n = strlen(d->v[i].path);
                if (n > 3 && !strcmp(d->v[i].path + n - 3, ".md"))
                        continue;
                vb_diags_add(&shown, d->v[i].path, d->v[i].line, d->v[i].col, d->v[i].severity,
                             d->v[i].rule, "%s", d->v[i].message);
        }
        vb_cmd_print_diags(&shown, VB_FORMAT_TEXT);
        vb_diags_release(&shown);
}

static const char *plural(size_t n)
{
        return n == 1 ? "" : "s";
}

static int cmd_index(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_OPT('o', "output", "FILE",
               "where to write the index (default: see above); a file\n"
               "there is replaced only when it is an earlier index"),
    VB_CMD_OPT_REV("index the notes of a git revision instead of the files"),
    VB_CMD_OPT('q', "quiet", NULL, "no summary line"),
    {0}};

const struct vb_cmd_spec vb_cmd_index = {
    .name = "index",
    .run = cmd_index,
    .summary = "build the phrase index of the customers' words",
    .setup = VB_SETUP_KB | VB_SETUP_WORKTREE | VB_SETUP_REV,
    .synopsis = "verbatim index [options]",
    .about = "Builds the phrase index of the conversations' quotes: recurring phrases,\n"
             "clusters of similar quotes, and a search index.  Notes unchanged since the\n"
             "last build are not parsed again.  Quotes are stored with personal data\n"
             "redacted.  The file goes to .git/verbatim/index in a git repository, or\n"
             "beside a plain folder (.NAME.verbatim-index); never among the notes.\n",
    .options = options,
    .after = "Exit status: 0 written (even when notes have errors: see the summary),\n"
             "2 usage or I/O error.\n",
};

static int cmd_index(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        char *root = NULL;
        const char *dir = NULL, *output = NULL, *rev = NULL;
        int quiet = 0, c, status = VB_EXIT_ERROR, have_prev = 0, rc;
        struct vb_source *src = NULL;
        struct vb_kb *vkb = NULL;
        struct vb_diags d = VB_DIAGS_INIT, ignored = VB_DIAGS_INIT;
        struct vb_buf path = VB_BUF_INIT, cpath = VB_BUF_INIT;
        struct vb_filecache files_in = VB_FILECACHE_INIT, files_out = VB_FILECACHE_INIT;
        struct vb_phrase_index prev, ix;
        struct vb_index_stats st;
        struct vb_kb_options only_vocab;
        const char *none = NULL;

        memset(&ix, 0, sizeof ix);
        memset(&prev, 0, sizeof prev);
        vb_cmd_getopt_init(&g, &vb_cmd_index);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                case 'C':
                        dir = optarg;
                        break;
                case 'o':
                        output = optarg;
                        break;
                case VB_CMD_REV:
                        rev = optarg;
                        break;
                case 'q':
                        quiet = 1;
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_index, c);
                }
        }
        if (vb_cmd_no_operands(&vb_cmd_index, argc, argv, optind) != VB_EXIT_OK)
                return VB_EXIT_USAGE;
        status = vb_cmd_open_source(&src, &root, "index", dir, rev, 0, &d);
        if (status != VB_EXIT_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }
        status = VB_EXIT_ERROR;
        if (output)
                vb_buf_adds(&path, output);
        else
                vb_index_default_path(&path, src);
        /* only an earlier index is ever replaced (not verbatim.yml, a note, /dev/zero) */
        if (vb_index_check_replace(path.ptr, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }

        /* the vocabulary alone (no notes) tells where the notes are */
        memset(&only_vocab, 0, sizeof only_vocab);
        only_vocab.files = &none;
        if (vb_kb_load(&vkb, src, &only_vocab, &ignored) == VB_OK &&
            vb_index_check_path(path.ptr, src, vkb->vocab, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }

        /* the file cache says which files are unchanged (and vouches for the
         * previous index, read then without its derived sections); a damaged
         * or foreign one is not used */
        vb_index_cache_path(&cpath, path.ptr);
        rc = vb_filecache_load(&files_in, cpath.ptr, path.ptr, &ignored);
        if (rc == VB_ERR) /* a foreign one (another index file's) is normal: not said */
                vb_cmd_error("index", "%s: %s", cpath.ptr, ignored.v[ignored.n - 1].message);
        /* the previous index is the cache; a damaged one is rebuilt whole */
        if (vb_index_load_previous(&prev, path.ptr, rc == VB_OK, &ignored) == VB_OK)
                have_prev = 1;
        else if (ignored.n && !strcmp(ignored.v[ignored.n - 1].rule, "damaged-index"))
                vb_cmd_error("index", "%s: the previous index is damaged; indexing every note",
                             path.ptr);
        else if (ignored.n && !strcmp(ignored.v[ignored.n - 1].rule, "old-index"))
                vb_cmd_error("index",
                             "%s: the previous index is of an older format; indexing every note",
                             path.ptr);
        if (!have_prev)
                vb_filecache_release(&files_in); /* ids without records: of no use */
        if (vb_index_build_cached(&ix, &st, src, have_prev ? &prev : NULL, &files_in, &files_out,
                                  &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }
        /* what the build reused is in ix now: freed before the file is made */
        vb_phrase_index_release(&prev);
        vb_filecache_release(&files_in);
        print_kb_diags(&d);
        vb_diags_release(&d);
        if (vb_index_write(&ix, path.ptr, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }
        /* a file cache that cannot be written costs the next run time only */
        if (vb_source_is_git(src))
                unlink(cpath.ptr);
        else if (vb_filecache_write(&files_out, cpath.ptr, path.ptr, &ignored) != VB_OK)
                unlink(cpath.ptr);
        if (!quiet) {
                printf("indexed %zu note%s (%zu conversation%s, %zu quote%s): %zu recurring "
                       "phrase%s, %zu cluster%s\n",
                       st.files, plural(st.files), st.notes, plural(st.notes), st.quotes,
                       plural(st.quotes), ix.nphrases, plural(ix.nphrases), ix.nclusters,
                       plural(ix.nclusters));
                printf("parsed %zu, reused %zu from the cache", st.parsed, st.reused);
                if (st.unread)
                        printf(" (%zu file%s not read: unchanged)", st.unread, plural(st.unread));
                printf("; %zu note%s with errors%s\n", st.notes_with_errors,
                       plural(st.notes_with_errors),
                       st.notes_with_errors ? " (see verbatim check)" : "");
                vb_cmd_line(stdout, "wrote %s", path.ptr);
        }
        status = VB_EXIT_OK;
done:
        vb_phrase_index_release(&prev);
        vb_phrase_index_release(&ix);
        vb_kb_free(vkb);
        vb_source_free(src);
        vb_buf_release(&path);
        vb_buf_release(&cpath);
        vb_filecache_release(&files_in);
        vb_filecache_release(&files_out);
        vb_diags_release(&d);
        vb_diags_release(&ignored);
        free(root);
        return vb_cmd_finish(status);
}
