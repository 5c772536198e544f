/* verbatim new: a note from a template, at the conventional path. */
#include "cmds.h"
#include "verbatim/check.h"
#include "verbatim/kb.h"
#include "verbatim/pii.h"
#include "verbatim/scaffold.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int cmd_new(int argc, char **argv);

static const struct vb_cmd_opt options[] = {
    VB_CMD_OPT('s', "segment", "S", "a key of segments: in verbatim.yml (required)"),
    VB_CMD_OPT('c', "customer", "ID", "the pseudonymous customer id, like C-10492 (required)"),
    VB_CMD_OPT('d', "date", "DATE", "the call's date, YYYY-MM-DD (default: today, UTC)"),
    VB_CMD_OPT('f', "follows", "ID", "the id of the earlier call this one follows up"),
    VB_CMD_OPT('i', "interviewer", "NAME", "who made the call"),
    VB_CMD_OPT_DIR(VB_CMD_DIR_HELP),
    VB_CMD_OPT('e', "edit", NULL,
               "open the note in $VISUAL or $EDITOR (else vi),\n"
               "then check it"),
    {0}};

const struct vb_cmd_spec vb_cmd_new = {
    .name = "new",
    .run = cmd_new,
    .summary = "create a note from a template",
    .setup = VB_SETUP_KB | VB_SETUP_WORKTREE,
    .synopsis = "verbatim new --segment S --customer ID [options]",
    .about = "Creates a note from the template of its segment at\n"
             "<first notes folder>/<YYYY>/<date>-<customer>-<segment>.md (-2, -3 ... when\n"
             "taken) and prints its path.  Templates come from the knowledge base's\n"
             "templates: folder when it has the file, else the bundled ones.\n",
    .options = options,
    .column = 27,
    .after = "Exit status: 0 created (and clean), 1 the edited note has errors,\n"
             "2 usage or I/O error; an existing file is never replaced.\n",
};

struct taken_ctx {
        const char *root;
        const struct vb_kb *kb;
};

static int is_taken(void *ctx, const char *path, const char *id)
{
        const struct taken_ctx *t = ctx;
        struct vb_buf full = VB_BUF_INIT;
        struct stat st;
        int taken = 0;
        for (size_t i = 0; !taken && i < t->kb->nrefs; i++)
                taken = t->kb->refs[i].id && !strcmp(t->kb->refs[i].id, id);
        vb_buf_addf(&full, "%s/%s", t->root, path);
        if (!taken && lstat(full.ptr, &st) == 0)
                taken = 1;
        else if (!taken && errno != ENOENT && errno != ENOTDIR)
                taken = -1; /* ENAMETOOLONG, EACCES...: another name would not do better */
        vb_buf_release(&full);
        return taken;
}

static int keep_none(void *ctx, struct vb_note *n, const struct vb_vocab *v, struct vb_diags *d)
{
        (void)ctx;
        (void)n;
        (void)v;
        (void)d;
        return 0;
}

static int has_control(const char *s)
{
        for (; s && *s; s++)
                if ((unsigned char)*s < 0x20 || *s == 0x7f)
                        return 1;
        return 0;
}

/* An unknown segment: the error, with the closest key when there is one. */
static void unknown_segment(const struct vb_vocab *v, const char *s)
{
        const char *best = vb_vocab_suggest_key(s, v->segments, v->nsegments, sizeof(*v->segments));
        struct vb_buf keys = VB_BUF_INIT;
        for (size_t i = 0; i < v->nsegments; i++)
                vb_buf_addf(&keys, "%s%s", i ? ", " : "", v->segments[i].key);
        if (best)
                vb_cmd_error("new", "unknown segment '%s' (did you mean '%s'?)", s, best);
        else
                vb_cmd_error("new", "unknown segment '%s'; use one of: %s", s, keys.ptr);
        vb_buf_release(&keys);
}

/* Runs the editor named by $VISUAL or $EDITOR (split at blanks, no shell)
 * with the note's path as its last argument, and waits for it. */
static int run_editor(const char *path)
{
        const char *env = getenv("VISUAL");
        char *words, **argv = NULL;
        size_t n = 0, cap = 0;
        int status = -1;
        pid_t pid;
        if (!env || !*env)
                env = getenv("EDITOR");
        if (!env || !*env)
                env = "vi";
        words = vb_strdup(env);
        for (char *w = strtok(words, " \t"); w; w = strtok(NULL, " \t")) {
                argv = vb_grow_array(argv, &cap, n + 3, sizeof(*argv));
                argv[n++] = w;
        }
        if (!n) {
                argv = vb_grow_array(argv, &cap, 3, sizeof(*argv));
                argv[n++] = "vi";
        }
        argv[n++] = (char *)path;
        argv[n] = NULL;
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                execvp(argv[0], argv);
                vb_cmd_error("new", "cannot run the editor '%s': %s", argv[0], strerror(errno));
                _exit(127);
        }
        if (pid < 0) {
                vb_cmd_error("new", "cannot start the editor: %s", strerror(errno));
        } else {
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                        ;
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                        vb_cmd_error("new", "the editor '%s' failed; the note is kept at %s",
                                     argv[0], path);
                        status = -1;
                }
        }
        free(words);
        free(argv);
        return status == 0 ? 0 : -1;
}

/* Checks the note at `relpath` of the knowledge base at `dir` (vb_check_files:
 * with every rule, across notes too) and prints its findings. */
static int check_note(const char *dir, const char *relpath)
{
        struct vb_source *src = NULL;
        struct vb_diags d = VB_DIAGS_INIT, shown = VB_DIAGS_INIT;
        struct vb_buf path = VB_BUF_INIT;
        struct vb_check_result res;
        const char *paths[1];
        struct vb_check_request req = {.paths = paths, .npaths = 1, .today = vb_date_today()};
        int status = VB_EXIT_ERROR;
        memset(&res, 0, sizeof(res));
        vb_buf_addf(&path, "%s/%s", dir, relpath);
        paths[0] = path.ptr;
        if (vb_cmd_open_root(&src, dir, NULL, 0, &d) != VB_OK ||
            vb_check_files(&res, src, &req, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }
        for (size_t i = 0; i < res.findings.n; i++) {
                const struct vb_diag *x = &res.findings.v[i];
                if (!strcmp(x->path, relpath))
                        vb_diags_add(&shown, x->path, x->line, x->col, x->severity, x->rule, "%s",
                                     x->message);
        }
        vb_cmd_print_diags(&shown, VB_FORMAT_TEXT);
        vb_cmd_line(stderr, "checked %s: %zu error%s, %zu warning%s", relpath, shown.errors,
                    shown.errors == 1 ? "" : "s", shown.warnings, shown.warnings == 1 ? "" : "s");
        status = shown.errors ? VB_EXIT_FINDINGS : VB_EXIT_OK;
done:
        vb_check_result_release(&res);
        vb_source_free(src);
        vb_diags_release(&d);
        vb_diags_release(&shown);
        vb_buf_release(&path);
        return status;
}

static int cmd_new(int argc, char **argv)
{
        struct vb_cmd_getopt g;
        char *root = NULL;
        const char *dir = NULL, *segment = NULL, *customer = NULL, *date = NULL, *follows = NULL,
                   *interviewer = NULL, *tmpl;
        int edit = 0, c, status = VB_EXIT_ERROR, rc;
        char today[16];
        struct vb_source *src = NULL;
        struct vb_kb *kb = NULL;
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_kb_options kopt = {.on_note = keep_none};
        struct vb_buf path = VB_BUF_INIT, id = VB_BUF_INIT, name = VB_BUF_INIT,
                      custom = VB_BUF_INIT, note = VB_BUF_INIT, full = VB_BUF_INIT;
        size_t start, end;

        vb_cmd_getopt_init(&g, &vb_cmd_new);
        while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
                switch (c) {
                case 's':
                        segment = optarg;
                        break;
                case 'c':
                        customer = optarg;
                        break;
                case 'd':
                        date = optarg;
                        break;
                case 'f':
                        follows = optarg;
                        break;
                case 'i':
                        interviewer = optarg;
                        break;
                case 'C':
                        dir = optarg;
                        break;
                case 'e':
                        edit = 1;
                        break;
                default: /* -h, --help, or an option it does not know */
                        return vb_cmd_usage(&vb_cmd_new, c);
                }
        }
        if (vb_cmd_no_operands(&vb_cmd_new, argc, argv, optind) != VB_EXIT_OK)
                return VB_EXIT_USAGE;
        if (!segment || !customer) {
                vb_cmd_error("new", "--segment and --customer are required");
                return vb_cmd_usage(&vb_cmd_new, '?');
        }
        if (!*customer || has_control(customer)) {
                vb_cmd_error("new", "the customer id is empty or has control characters; use a "
                                    "pseudonymous id like C-10492");
                return VB_EXIT_USAGE;
        }
        rc = vb_pii_find(customer, strlen(customer), 0, &start, &end);
        if (rc != VB_PII_NONE) {
                vb_cmd_error("new", "customer '%s' is %s; use a pseudonymous id like C-10492",
                             customer, rc == VB_PII_EMAIL ? "an email address" : "a phone number");
                return VB_EXIT_USAGE;
        }
        if (has_control(segment) || has_control(follows) || has_control(interviewer)) {
                vb_cmd_error("new",
                             "values must not contain control characters (line breaks, tabs)");
                return VB_EXIT_USAGE;
        }
        if (interviewer && vb_pii_find(interviewer, strlen(interviewer), 0, &start, &end)) {
                vb_cmd_error("new", "interviewer '%s' is personal data; use a name or a handle",
                             interviewer);
                return VB_EXIT_USAGE;
        }
        if (!date) {
                vb_date_format(vb_date_today(), today);
                date = today;
        }

        rc = vb_cmd_open_source(&src, &root, "new", dir, NULL, 0, &d);
        if (rc != VB_EXIT_OK)
                return rc; /* said */
        dir = root;
        if (vb_kb_load(&kb, src, &kopt, &d) != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }
        const struct vb_vocab *v = kb->vocab;
        if (v->has_segments && !vb_vocab_segment(v, segment)) {
                unknown_segment(v, segment);
                goto done;
        }
        if (follows) {
                const struct vb_note_ref *t = NULL;
                for (size_t i = 0; !t && i < kb->nrefs; i++)
                        if (kb->refs[i].id && !strcmp(kb->refs[i].id, follows))
                                t = &kb->refs[i];
                if (!t) {
                        vb_cmd_error("new",
                                     "--follows '%s' names no note; give the id (file name "
                                     "without .md) of an earlier call",
                                     follows);
                        goto done;
                }
                if (t->customer && strcmp(t->customer, customer))
                        vb_cmd_error("new", "warning: '%s' is a call with %s, not %s; check the id",
                                     follows, t->customer, customer);
        }

        struct taken_ctx tctx = {dir, kb};
        vb_diags_release(&d);
        if (vb_note_new_path(&path, &id, v->nnotes ? v->notes[0] : ".", date, customer, segment,
                             is_taken, &tctx, &d) != VB_OK) {
                for (size_t i = 0; i < d.n; i++)
                        vb_cmd_error("new", "%s", d.v[i].message);
                goto done;
        }

        /* the knowledge base's own template, else the bundled one */
        vb_template_name(&name, segment, follows != NULL);
        tmpl = NULL;
        if (v->templates) {
                vb_buf_reset(&full);
                vb_buf_addf(&full, "%s/%s", v->templates, name.ptr);
                rc = vb_source_read(src, full.ptr, &custom, &d);
                if (rc == VB_OK)
                        tmpl = custom.ptr;
                else if (rc != VB_ERR_NOTFOUND) {
                        vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                        goto done;
                }
        }
        if (!tmpl)
                tmpl = vb_template_fallback(segment, follows != NULL);
        struct vb_note_fields f = {date, segment, customer, id.ptr, follows, interviewer};
        vb_template_fill(&note, tmpl, &f);

        vb_buf_reset(&full);
        vb_buf_addf(&full, "%s/%s", dir, path.ptr);
        rc = vb_file_create(full.ptr, note.ptr, note.len, 0666, &d);
        if (rc == VB_ERR_EXISTS) {
                vb_cmd_error("new", "%s exists already; it is never replaced", full.ptr);
                goto done;
        }
        if (rc != VB_OK) {
                vb_cmd_print_diags(&d, VB_FORMAT_TEXT);
                goto done;
        }
        /* the path as the user can open it from here */
        const char *shown = strcmp(dir, ".") ? full.ptr : path.ptr;
        vb_cmd_line(stdout, "%s", shown);
        status = VB_EXIT_OK;
        if (edit) {
                if (run_editor(shown) != 0)
                        status = VB_EXIT_ERROR;
                else
                        status = check_note(dir, path.ptr);
        }
done:
        vb_kb_free(kb);
        vb_source_free(src);
        vb_diags_release(&d);
        vb_buf_release(&path);
        vb_buf_release(&id);
        vb_buf_release(&name);
        vb_buf_release(&custom);
        vb_buf_release(&note);
        vb_buf_release(&full);
        free(root);
        return vb_cmd_finish(status);
}
