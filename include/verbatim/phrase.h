/* The phrase index: the customers' own words, counted.
 *
 * Input: one record per note (struct vb_pnote) with its quotes and what the
 * index needs of the note; the index can be rebuilt from cached records
 * without parsing notes again (vb_pnotes_find_oid).
 *
 * Words (vb_phrase_tokenize).  A word is a maximal run of letters, marks and
 * numbers (Unicode general categories L, M and N, from utf8proc): not
 * punctuation, a symbol, a space or an emoji.  Words are case-folded and in
 * normalization form C (vb_utf8_fold_nfc); accents are kept ("ÉTÉ" is "été",
 * "QUÁ CHẬM" is "quá chậm", a decomposed "e" + U+0301 is "é").  Inside a word:
 *   - apostrophes (' U+2018 U+2019) between two letters or digits are dropped:
 *     "wasn't" is "wasnt";
 *   - a hyphen (- U+2010 U+2011) between two letters is kept: "t-shirt" is one
 *     word; elsewhere a hyphen separates words ("covid-19" is "covid" "19");
 *   - a '.' or ',' between two digits is kept: "3.5", "1,000".
 * Han, Hiragana and Katakana characters (scripts written without spaces) are
 * one word each: "尺码偏小" is four words.  Hangul is written with spaces and
 * is an ordinary letter.  Quotation marks of every kind (" “ ” „ « » ‹ ›),
 * dashes, slashes, brackets and other punctuation separate words.
 * Sentence punctuation ( . , ; : ! ? … and 。 、 ， ！ ？ ： ； ．) separates
 * words and also ends a run: no phrase crosses it.
 *
 * Phrases.  A phrase is a run of 2 to 6 words of one quote within one run.
 * Its text is its words joined by one space.  A phrase must not start or end
 * with a stop word (so it is never made only of stop words): "wide feet" and
 * "size would fit" are phrases, "the size" and "sure about" are not.  The
 * stop words are the English function words listed in phrase.c (articles,
 * pronouns, auxiliaries, prepositions, conjunctions); negations (not, no,
 * never, dont, didnt, wasnt ...) are not stop words, because they carry the
 * meaning ("didnt fit").  A phrase is recurring when it occurs in at least 2
 * distinct notes.  It is kept only if it is maximal: a recurring phrase
 * contained in a longer recurring phrase that occurs in the same notes is
 * dropped.  An occurrence is a quote that contains the phrase (a phrase
 * repeated within one quote is one occurrence).  Its surface form is what
 * people see: the bytes of its words in a quote, from the first word's start
 * to the last word's end, each run of white space made one space; the form
 * of most occurrences, a tie going to the smallest bytes.
 *
 * Clusters of similar quotes.  Two quotes are similar when their content
 * token sets (the distinct words that are not stop words) have a Jaccard
 * index of at least 2/3 (|A ∩ B| * 3 >= |A ∪ B| * 2, vb_phrase_similar);
 * identical sets (and so identical quotes) are always similar.  At 1/2 a
 * filler word and a way of speaking were enough to merge two complaints
 * ("honestly, I couldn't tell if it would fit" and "honestly, I couldn't tell
 * if it does what I need"); at 2/3 the clusters of generated corpora (make
 * eval) are pure.  Two quotes that share a recurring phrase (above) of at
 * least VB_PHRASE_CLUSTER_MIN_WORDS (3) words, as many of them content words,
 * are similar too, however different the rest of their words, unless more than
 * VB_PHRASE_CLUSTER_PHRASE_CAP quotes share that phrase: a phrase that common
 * ("i wasnt sure") is a way of speaking, not one problem, and linking all its
 * quotes would merge unrelated clusters (and cost quadratic time).
 * Similarity is closed transitively (union-find) and a cluster is a group of
 * at least 2 quotes.  Candidate
 * pairs come from an inverted index over the rarest words of each distinct
 * token set (prefix filtering, exact for this threshold), except that a word
 * that opens the prefix of more than VB_PHRASE_CLUSTER_CAP distinct sets
 * proposes no candidates (it is too common to tell problems apart).
 * A cluster's representative quote is the member with the highest total
 * similarity to the other members (the sum of Jaccard indexes over the
 * similar pairs found, plus 1/2 for each other quote that shares one of its
 * linking phrases), ties broken by quote text, then note id, then
 * position.  Quotes without content words join no cluster.  Clusters are
 * ordered by size desc, distinct notes desc, representative text asc.
 *
 * Top phrases (vb_phrase_top) are ordered by notes desc, then number of words
 * desc, then text asc (byte order).
 *
 * The index file (phrase_file.c).  A UTF-8 text file of lines ending in
 * '\n'; fields separated by TAB; in text fields TAB, newline, carriage
 * return and backslash are written \t \n \r \\.  Dates are YYYY-MM-DD or
 * empty; a reference to a quote is NOTE:QUOTE, 0-based indexes in the file's
 * note order and the note's quote order.
 *
 *   verbatim-index 4
 *   toc NOTES PHRASES CLUSTERS WORDS CACHE OFFSETS   (byte offsets of the
 *                                                    section lines, as OFFSET)
 *   notes N
 *   note ID PATH OID DATE SEGMENT TIER FOLLOWS FLINE FCOL ERRORS NTHEMES THEME...
 *        NPRODUCTS (PRODUCT LINE)... NQUOTES                  (N times,
 *   quote LINE NTHEMES THEME... TEXT                           sorted by id,
 *                                                               then path)
 *   phrases N
 *   phrase KEY SURFACE NOTES FIRST LAST NSEG (SEG N)... NTHEME (THEME N)...
 *          NOCC REF...                                        (N times, in
 *                                                               top order)
 *   clusters N
 *   cluster SIZE NOTES REP REF...                             (N times)
 *   words N
 *   word WORD NREFS REF...                                    (N times, in
 *                                                               byte order)
 *   cache VOCAB N
 *   skip OID DATE FOLLOWS FLINE FCOL                          (N times,
 *                                                               by OID)
 *   offsets NNOTES NWORDS
 *   OFFSET                          (NNOTES + NWORDS times: the byte offset
 *   end                              of each note, then each word line)
 *
 * TIER is the note's LTV tier label (vb_vocab_ltv_tier: "unknown" without
 * ltv:); each PRODUCT is an id of its products: as written, LINE its product
 * line in verbatim.yml's products: catalog (empty when it has none), so that
 * phrases filters by tier, product and line without the notes (format 3).
 * FOLLOWS is the note's follows: (empty when none), FLINE and FCOL where it
 * is written (0 when none): with the dates, what the rules across notes
 * need of a note reused by a rebuild (format 4; an index of an older format
 * is refused with `old-index`).
 *
 * ERRORS is the number of errors the note had when it was indexed (a cache
 * never reuses a note with errors, so that they are reported again).  The
 * cache line holds what a rebuild needs to reuse records: VOCAB, the content
 * id of the vocabulary the themes were resolved with (40 zeros when none),
 * and the notes that were read but are not in the index (calls that were no
 * conversation, without errors): content id, date and follows.
 *
 * An OFFSET is 12 hexadecimal digits written with the letters a-p (a = 0,
 * p = 15), most significant first: fixed width, and no run of decimal digits
 * that could read as personal data.
 *
 * SURFACE is the phrase as customers wrote it (its words are KEY); the SEG
 * and THEME counts are the phrase's notes per segment and per quote theme
 * (vb_phrase_counts without a filter); the words are every normalized word
 * of the quotes with the quotes that hold it.  The table of contents, the
 * words and the offsets let a query use the file in place
 * (vb_phrase_index_open) without reading it whole.
 *
 * OID is 40 lower-case hex digits; an absent segment is an empty field.
 * NOTES, FIRST, LAST, the counts and the words are derived from the
 * references and quotes and are checked when the file is read whole.  The
 * same notes always give the same bytes. */
#ifndef VERBATIM_PHRASE_H
#define VERBATIM_PHRASE_H

#include "verbatim/buf.h"
#include "verbatim/date.h"
#include "verbatim/diag.h"

#include <stddef.h>
#include <stdint.h>

struct vb_note;
struct vb_vocab;

enum {
        VB_PHRASE_MIN_WORDS = 2,
        VB_PHRASE_MAX_WORDS = 6,
        VB_PHRASE_CLUSTER_CAP = 500,
        VB_PHRASE_CLUSTER_MIN_WORDS = 3,
        VB_PHRASE_CLUSTER_PHRASE_CAP = 50,
};

/* One quote of a note: its text (hashtags and quotation marks removed), its
 * line and its themes (its own hashtags' themes, or else the note's). */
struct vb_pquote {
        char *text;
        unsigned line;
        unsigned char borrowed; /* 1: text and theme strings are borrowed (the array is owned) */
        char **themes;
        size_t nthemes;
};

/* What the phrase index keeps of one note.  Every string is owned, unless the
 * record was made by vb_pnote_new_borrowing (then the strings are borrowed and
 * only the arrays are owned). */
struct vb_pnote {
        char *id, *path;
        unsigned char oid[20]; /* content id of the note file (the cache key) */
        struct vb_date date;   /* all 0 when absent */
        char *segment;         /* NULL when absent */
        char **themes;
        size_t nthemes;
        struct vb_pquote *quotes;
        size_t nquotes;
        unsigned errors; /* errors the note had when it was indexed */
        char *tier;      /* LTV tier label ("unknown" without ltv:); NULL when not known */
        char *follows;   /* its follows: (NULL when none), for the rules across notes */
        unsigned follows_line, follows_col;
        char **products; /* the note's products: ids, as written */
        char **lines;    /* the product line of each ("" when the catalog has none) */
        size_t nproducts;
        unsigned char borrowed; /* 1: made by vb_pnote_new_borrowing or vb_pnote_new_block */
        unsigned char block;    /* 1: made by vb_pnote_new_block (one allocation) */
};

/* A vector of owned note records, with a hash table by oid. */
struct vb_pnotes {
        struct vb_pnote **v;
        size_t n, cap;
        struct vb_pnote **slots; /* open addressing by oid; NULL when empty */
        size_t nslots;
};

#define VB_PNOTES_INIT                                                                             \
        {                                                                                          \
                0, 0, 0, 0, 0                                                                      \
        }

/* The segment a note's record carries: NULL when the note has none, its
 * value when it is a segment of `v` (or `v` lists none), else "unknown" (as
 * the report files it).  Borrowed from the note, or static. */
const char *vb_phrase_segment(const struct vb_vocab *v, const struct vb_note *n);

/* A new note record with copies of the strings (segment NULL or "" means
 * absent); the caller frees it with vb_pnote_free or hands it to a vector. */
struct vb_pnote *vb_pnote_new(const char *id, const char *path, const unsigned char oid[20],
                              struct vb_date date, const char *segment);
/* A new note record that borrows its strings instead of copying them: id,
 * path, segment, and every theme and quote text added later (with the
 * functions below) must outlive the record, which owns only its arrays.  For
 * a caller whose notes live longer than the index (the report).  Freed like
 * any record. */
struct vb_pnote *vb_pnote_new_borrowing(const char *id, const char *path,
                                        const unsigned char oid[20], struct vb_date date,
                                        const char *segment);
/* A quote for vb_pnote_new_block: its text, line and themes. */
struct vb_pquote_in {
        const char *text;
        unsigned line;
        const char *const *themes;
        size_t nthemes;
};
/* A borrowing record (as vb_pnote_new_borrowing) made whole at once, its
 * themes and quotes given, in one allocation: for a caller that makes
 * thousands (the report).  It cannot grow: the add functions below must not
 * be called on it.  Freed like any record. */
struct vb_pnote *vb_pnote_new_block(const char *id, const char *path, struct vb_date date,
                                    const char *segment, const char *const *themes, size_t nthemes,
                                    const struct vb_pquote_in *quotes, size_t nquotes);
/* Adds `theme` to the note's themes (a copy, or the pointer when borrowing). */
void vb_pnote_add_theme(struct vb_pnote *n, const char *theme);
/* Sets the note's LTV tier label (NULL: not known); copied unless borrowing. */
void vb_pnote_set_tier(struct vb_pnote *n, const char *tier);
/* Sets the note's follows: and where it is written (NULL or "": none);
 * copied unless borrowing. */
void vb_pnote_set_follows(struct vb_pnote *n, const char *follows, unsigned line, unsigned col);
/* Adds a product id of the note and its product line (NULL or "": none);
 * copies, or the pointers when borrowing. */
void vb_pnote_add_product(struct vb_pnote *n, const char *id, const char *line);
/* Appends a quote (`text` copied, or the pointer when borrowing); the result
 * is borrowed from `n` and valid until the next vb_pnote_add_quote. */
struct vb_pquote *vb_pnote_add_quote(struct vb_pnote *n, const char *text, unsigned line);
/* Adds `theme` to the quote's themes (a copy, or the pointer when the quote's
 * note is borrowing). */
void vb_pquote_add_theme(struct vb_pquote *q, const char *theme);
/* A deep copy of `n` that owns its strings (even when `n` borrows), owned by
 * the caller. */
struct vb_pnote *vb_pnote_clone(const struct vb_pnote *n);
void vb_pnote_free(struct vb_pnote *n);

/* Appends `n` to `v`, which takes ownership. */
void vb_pnotes_add(struct vb_pnotes *v, struct vb_pnote *n);
/* The record whose oid is `oid` (the first added when several are), or NULL;
 * borrowed from `v`.  A hash lookup; safe to call from several threads while
 * nobody adds. */
const struct vb_pnote *vb_pnotes_find_oid(const struct vb_pnotes *v, const unsigned char oid[20]);
/* Frees every record and leaves `v` empty. */
void vb_pnotes_release(struct vb_pnotes *v);

/* Words of a text (see the top of this header). */
struct vb_ptoken {
        size_t start, end; /* bytes of the word in the text */
        size_t norm, nlen; /* the normalized word: tokens->norm.ptr + norm, nlen bytes */
        int brk;           /* sentence punctuation comes before this word (in the text) */
};

struct vb_ptokens {
        struct vb_ptoken *v;
        size_t n, cap;
        struct vb_buf norm; /* normalized words, each followed by a NUL */
};

#define VB_PTOKENS_INIT                                                                            \
        {                                                                                          \
                0, 0, 0, VB_BUF_INIT                                                               \
        }

/* Splits `text` into normalized words, replacing what `out` held. */
void vb_phrase_tokenize(struct vb_ptokens *out, const char *text, size_t len);
void vb_ptokens_release(struct vb_ptokens *t);
/* Appends the normalized words of `text` joined by one space, and " | " where
 * sentence punctuation ends a run (for tests and debugging). */
void vb_phrase_normalize(struct vb_buf *out, const char *text, size_t len);
/* Appends " " + the normalized words of `text` + " ": a quote says a
 * phrase's words, whole and in order, when its padded form contains the
 * phrase's (strstr); how copy.yml's phrases are found in quotes. */
void vb_phrase_padded(struct vb_buf *out, const char *text);
/* Appends a phrase's text (its words joined by one space) as it is written:
 * without the space between two characters of the scripts written without
 * spaces (Han, Hiragana, Katakana), so that "尺 码 偏 小" shows as "尺码偏小"
 * and "size 偏 小" as "size 偏小".  For people (pages, the text table); the
 * text with its spaces stays the phrase's key (index file, JSON, TSV). */
void vb_phrase_display(struct vb_buf *out, const char *text);
/* 1 if two sets of content words with `common` words in common and `all`
 * distinct words in all say the same thing: a Jaccard index of at least 2/3
 * (clusters of quotes, groups of jobs). */
int vb_phrase_similar(size_t common, size_t all);
/* 1 if the normalized word is a stop word. */
int vb_phrase_is_stop_word(const char *word, size_t len);

/* A quote of the index: index of the note (in index->notes) and of the quote
 * in that note. */
struct vb_phrase_ref {
        uint32_t note, quote;
};

struct vb_phrase_counts;

struct vb_phrase {
        char *text;    /* normalized words joined by one space (the key); owned */
        char *surface; /* its most frequent form as written; owned */
        unsigned nwords;
        size_t nnotes;              /* distinct notes */
        struct vb_date first, last; /* of the dated notes; 0 when none */
        struct vb_phrase_ref *occ;  /* every quote containing it, in note order; owned */
        size_t nocc;
        /* read in place (vb_phrase_index_read_phrases): occ is NULL (nocc is
         * still the number of quotes) and stored[VB_PHRASE_BY_SEGMENT] and
         * stored[VB_PHRASE_BY_THEME] are its counts as the file holds them;
         * owned.  NULL otherwise. */
        struct vb_phrase_counts *stored;
};

struct vb_cluster {
        struct vb_phrase_ref rep;      /* the representative quote */
        struct vb_phrase_ref *members; /* in note order; owned */
        size_t nmembers;
        size_t nnotes; /* distinct notes */
};

struct vb_phrase_words;    /* private: the search index */
struct vb_phrase_view;     /* private: an index file used in place */
struct vb_phrase_by_theme; /* private: the top phrases of every theme */

struct vb_phrase_index {
        struct vb_pnotes notes;    /* sorted by id, then path */
        struct vb_phrase *phrases; /* in top order */
        size_t nphrases;
        struct vb_cluster *clusters;
        size_t nclusters;
        struct vb_phrase_words *words;       /* NULL: no search index (VB_PHRASE_NO_SEARCH) */
        struct vb_phrase_by_theme *by_theme; /* NULL until vb_phrase_top_theme */
        struct vb_phrase_view *view;         /* non-NULL: opened by vb_phrase_index_open */
        /* the cache (see the file format): set by whoever builds the index */
        unsigned char vocab_oid[20];
        /* the notes read that are no conversation, as records with what a
         * rebuild needs to check them across notes: oid, date, follows (no
         * id, path, themes or quotes); by oid, distinct */
        struct vb_pnotes skipped;
};

#define VB_PHRASE_INDEX_INIT                                                                       \
        {                                                                                          \
                VB_PNOTES_INIT, 0, 0, 0, 0, 0, 0, 0, {0}, VB_PNOTES_INIT                           \
        }

/* Builds the index of `notes`, whose records move into `out` (`notes` is left
 * empty).  The caller frees `out` with vb_phrase_index_release. */
int vb_phrase_index_build(struct vb_phrase_index *out, struct vb_pnotes *notes);

/* Flags of vb_phrase_index_build_flags. */
enum {
        /* no search index: the words are freed once the phrases and clusters
         * are found (out->words is NULL; vb_phrase_search and
         * vb_phrase_complete then read every quote, until
         * vb_phrase_index_prepare builds it) */
        VB_PHRASE_NO_SEARCH = 1,
};

/* vb_phrase_index_build with flags (0 is vb_phrase_index_build): the same
 * phrases and clusters whatever the flags. */
int vb_phrase_index_build_flags(struct vb_phrase_index *out, struct vb_pnotes *notes,
                                unsigned flags);
void vb_phrase_index_release(struct vb_phrase_index *ix);
/* Sets the skipped notes of `ix` to those of `v` (which is left empty),
 * sorted by oid, one per oid. */
void vb_phrase_index_set_skipped(struct vb_phrase_index *ix, struct vb_pnotes *v);
/* The skipped note whose content id is `oid`, or NULL; borrowed. */
const struct vb_pnote *vb_phrase_index_skipped(const struct vb_phrase_index *ix,
                                               const unsigned char oid[20]);
/* Builds the search index (word -> quotes) of `ix` if it has none (nor is
 * opened in place); vb_phrase_index_build does.  Without it a search reads
 * every quote (the same hits, more slowly). */
void vb_phrase_index_prepare(struct vb_phrase_index *ix);

/* Appends the index file to `out` (format above); the caller writes it. */
void vb_phrase_index_write(struct vb_buf *out, const struct vb_phrase_index *ix);
/* Reads an index file whole, checking everything derived (counts, dates,
 * words, offsets); on damage returns VB_ERR with a `damaged-index`
 * diagnostic at `path` (`old-index` for a file of format 1) and leaves `out`
 * empty.  The caller frees `out` with vb_phrase_index_release. */
int vb_phrase_index_read(struct vb_phrase_index *out, const char *buf, size_t len, const char *path,
                         struct vb_diags *d);

/* Reads only the notes and the cache line of an index file (what a rebuild
 * reuses), each note checked as vb_phrase_index_read does; the phrases,
 * clusters and words are not read (nor checked): `out` has none.  For a file
 * known to be the one written (the file cache's owner).  VB_OK, or VB_ERR
 * as vb_phrase_index_read. */
int vb_phrase_index_read_notes(struct vb_phrase_index *out, const char *buf, size_t len,
                               const char *path, struct vb_diags *d);

/* Opens the index file buf[0..len) for queries in place, reading only what
 * they touch: the header is checked now; a note is read (and checked) when a
 * query first needs it, a word's quotes by binary search in the file's sorted
 * word table.  `out` has notes.n notes, whose notes.v[i] are NULL until read
 * (use vb_phrase_index_note), and no phrases or clusters: it serves
 * vb_phrase_search and vb_phrase_complete.  `buf` is borrowed and must outlive
 * `out`.  On damage found now: VB_ERR with a diagnostic at `path`, `out`
 * empty; damage found later is reported by vb_phrase_index_damaged.  The
 * caller frees `out` with vb_phrase_index_release. */
int vb_phrase_index_open(struct vb_phrase_index *out, const char *buf, size_t len, const char *path,
                         struct vb_diags *d);
/* Reads the phrases of an index opened in place (for the unfiltered top
 * table): each phrase's text, counts and dates, and its notes per segment and
 * per theme as stored in the file, without its quotes.  Then vb_phrase_top
 * and vb_phrase_counts answer without a filter only (a filter needs the
 * index read whole).  VB_OK, or VB_ERR with a diagnostic at `path`. */
int vb_phrase_index_read_phrases(struct vb_phrase_index *ix, const char *path, struct vb_diags *d);
/* VB_OK, or VB_ERR with a `damaged-index` diagnostic at `path` when a part of
 * an opened index file read by a query was damaged (that query's results are
 * then incomplete). */
int vb_phrase_index_damaged(const struct vb_phrase_index *ix, const char *path, struct vb_diags *d);
/* Note `i` of `ix` (read on first use when opened in place); NULL when the
 * file is damaged there.  Borrowed from `ix`. */
const struct vb_pnote *vb_phrase_index_note(const struct vb_phrase_index *ix, uint32_t i);

/* Which notes and quotes count: NULL or unset fields match everything.  Dates
 * are inclusive; a note without a date fails a since or until filter. */
struct vb_phrase_filter {
        const char *segment;
        const char *theme; /* a quote matches when it has this theme */
        struct vb_date since, until;
        /* as stats' (vb_agg_note_matches): the note's LTV tier label, and one
         * of its products that is `product` (when set) and of the line
         * `line` (when set) */
        const char *tier, *product, *line;
};

/* 1 if the quote `r` of `ix` passes `f` (NULL passes everything). */
int vb_phrase_filter_match(const struct vb_phrase_index *ix, struct vb_phrase_ref r,
                           const struct vb_phrase_filter *f);

/* A phrase recounted over the occurrences that pass a filter. */
struct vb_phrase_top {
        const struct vb_phrase *phrase; /* borrowed from the index */
        size_t nnotes;
        size_t nocc;
        struct vb_date first, last;
};

struct vb_phrase_tops {
        struct vb_phrase_top *v;
        size_t n, cap;
};

#define VB_PHRASE_TOPS_INIT                                                                        \
        {                                                                                          \
                0, 0, 0                                                                            \
        }

/* The phrases that still occur in at least 2 notes under `f`, in top order
 * (notes desc, words desc, text asc).  Maximality is that of the whole index.
 * The caller frees `out->v` with free(). */
void vb_phrase_top(struct vb_phrase_tops *out, const struct vb_phrase_index *ix,
                   const struct vb_phrase_filter *f);

/* vb_phrase_top with the filter {.theme = theme} (same phrases, counts and
 * order), for a caller that asks for many themes: the first call counts, in
 * one pass over the occurrences, every phrase's notes per theme of the quotes
 * it occurs in, and keeps the lists of every theme in `ix` until
 * vb_phrase_index_release (so that call must not race with other users of
 * `ix`).  The result is borrowed from `ix`; a theme of no quote gives an empty
 * list. */
const struct vb_phrase_tops *vb_phrase_top_theme(struct vb_phrase_index *ix, const char *theme);

/* Notes of a phrase per segment or per theme. */
struct vb_phrase_count {
        const char *key; /* borrowed from the index */
        size_t nnotes;
};

struct vb_phrase_counts {
        struct vb_phrase_count *v;
        size_t n, cap;
};

enum vb_phrase_by { VB_PHRASE_BY_SEGMENT, VB_PHRASE_BY_THEME };

/* Counts the distinct notes in which `p` occurs (under `f`) per segment (notes
 * without a segment are left out) or per theme of the quotes it occurs in;
 * ordered by notes desc, key asc.  The caller frees `out->v` with free(). */
void vb_phrase_counts(struct vb_phrase_counts *out, const struct vb_phrase_index *ix,
                      const struct vb_phrase *p, const struct vb_phrase_filter *f,
                      enum vb_phrase_by by);

/* Bytes of a quote's text. */
struct vb_phrase_span {
        size_t start, end;
};

/* A quote found by vb_phrase_search. */
struct vb_phrase_hit {
        struct vb_phrase_ref ref;
        const struct vb_pnote *note;   /* borrowed: id, path, date, segment */
        const struct vb_pquote *quote; /* borrowed: text, line */
        size_t start, end;             /* bytes of the match in quote->text */
        size_t span, nspans;           /* hits->spans[span..span+nspans): every matched word */
};

struct vb_phrase_hits {
        struct vb_phrase_hit *v;
        size_t n, cap;
        struct vb_phrase_span *spans; /* ascending and disjoint within a hit */
        size_t nspans, spancap;
};

#define VB_PHRASE_HITS_INIT                                                                        \
        {                                                                                          \
                0, 0, 0, 0, 0, 0                                                                   \
        }

/* Finds the quotes that contain every word of `query` (in any order) and every
 * "exact phrase" of it (contiguous words within a run), compared as
 * normalized words, and pass `f`.  The match is the first exact phrase, or
 * else the leftmost query word; the spans are every occurrence of every query
 * word and exact phrase in the quote (overlapping ones merged).  Hits are
 * ordered by note date, note id, quote position.  A query without words is
 * VB_ERR with a diagnostic.  The caller frees `out` with
 * vb_phrase_hits_release. */
int vb_phrase_search(struct vb_phrase_hits *out, const struct vb_phrase_index *ix,
                     const char *query, const struct vb_phrase_filter *f, struct vb_diags *d);
void vb_phrase_hits_release(struct vb_phrase_hits *h);

/* How customers go on after some words: a continuation of 1 to
 * VB_PHRASE_NEXT_WORDS words that follows them in one run of a quote. */
enum { VB_PHRASE_NEXT_WORDS = 4, VB_PHRASE_START_WORDS = 3 };

struct vb_phrase_next {
        char *text;    /* normalized words joined by one space; owned */
        char *surface; /* its most frequent form as written (ties: smallest bytes); owned */
        unsigned nwords;
        size_t nnotes, nocc;          /* distinct notes; quotes */
        struct vb_phrase_ref example; /* the first quote (in note order) that says it */
};

struct vb_phrase_nexts {
        struct vb_phrase_next *v;
        size_t n, cap;
};

#define VB_PHRASE_NEXTS_INIT                                                                       \
        {                                                                                          \
                0, 0, 0                                                                            \
        }

/* The continuations of `prefix` (its words, contiguous within a run, compared
 * as normalized words) in the quotes that pass `f`: for each quote, the 1 to
 * VB_PHRASE_NEXT_WORDS words after each occurrence of the prefix, up to the
 * end of the run.  Kept only when maximal (a continuation followed in every
 * one of its notes by the same next word is dropped for the longer one, as
 * phrases are); ordered by notes desc, words desc, text asc.  A prefix
 * without words is VB_ERR with a diagnostic.  The caller frees `out` with
 * vb_phrase_nexts_release. */
int vb_phrase_complete(struct vb_phrase_nexts *out, const struct vb_phrase_index *ix,
                       const char *prefix, const struct vb_phrase_filter *f, struct vb_diags *d);
void vb_phrase_nexts_release(struct vb_phrase_nexts *v);

/* A sentence start of a theme's quotes: the first VB_PHRASE_START_WORDS words
 * of a run that goes on, and how it most often goes on. */
struct vb_phrase_start {
        char *text, *surface;       /* as in struct vb_phrase_next; owned */
        size_t nnotes;              /* notes in which a quote of the theme starts so */
        struct vb_phrase_next next; /* its most frequent maximal continuation */
};

struct vb_phrase_starts {
        struct vb_phrase_start *v;
        size_t n, cap;
};

#define VB_PHRASE_STARTS_INIT                                                                      \
        {                                                                                          \
                0, 0, 0                                                                            \
        }

/* The most predictable sentence starts of the quotes of `theme` (every quote
 * when NULL): starts said in at least 2 notes whose most frequent
 * continuation is said in at least 2 of them, ordered by that continuation's
 * notes desc, then the start's notes desc, then text asc; at most `max`.
 * The caller frees `out` with vb_phrase_starts_release. */
void vb_phrase_starts(struct vb_phrase_starts *out, const struct vb_phrase_index *ix,
                      const char *theme, size_t max);
void vb_phrase_starts_release(struct vb_phrase_starts *v);

/* The JSON of verbatim phrases --format=json (src/phrase_json.c), appended
 * to `out`: the first `n` top phrases, with their segments and themes under
 * the filter `f`; */
void vb_phrase_tops_json(struct vb_buf *out, const struct vb_phrase_index *ix,
                         const struct vb_phrase_tops *tops, size_t n,
                         const struct vb_phrase_filter *f);
/* the hits from..to of the first `n` (an array begun at 0 and closed at `n`,
 * so that a long answer is written in parts); */
void vb_phrase_hits_json(struct vb_buf *out, const struct vb_phrase_hits *hits, size_t from,
                         size_t to, size_t n);
/* the first `n` continuations of --complete, each with its example quote. */
void vb_phrase_nexts_json(struct vb_buf *out, const struct vb_phrase_index *ix,
                          const struct vb_phrase_nexts *nx, size_t n);

#endif
