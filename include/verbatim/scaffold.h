/* Scaffolding: new notes from templates, new knowledge bases, the git hook.
 *
 * The bundled templates and the files of `verbatim init` are compiled in
 * (src/templates.c, generated from notes-template/ by notes-template/embed.sh)
 * so that an installed binary needs no source tree. */
#ifndef VERBATIM_SCAFFOLD_H
#define VERBATIM_SCAFFOLD_H

#include "verbatim/buf.h"
#include "verbatim/diag.h"

#include <stddef.h>

/* A file compiled into the binary: its name (a template's file name, or the
 * path `init` writes it to), the source file it was made from, its text. */
struct vb_embedded {
        const char *name;
        const char *source;
        const char *text;
};

extern const struct vb_embedded vb_bundled_templates[];
extern const size_t vb_nbundled_templates;
extern const struct vb_embedded vb_init_files[];
extern const size_t vb_ninit_files;

/* The bundled template named `name` ("buyer.md"), or NULL; static. */
const char *vb_template_bundled(const char *name);
/* The file name of the template for a new note: "follow-up.md" for a
 * follow-up, else "<segment>.md".  Appended to `out`. */
void vb_template_name(struct vb_buf *out, const char *segment, int follow_up);
/* The bundled template for a new note: follow-up.md for a follow-up, the
 * segment's own (buyer, abandoner, returner), else generic.md; static. */
const char *vb_template_fallback(const char *segment, int follow_up);

/* The values a template's placeholders take; NULL or "" leaves a value empty. */
struct vb_note_fields {
        const char *date; /* YYYY-MM-DD */
        const char *segment;
        const char *customer;
        const char *id;
        const char *follows;
        const char *interviewer;
};

/* Appends `tmpl` to `out` with {{date}}, {{segment}}, {{customer}}, {{id}},
 * {{follows}} and {{interviewer}} replaced.  In the front matter (from a
 * first line `---` to the next `---` or `...` line) values are written as YAML
 * scalars, quoted where plain YAML would misread them (vb_yaml_quote); in
 * the body they are copied as they are.  Other {{...}} are kept. */
void vb_template_fill(struct vb_buf *out, const char *tmpl, const struct vb_note_fields *f);

/* Appends `s` as a YAML scalar that reads back as the string `s`: plain
 * when that is safe, else double-quoted with escapes.  The empty string is
 * appended as nothing (a null value). */
void vb_yaml_quote(struct vb_buf *out, const char *s);

/* Appends the customer id as it goes into a file name: ASCII letters
 * (lower-cased) and digits only ("C-10492" -> "c10492"). */
void vb_customer_slug(struct vb_buf *out, const char *customer);

/* Tells whether a note path (relative to the knowledge base) or its id is
 * taken already: 1 when taken, 0 when free, -1 with errno set when it
 * cannot tell (the path is too long, a folder cannot be read). */
typedef int (*vb_taken_fn)(void *ctx, const char *path, const char *id);

/* The path of a new note: `<notes_dir>/<YYYY>/<date>-<slug>-<segment>.md`
 * ("." as notes_dir puts it at the top), with -2, -3 ... before .md while
 * `taken` says the path or id is taken.  Sets `path` and `id` (reset first).
 * Returns VB_OK, or VB_ERR with a diagnostic when the date is no valid
 * YYYY-MM-DD, the customer id has no letter or digit, the segment
 * cannot be part of a file name, the file name would be longer than
 * NAME_MAX (`name-too-long`) or `taken` cannot tell (`path-unusable`). */
int vb_note_new_path(struct vb_buf *path, struct vb_buf *id, const char *notes_dir,
                     const char *date, const char *customer, const char *segment, vb_taken_fn taken,
                     void *ctx, struct vb_diags *d);

/* Creates the file `path` with `len` bytes and `mode`, and its missing
 * folders; never replaces anything (O_EXCL).  Returns VB_OK,
 * VB_ERR_EXISTS (no diagnostic) when the file exists, or VB_ERR_IO with a
 * diagnostic. */
int vb_file_create(const char *path, const char *data, size_t len, unsigned mode,
                   struct vb_diags *d);

/* Makes `dir` a git repository unless it or a folder above it is one
 * already; *created says which.  A new repository starts on the user's
 * init.defaultBranch, else on "main".  Appends the branch HEAD names (born
 * or not; nothing when HEAD is detached) to `branch`.  VB_OK or VB_ERR_IO
 * with a diagnostic. */
int vb_git_init_if_needed(const char *dir, int *created, struct vb_buf *branch, struct vb_diags *d);

/* Appends the text of a file `init` writes (vb_init_files) with
 * {{version}}, {{action}} and {{image}} replaced by this build's version,
 * the GitHub repository of its action and its container image
 * (verbatim/version.h), so that the CI files pin what wrote them.  Other
 * {{...}} (GitHub's ${{ ... }}) are kept. */
void vb_init_file_fill(struct vb_buf *out, const char *text);

/* The first line after "#!/bin/sh" of every hook verbatim writes: how
 * `hook` recognises its own. */
#define VB_HOOK_MARKER "# verbatim pre-commit hook"

/* Appends the pre-commit hook script: it runs `<binary> check --staged
 * --changed-since HEAD` (falling back to `verbatim` in PATH when that file
 * is gone, and saying so plainly when neither is there) and blocks the
 * commit when the staged notes it adds or changes have errors.  `kb`: the
 * knowledge base's folder relative to the top of the working tree (where
 * git runs hooks), when it is not the top itself; else NULL. */
void vb_hook_script(struct vb_buf *out, const char *binary, const char *kb);
/* Appends the hooks folder of the repository at or above `path`:
 * core.hooksPath when set (relative to the working tree), else
 * <git dir>/hooks.  VB_OK, or VB_ERR_IO with a diagnostic when there is no
 * repository. */
int vb_hooks_dir(struct vb_buf *out, const char *path, struct vb_diags *d);

#endif
