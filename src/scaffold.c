/* Scaffolding: templates filled in, new note paths, files created once, git
 * repositories and the pre-commit hook. */
#include "verbatim/scaffold.h"
#include "git.h"
#include "verbatim/date.h"
#include "verbatim/version.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *vb_template_bundled(const char *name)
{
        for (size_t i = 0; i < vb_nbundled_templates; i++)
                if (!strcmp(vb_bundled_templates[i].name, name))
                        return vb_bundled_templates[i].text;
        return NULL;
}

void vb_template_name(struct vb_buf *out, const char *segment, int follow_up)
{
        if (follow_up)
                vb_buf_adds(out, "follow-up.md");
        else
                vb_buf_addf(out, "%s.md", segment);
}

const char *vb_template_fallback(const char *segment, int follow_up)
{
        struct vb_buf name = VB_BUF_INIT;
        const char *t = NULL;
        vb_template_name(&name, segment, follow_up);
        if (strcmp(name.ptr, "generic.md"))
                t = vb_template_bundled(name.ptr);
        vb_buf_release(&name);
        return t ? t : vb_template_bundled("generic.md");
}

/* ---- YAML scalars ---- */

static int is_special_word(const char *s)
{
        static const char *const words[] = {
            "null",  "Null", "NULL",  "~",    "true", "True", "TRUE", "false", "False",
            "FALSE", "yes",  "Yes",   "YES",  "no",   "No",   "NO",   "on",    "On",
            "ON",    "off",  "Off",   "OFF",  "y",    "Y",    "n",    "N",     ".inf",
            ".Inf",  ".INF", "-.inf", ".nan", ".NaN", ".NAN"};
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
                if (!strcmp(s, words[i]))
                        return 1;
        return 0;
}

/* Looks like a YAML number (int, float, hex, octal, with _ or a sign). */
static int is_number_like(const char *s)
{
        const char *p = s;
        int digits = 0;
        if (*p == '+' || *p == '-')
                p++;
        if (*p == '.')
                p++;
        for (; *p; p++) {
                if (*p >= '0' && *p <= '9')
                        digits++;
                else if (!strchr("._xXoObBeE+-abcdefABCDEF", *p))
                        return 0;
        }
        return digits > 0 && ((s[0] >= '0' && s[0] <= '9') || strchr("+-.", s[0]));
}

static int plain_is_safe(const char *s)
{
        size_t n = strlen(s);
        if (!n || s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':')
                return 0;
        if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
                return 0;
        if (is_special_word(s) || is_number_like(s))
                return 0;
        for (const char *p = s; *p; p++) {
                unsigned char c = (unsigned char)*p;
                if (c < 0x20 || c == 0x7f)
                        return 0;
                if ((c == ':' && p[1] == ' ') || (c == ' ' && p[1] == '#'))
                        return 0;
        }
        return 1;
}

void vb_yaml_quote(struct vb_buf *out, const char *s)
{
        if (!s || !*s)
                return;
        /* a date stays plain so that YAML reads it as a date */
        if (plain_is_safe(s) || (strlen(s) == 10 && strspn(s, "0123456789-") == 10 && s[4] == '-' &&
                                 s[7] == '-' && s[0] != '-')) {
                vb_buf_adds(out, s);
                return;
        }
        vb_buf_addc(out, '"');
        for (const char *p = s; *p; p++) {
                unsigned char c = (unsigned char)*p;
                switch (c) {
                case '"':
                        vb_buf_adds(out, "\\\"");
                        break;
                case '\\':
                        vb_buf_adds(out, "\\\\");
                        break;
                case '\n':
                        vb_buf_adds(out, "\\n");
                        break;
                case '\t':
                        vb_buf_adds(out, "\\t");
                        break;
                case '\r':
                        vb_buf_adds(out, "\\r");
                        break;
                default:
                        if (c < 0x20 || c == 0x7f)
                                vb_buf_addf(out, "\\x%02x", c);
                        else
                                vb_buf_addc(out, (char)c);
                }
        }
        vb_buf_addc(out, '"');
}

/* ---- templates ---- */

static const char *field_value(const struct vb_note_fields *f, const char *name, size_t len)
{
        static const char *const names[] = {"date", "segment", "customer",
                                            "id",   "follows", "interviewer"};
        const char *values[] = {f->date, f->segment, f->customer,
                                f->id,   f->follows, f->interviewer};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strlen(names[i]) == len && !memcmp(names[i], name, len))
                        return values[i] ? values[i] : "";
        return NULL;
}

static int is_fence(const char *line, size_t len, const char *fence)
{
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
                len--;
        return len == 3 && !memcmp(line, fence, 3);
}

void vb_template_fill(struct vb_buf *out, const char *tmpl, const struct vb_note_fields *f)
{
        const char *p = tmpl;
        int in_front = 0, lineno = 0;
        while (*p) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t)(eol - p) : strlen(p);
                int comment, emptied = 0;
                lineno++;
                if (lineno == 1 && is_fence(p, len, "---"))
                        in_front = 1;
                else if (in_front && (is_fence(p, len, "---") || is_fence(p, len, "...")))
                        in_front = 0;
                comment = p[strspn(p, " \t")] == '#';
                for (size_t i = 0; i < len;) {
                        const char *open = p + i, *close, *value;
                        if (i + 1 < len && open[0] == '{' && open[1] == '{' &&
                            (close = memchr(open + 2, '}', len - i - 2)) && close + 1 < p + len &&
                            close[1] == '}' &&
                            (value = field_value(f, open + 2, (size_t)(close - open - 2)))) {
                                if (in_front && !comment)
                                        vb_yaml_quote(out, value);
                                else
                                        vb_buf_adds(out, value);
                                emptied |= !*value;
                                i += (size_t)(close + 2 - open);
                        } else {
                                vb_buf_addc(out, *open);
                                i++;
                        }
                }
                /* "interviewer: " with no value: no trailing blank */
                while (in_front && emptied && out->len && out->ptr[out->len - 1] == ' ')
                        vb_buf_truncate(out, out->len - 1);
                if (!eol)
                        break;
                vb_buf_addc(out, '\n');
                p = eol + 1;
        }
}

/* ---- new note paths ---- */

void vb_customer_slug(struct vb_buf *out, const char *customer)
{
        for (const char *p = customer; *p; p++) {
                char c = *p;
                if (c >= 'A' && c <= 'Z')
                        vb_buf_addc(out, (char)(c - 'A' + 'a'));
                else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                        vb_buf_addc(out, c);
        }
}

static int segment_is_file_safe(const char *s)
{
        if (!*s || *s == '-')
                return 0;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
                        return 0;
        return 1;
}

int vb_note_new_path(struct vb_buf *path, struct vb_buf *id, const char *notes_dir,
                     const char *date, const char *customer, const char *segment, vb_taken_fn taken,
                     void *ctx, struct vb_diags *d)
{
        struct vb_date dt;
        char canon[16];
        struct vb_buf base = VB_BUF_INIT, dir = VB_BUF_INIT;
        int rc = VB_ERR, st = vb_date_parse(&dt, date);

        vb_buf_reset(path);
        vb_buf_reset(id);
        if (st == VB_DATE_OK)
                vb_date_format(dt, canon);
        if (st == VB_DATE_INVALID) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "bad-date",
                             "date '%s' is no day of the calendar; give a real date", date);
                goto done;
        }
        if (st != VB_DATE_OK || strcmp(canon, date)) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "bad-date",
                             "date '%s' is not YYYY-MM-DD; write it like 2026-11-03", date);
                goto done;
        }
        vb_buf_addf(&base, "%s-", canon);
        size_t before = base.len;
        vb_customer_slug(&base, customer);
        if (base.len == before) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "bad-customer",
                             "customer id '%s' has no letter or digit; use a pseudonymous id like "
                             "C-10492",
                             customer);
                goto done;
        }
        if (!segment_is_file_safe(segment)) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "bad-segment",
                             "segment '%s' cannot be part of a file name; use a key of letters, "
                             "digits, '-' and '_'",
                             segment);
                goto done;
        }
        vb_buf_addf(&base, "-%s", segment);
        if (base.len + strlen(".md") > NAME_MAX) {
                vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "name-too-long",
                             "the note's file name (<date>-<customer>-<segment>.md) would be %zu "
                             "bytes, more than the %d a file name may have; use a shorter "
                             "customer id, like C-10492",
                             base.len + strlen(".md"), NAME_MAX);
                goto done;
        }

        while (!strncmp(notes_dir, "./", 2))
                notes_dir += 2;
        vb_buf_adds(&dir, notes_dir);
        while (dir.len && dir.ptr[dir.len - 1] == '/')
                vb_buf_truncate(&dir, dir.len - 1);
        if (!strcmp(dir.ptr, "."))
                vb_buf_reset(&dir);
        if (dir.len)
                vb_buf_addc(&dir, '/');
        vb_buf_addf(&dir, "%.4s/", canon);

        for (unsigned n = 1;; n++) {
                if (n > 100000) {
                        vb_diags_add(d, "", 0, 0, VB_SEV_ERROR, "path-taken",
                                     "every name for '%s' is taken", base.ptr);
                        goto done;
                }
                vb_buf_reset(id);
                vb_buf_add(id, base.ptr, base.len);
                if (n > 1)
                        vb_buf_addf(id, "-%u", n);
                vb_buf_reset(path);
                vb_buf_addf(path, "%s%s.md", dir.ptr, id->ptr);
                int is = taken ? taken(ctx, path->ptr, id->ptr) : 0;
                if (is < 0) {
                        vb_diags_add(d, path->ptr, 0, 0, VB_SEV_ERROR, "path-unusable",
                                     "cannot tell whether the note's file exists: %s; check the "
                                     "notes folder (its permissions, the length of its path)",
                                     strerror(errno));
                        goto done;
                }
                if (!is)
                        break;
        }
        rc = VB_OK;
done:
        if (rc != VB_OK) {
                vb_buf_reset(path);
                vb_buf_reset(id);
        }
        vb_buf_release(&base);
        vb_buf_release(&dir);
        return rc;
}

/* ---- files ---- */

static int make_parents(const char *path, struct vb_diags *d)
{
        char *copy = vb_strdup(path);
        int rc = VB_OK;
        for (char *p = copy + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
                        vb_diags_add(d, copy, 0, 0, VB_SEV_ERROR, "write-failed",
                                     "cannot create the folder: %s", strerror(errno));
                        rc = VB_ERR_IO;
                        break;
                }
                *p = '/';
        }
        free(copy);
        return rc;
}

int vb_file_create(const char *path, const char *data, size_t len, unsigned mode,
                   struct vb_diags *d)
{
        int fd, rc = make_parents(path, d);
        size_t done = 0;
        if (rc != VB_OK)
                return rc;
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);
        if (fd < 0) {
                if (errno == EEXIST)
                        return VB_ERR_EXISTS;
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "write-failed",
                             "cannot create the file: %s", strerror(errno));
                return VB_ERR_IO;
        }
        while (done < len) {
                ssize_t w = write(fd, data + done, len - done);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0) {
                        rc = VB_ERR_IO;
                        break;
                }
                done += (size_t)w;
        }
        if (close(fd) != 0)
                rc = VB_ERR_IO;
        if (rc != VB_OK) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "write-failed",
                             "cannot write the file: %s", strerror(errno));
                unlink(path);
        }
        return rc;
}

/* ---- git ---- */

static void git_diag(struct vb_diags *d, const char *path, const char *what)
{
        const git_error *e = git_error_last();
        vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "git", "%s: %s", what,
                     e && e->message ? e->message : "unknown libgit2 error");
}

/* The branch a new repository starts on: the user's init.defaultBranch
 * (libgit2 reads it when given no name), else "main", which the hosts make
 * the default branch of a new repository, rather than libgit2's "master". */
static const char *initial_branch(void)
{
        git_config *cfg = NULL;
        git_buf b = {0};
        int set = git_config_open_default(&cfg) == 0 &&
                  git_config_get_string_buf(&b, cfg, "init.defaultBranch") == 0 && b.size;
        git_buf_dispose(&b);
        git_config_free(cfg);
        return set ? NULL : "main";
}

int vb_git_init_if_needed(const char *dir, int *created, struct vb_buf *branch, struct vb_diags *d)
{
        git_repository *repo = NULL;
        git_reference *head = NULL;
        int rc = VB_OK, err;
        *created = 0;
        if (vb_git_start() < 0) {
                vb_diags_add(d, dir, 0, 0, VB_SEV_ERROR, "git", "%s", vb_git_error());
                return VB_ERR_IO;
        }
        err = git_repository_open_ext(&repo, dir, 0, NULL);
        if (err == GIT_ENOTFOUND) {
                git_repository_init_options opts;
                memset(&opts, 0, sizeof(opts)); /* GIT_REPOSITORY_INIT_OPTIONS_INIT */
                opts.version = GIT_REPOSITORY_INIT_OPTIONS_VERSION;
                opts.flags = GIT_REPOSITORY_INIT_MKPATH;
                opts.initial_head = initial_branch();
                if (git_repository_init_ext(&repo, dir, &opts) != 0) {
                        git_diag(d, dir, "cannot create a git repository");
                        rc = VB_ERR_IO;
                        goto done;
                }
                *created = 1;
        } else if (err != 0) {
                git_diag(d, dir, "cannot open the git repository");
                rc = VB_ERR_IO;
                goto done;
        }
        /* HEAD names the branch even before its first commit */
        if (git_reference_lookup(&head, repo, "HEAD") == 0) {
                const char *target = git_reference_symbolic_target(head);
                if (target && !strncmp(target, "refs/heads/", 11))
                        vb_buf_adds(branch, target + 11);
        }
done:
        git_reference_free(head);
        git_repository_free(repo);
        git_libgit2_shutdown();
        return rc;
}

void vb_init_file_fill(struct vb_buf *out, const char *text)
{
        static const char *const names[] = {"{{version}}", "{{action}}", "{{image}}"};
        const char *values[] = {vb_version, vb_action_repo, vb_image};
        for (const char *p = text; *p;) {
                const char *open = strstr(p, "{{");
                size_t i = 0;
                if (!open) {
                        vb_buf_adds(out, p);
                        break;
                }
                vb_buf_add(out, p, (size_t)(open - p));
                while (i < 3 && strncmp(open, names[i], strlen(names[i])))
                        i++;
                if (i < 3) {
                        vb_buf_adds(out, values[i]);
                        p = open + strlen(names[i]);
                } else {
                        vb_buf_add(out, open, 2);
                        p = open + 2;
                }
        }
}

static void shell_quote(struct vb_buf *out, const char *s)
{
        vb_buf_addc(out, '\'');
        for (; *s; s++) {
                if (*s == '\'')
                        vb_buf_adds(out, "'\\''");
                else
                        vb_buf_addc(out, *s);
        }
        vb_buf_addc(out, '\'');
}

void vb_hook_script(struct vb_buf *out, const char *binary, const char *kb)
{
        vb_buf_adds(out,
                    "#!/bin/sh\n" VB_HOOK_MARKER ", written by 'verbatim hook install'.\n"
                    "# Checks the notes this commit adds or changes, as staged in the git index\n"
                    "# (what the commit will hold, not the working tree), and blocks the commit\n"
                    "# when they have errors; notes it does not touch are not its business.  A\n"
                    "# change to verbatim.yml, roadmap.yml or copy.yml checks every note.\n"
                    "# Skip it once: git commit --no-verify.  Remove it: verbatim hook uninstall.\n"
                    "verbatim=");
        shell_quote(out, binary);
        vb_buf_adds(out, "\ninstalled=$verbatim\n[ -x \"$verbatim\" ] || verbatim=verbatim\n"
                         "if ! command -v \"$verbatim\" >/dev/null 2>&1; then\n"
                         "\t# a commit with nothing for verbatim goes through without it\n"
                         "\tgit diff --cached --quiet -- '*.md' '*verbatim.yml' '*roadmap.yml' "
                         "'*copy.yml' && exit 0\n"
                         "\techo \"verbatim: this commit changes notes, and verbatim, which checks "
                         "them, is not installed (not at $installed nor in PATH); install it, "
                         "or commit with --no-verify, or remove "
                         "this hook: $0\" >&2\n"
                         "\texit 1\n"
                         "fi\n"
                         "\"$verbatim\" check ");
        if (kb && *kb) { /* the knowledge base is a folder of the repository */
                vb_buf_adds(out, "-C ");
                shell_quote(out, kb);
                vb_buf_addc(out, ' ');
        }
        vb_buf_adds(out, "--staged --changed-since HEAD --quiet\n"
                         "status=$?\n"
                         "if [ \"$status\" -ne 0 ]; then\n"
                         "\techo \"verbatim: commit blocked: fix the staged notes and 'git add' "
                         "them (or commit with --no-verify)\" >&2\n"
                         "fi\n"
                         "exit \"$status\"\n");
}

int vb_hooks_dir(struct vb_buf *out, const char *path, struct vb_diags *d)
{
        git_repository *repo = NULL;
        git_config *cfg = NULL;
        git_buf hp = {0};
        int rc = VB_OK;
        if (vb_git_start() < 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "git", "%s", vb_git_error());
                return VB_ERR_IO;
        }
        if (git_repository_open_ext(&repo, path, 0, NULL) != 0) {
                vb_diags_add(d, path, 0, 0, VB_SEV_ERROR, "no-repository",
                             "not in a git repository; run 'git init' (or 'verbatim init') first");
                rc = VB_ERR_IO;
                goto done;
        }
        if (git_repository_config_snapshot(&cfg, repo) != 0) {
                git_diag(d, path, "cannot read the git configuration");
                rc = VB_ERR_IO;
                goto done;
        }
        if (git_config_get_path(&hp, cfg, "core.hooksPath") == 0 && hp.size) {
                if (hp.ptr[0] != '/') {
                        const char *base = git_repository_workdir(repo);
                        vb_buf_adds(out, base ? base : git_repository_path(repo));
                }
                vb_buf_add(out, hp.ptr, hp.size);
        } else {
                vb_buf_addf(out, "%shooks", git_repository_commondir(repo));
        }
        while (out->len > 1 && out->ptr[out->len - 1] == '/')
                vb_buf_truncate(out, out->len - 1);
done:
        git_buf_dispose(&hp);
        git_config_free(cfg);
        git_repository_free(repo);
        git_libgit2_shutdown();
        return rc;
}
