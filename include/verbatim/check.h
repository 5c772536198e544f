/* The rules of `verbatim check`: a note against the vocabulary, and the rules
 * that need every note (duplicate ids, follows:). */
#ifndef VERBATIM_CHECK_H
#define VERBATIM_CHECK_H

#include "verbatim/diag.h"
#include "verbatim/kb.h"

/* Checks one parsed note; `today` is the date after which (plus one day) a
 * call date is in the future. */
void vb_check_note(const struct vb_note *n, const struct vb_vocab *v, struct vb_date today,
                   struct vb_diags *d);
/* Checks what needs the whole knowledge base: duplicate ids and follows:.
 * vb_kb_load runs these rules (and vb_check_note on every note) itself when
 * it loads the whole knowledge base: a caller of vb_kb_load needs neither. */
void vb_check_kb(const struct vb_kb *kb, struct vb_diags *d);
/* The same rules on `nrefs` refs (of every note). */
void vb_check_refs(const struct vb_note_ref *refs, size_t nrefs, struct vb_diags *d);
/* 1 when `date` (set) is in the future: after `today` plus one day. */
int vb_check_date_future(struct vb_date date, struct vb_date today);
/* 1 when `date` is set and check finds no error in it: from 1970-01-01 to
 * `today` plus one day. */
int vb_check_date_usable(struct vb_date date, struct vb_date today);

/* What `verbatim check` asks of one knowledge base (vb_check_files). */
struct vb_check_request {
        /* the PATHs given in it, as given (from the current folder): notes,
         * folders of notes, or verbatim.yml, roadmap.yml or copy.yml (every
         * note); none and no stdin: every note */
        const char *const *paths;
        size_t npaths;
        int has_stdin;          /* '-': the note in stdin_text is checked too */
        const char *stdin_text; /* its bytes (borrowed) */
        size_t stdin_len;
        const char *stdin_name; /* --stdin-filename: the file it stands for, or NULL */
        const char *since;      /* --changed-since REV: only notes changed since */
        int from_top;           /* paths relative to the repository's top, not the root */
        struct vb_date today;   /* as vb_kb_options' today */
};

/* What vb_check_files found. */
struct vb_check_result {
        struct vb_diags findings;   /* about what was asked for, sorted */
        struct vb_diags from_stdin; /* about an unnamed note from stdin ("<stdin>") */
        size_t checked;             /* the notes checked */
        const char **skipped;       /* PATHs that are no notes (borrowed from the request) */
        size_t nskipped;
        int stdin_skipped; /* --stdin-filename names no note */
};

/* Checks the notes `req` asks for in the knowledge base of `src`, as
 * `verbatim check` does: every note is loaded with every rule (the rules
 * across notes need them all); a named note that no notes folder lists (a
 * symlink, a FIFO, a missing file) is read on its own to say why; findings
 * outside what was asked for (and, with `since`, in notes unchanged since)
 * are left out.  VB_OK, or the status of a knowledge base that cannot be
 * loaded (or a `since` that names no commit) with why in `err`.  The caller
 * releases `res` with vb_check_result_release in both cases. */
int vb_check_files(struct vb_check_result *res, struct vb_source *src,
                   const struct vb_check_request *req, struct vb_diags *err);
void vb_check_result_release(struct vb_check_result *res);

#endif
