#include "verbatim/diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void vb_diags_add(struct vb_diags *d, const char *path, unsigned line, unsigned col,
                  enum vb_severity sev, const char *rule, const char *fmt, ...)
{
        struct vb_buf msg = VB_BUF_INIT;
        va_list ap;
        va_start(ap, fmt);
        vb_buf_vaddf(&msg, fmt, ap);
        va_end(ap);
        d->v = vb_grow_array(d->v, &d->cap, d->n + 1, sizeof(*d->v));
        struct vb_diag *x = &d->v[d->n++];
        x->path = vb_strdup(path ? path : "");
        x->line = line;
        x->col = col;
        x->severity = sev;
        x->rule = rule;
        x->message = vb_buf_detach(&msg, NULL);
        if (sev == VB_SEV_ERROR)
                d->errors++;
        else if (sev == VB_SEV_WARNING)
                d->warnings++;
}

void vb_diags_move(struct vb_diags *to, struct vb_diags *from)
{
        if (!from->n)
                return;
        to->v = vb_grow_array(to->v, &to->cap, to->n + from->n, sizeof(*to->v));
        memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
        to->n += from->n;
        to->errors += from->errors;
        to->warnings += from->warnings;
        free(from->v);
        memset(from, 0, sizeof(*from));
}

static int diag_cmp(const struct vb_diag *a, const struct vb_diag *b)
{
        int c = strcmp(a->path, b->path);
        if (c)
                return c;
        if (a->line != b->line)
                return a->line < b->line ? -1 : 1;
        if (a->col != b->col)
                return a->col < b->col ? -1 : 1;
        return 0;
}

void vb_diags_sort(struct vb_diags *d)
{
        /* insertion sort by runs would be quadratic; a merge sort keeps it stable */
        if (d->n < 2)
                return;
        struct vb_diag *tmp = vb_malloc(d->n * sizeof(*tmp));
        for (size_t width = 1; width < d->n; width *= 2) {
                for (size_t lo = 0; lo < d->n; lo += 2 * width) {
                        size_t mid = lo + width < d->n ? lo + width : d->n;
                        size_t hi = lo + 2 * width < d->n ? lo + 2 * width : d->n;
                        size_t i = lo, j = mid, k = lo;
                        while (i < mid && j < hi)
                                tmp[k++] = diag_cmp(&d->v[j], &d->v[i]) < 0 ? d->v[j++] : d->v[i++];
                        while (i < mid)
                                tmp[k++] = d->v[i++];
                        while (j < hi)
                                tmp[k++] = d->v[j++];
                }
                memcpy(d->v, tmp, d->n * sizeof(*tmp));
        }
        free(tmp);
}

void vb_diags_release(struct vb_diags *d)
{
        for (size_t i = 0; i < d->n; i++) {
                free(d->v[i].path);
                free(d->v[i].message);
        }
        free(d->v);
        memset(d, 0, sizeof(*d));
}

const char *vb_severity_name(enum vb_severity sev)
{
        switch (sev) {
        case VB_SEV_ERROR:
                return "error";
        case VB_SEV_WARNING:
                return "warning";
        default:
                return "note";
        }
}

/* GitHub workflow commands need %, CR and LF escaped, and in properties also : and ,
 * (GitHub decodes only these); other control characters are written as in text. */
static void add_github_escaped(struct vb_buf *out, const char *s, int property)
{
        for (; *s; s++) {
                switch (*s) {
                case '%':
                        vb_buf_adds(out, "%25");
                        break;
                case '\r':
                        vb_buf_adds(out, "%0D");
                        break;
                case '\n':
                        vb_buf_adds(out, "%0A");
                        break;
                case ':':
                        vb_buf_adds(out, property ? "%3A" : ":");
                        break;
                case ',':
                        vb_buf_adds(out, property ? "%2C" : ",");
                        break;
                default: { /* other control characters as in text (the log is a terminal) */
                        size_t n = (unsigned char)s[0] == 0xc2 && s[1] ? 2 : 1; /* C1 */
                        vb_buf_add_visible(out, s, n);
                        s += n - 1;
                }
                }
        }
}

/* One diagnostic is one line: control characters from file names and notes
 * (a newline could forge a "::error" line that CI runners obey, an escape
 * sequence could drive the terminal) are written as \n, \r, \t or \xHH. */
static void add_text_escaped(struct vb_buf *out, const char *s)
{
        vb_buf_add_visible(out, s, strlen(s));
}

/* A tab-separated field: tab, newline, carriage return and backslash are
 * written as \t, \n, \r and \\, so that a record is one line. */
static void add_tsv_escaped(struct vb_buf *out, const char *s)
{
        for (; *s; s++) {
                if (*s == '\t')
                        vb_buf_adds(out, "\\t");
                else if (*s == '\n')
                        vb_buf_adds(out, "\\n");
                else if (*s == '\r')
                        vb_buf_adds(out, "\\r");
                else if (*s == '\\')
                        vb_buf_adds(out, "\\\\");
                else
                        vb_buf_addc(out, *s);
        }
}

static int ends_with(const char *s, const char *end)
{
        size_t n = strlen(s), m = strlen(end);
        return n >= m && !strcmp(s + n - m, end);
}

/* Where a diagnostic points, as editors take it: a finding about a whole
 * note or vocabulary file is at 1:1 (they can jump there), one about a whole
 * line at its column 1.  One about a folder, or about no file, keeps no
 * place (0:0). */
static void diag_place(const struct vb_diag *d, unsigned *line, unsigned *col)
{
        int file =
            ends_with(d->path, ".md") || ends_with(d->path, ".yml") || ends_with(d->path, ".yaml");
        *line = d->line ? d->line : (unsigned)file;
        *col = d->col && d->line ? d->col : *line ? 1 : 0;
}

void vb_diag_format(struct vb_buf *out, const struct vb_diag *d, enum vb_diag_format fmt)
{
        const char *sev = vb_severity_name(d->severity);
        unsigned line, col;
        diag_place(d, &line, &col);
        switch (fmt) {
        case VB_FORMAT_TEXT:
                if (*d->path) {
                        add_text_escaped(out, d->path);
                        if (line)
                                vb_buf_addf(out, ":%u:%u", line, col);
                        vb_buf_adds(out, ": ");
                }
                vb_buf_addf(out, "%s: ", sev);
                add_text_escaped(out, d->message);
                vb_buf_addf(out, " [%s]\n", d->rule);
                break;
        case VB_FORMAT_GITHUB:
                vb_buf_addf(out, "::%s ", d->severity == VB_SEV_NOTE ? "notice" : sev);
                vb_buf_adds(out, "file=");
                add_github_escaped(out, d->path, 1);
                if (line)
                        vb_buf_addf(out, ",line=%u,col=%u", line, col);
                vb_buf_addf(out, ",title=%s::", d->rule);
                add_github_escaped(out, d->message, 0);
                vb_buf_addc(out, '\n');
                break;
        case VB_FORMAT_TSV:
                add_tsv_escaped(out, d->path);
                vb_buf_addf(out, "\t%u\t%u\t%s\t%s\t", line, col, sev, d->rule);
                add_tsv_escaped(out, d->message);
                vb_buf_addc(out, '\n');
                break;
        default: /* json; sarif and gitlab are whole documents (vb_diags_format) */
                vb_buf_adds(out, "{\"path\":");
                vb_buf_add_json(out, d->path, strlen(d->path));
                vb_buf_addf(out,
                            ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"rule\":\"%s\","
                            "\"message\":",
                            line, col, sev, d->rule);
                vb_buf_add_json(out, d->message, strlen(d->message));
                vb_buf_addc(out, '}');
                break;
        }
}

/* What each rule of `check` looks for, for SARIF's rule descriptions. */
static const struct {
        const char *rule, *text;
} rule_texts[] = {
    {"alias", "a tag written as an alias where the key is canonical"},
    {"bad-channel", "channel: is not one of phone, video, in-person, chat"},
    {"bad-customer", "customer: is no pseudonymous id"},
    {"bad-date", "date: is not a calendar date"},
    {"bad-ltv", "ltv: is not a number"},
    {"bad-outcome", "outcome: is not one of connected, voicemail, no-answer, declined"},
    {"bad-segment", "segment: is not a key of segments: in verbatim.yml"},
    {"bad-type", "a front-matter value of the wrong type"},
    {"duplicate-id", "two notes have the same file name (id)"},
    {"follows-later", "follows: names a call that is not earlier"},
    {"follows-not-connected", "follows: names a call that was no conversation"},
    {"follows-unknown", "follows: names no note"},
    {"front-matter-missing", "the note has no front matter"},
    {"front-matter-not-yaml", "the front matter is not YAML"},
    {"front-matter-unterminated", "the front matter has no closing --- line"},
    {"future-date", "the call's date is in the future"},
    {"invalid-utf8", "the note is not valid UTF-8"},
    {"missing-key", "a required front-matter key is missing"},
    {"nul-byte", "the note holds a NUL byte"},
    {"personal-data", "an email address or phone number in a note"},
    {"unknown-roadmap-item", "roadmap: names no item of roadmap.yml"},
    {"unknown-segment", "segment: is not a key of segments: in verbatim.yml"},
    {"unknown-tag", "a tag or hashtag that is no key or alias of tags: in verbatim.yml"},
    {"yaml-syntax", "the YAML cannot be parsed"},
};

static void add_rule_text(struct vb_buf *out, const char *rule)
{
        for (size_t i = 0; i < sizeof(rule_texts) / sizeof(rule_texts[0]); i++) {
                if (!strcmp(rule_texts[i].rule, rule)) {
                        vb_buf_add_json(out, rule_texts[i].text, strlen(rule_texts[i].text));
                        return;
                }
        }
        /* a rule without a text of its own: its id in words */
        struct vb_buf words = VB_BUF_INIT;
        for (const char *s = rule; *s; s++)
                vb_buf_addc(&words, *s == '-' ? ' ' : *s);
        vb_buf_add_json(out, words.ptr ? words.ptr : "", words.len);
        vb_buf_release(&words);
}

/* A relative path as a URI reference: bytes outside RFC 3986's unreserved
 * set and '/' percent-encoded (a space, '#', '?', ':' or a non-ASCII letter
 * would otherwise change what the URI means). */
static void add_uri(struct vb_buf *out, const char *path)
{
        for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
                if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                    (*s >= '0' && *s <= '9') || strchr("-._~/", *s))
                        vb_buf_addc(out, (char)*s);
                else
                        vb_buf_addf(out, "%%%02X", *s);
        }
}

/* The rules that findings name, each once, in order of first use. */
static size_t rules_used(const struct vb_diags *d, const char **rules)
{
        size_t n = 0;
        for (size_t i = 0; i < d->n; i++) {
                size_t k = 0;
                while (k < n && strcmp(rules[k], d->v[i].rule))
                        k++;
                if (k == n)
                        rules[n++] = d->v[i].rule;
        }
        return n;
}

static void add_sarif(struct vb_buf *out, const struct vb_diags *d, const char *version)
{
        const char **rules = vb_calloc(d->n + 1, sizeof(*rules));
        size_t nrules = rules_used(d, rules);

        vb_buf_adds(out, "{\n \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                         " \"version\": \"2.1.0\",\n \"runs\": [{\n  \"tool\": {\"driver\": {"
                         "\"name\": \"verbatim\", \"version\": ");
        vb_buf_add_json(out, version, strlen(version));
        vb_buf_adds(out, ", \"rules\": [");
        for (size_t i = 0; i < nrules; i++) {
                vb_buf_adds(out, i ? ",\n   " : "\n   ");
                vb_buf_addf(out, "{\"id\": \"%s\", \"shortDescription\": {\"text\": ", rules[i]);
                add_rule_text(out, rules[i]);
                vb_buf_adds(out, "}}");
        }
        vb_buf_adds(out, nrules ? "\n  ]}},\n" : "]}},\n");
        /* columns count characters (code points), as verbatim's do */
        vb_buf_adds(out, "  \"columnKind\": \"unicodeCodePoints\",\n  \"results\": [");
        for (size_t i = 0; i < d->n; i++) {
                const struct vb_diag *x = &d->v[i];
                unsigned line, col;
                size_t rule = 0;
                while (strcmp(rules[rule], x->rule))
                        rule++;
                diag_place(x, &line, &col);
                vb_buf_adds(out, i ? ",\n   " : "\n   ");
                vb_buf_addf(out,
                            "{\"ruleId\": \"%s\", \"ruleIndex\": %zu, \"level\": \"%s\", "
                            "\"message\": {\"text\": ",
                            x->rule, rule, vb_severity_name(x->severity));
                vb_buf_add_json(out, x->message, strlen(x->message));
                vb_buf_addc(out, '}');
                if (*x->path) {
                        vb_buf_adds(out, ", \"locations\": [{\"physicalLocation\": "
                                         "{\"artifactLocation\": {\"uri\": \"");
                        add_uri(out, x->path);
                        vb_buf_addf(out,
                                    "\"}, \"region\": {\"startLine\": %u, \"startColumn\": %u}}}]",
                                    line, col);
                }
                vb_buf_addc(out, '}');
        }
        vb_buf_adds(out, d->n ? "\n  ]\n }]\n}\n" : "]\n }]\n}\n");
        free(rules);
}

/* FNV-1a, 64 bits, from `seed`: two of them make a fingerprint that stays
 * the same from run to run (GitLab matches findings across pipelines by it). */
static uint64_t fnv1a(uint64_t h, const char *s)
{
        for (; *s; s++) {
                h ^= (unsigned char)*s;
                h *= 0x100000001b3ULL;
        }
        return h ^ 0xff; /* a field separator: "ab"+"c" differs from "a"+"bc" */
}

static void add_gitlab(struct vb_buf *out, const struct vb_diags *d)
{
        vb_buf_addc(out, '[');
        for (size_t i = 0; i < d->n; i++) {
                const struct vb_diag *x = &d->v[i];
                uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
                unsigned line, col;
                diag_place(x, &line, &col);
                h1 = fnv1a(fnv1a(fnv1a(h1, x->path), x->rule), x->message);
                h2 = fnv1a(fnv1a(fnv1a(h2, x->message), x->rule), x->path);
                vb_buf_adds(out, i ? ",\n {\"description\": " : "\n {\"description\": ");
                vb_buf_add_json(out, x->message, strlen(x->message));
                vb_buf_addf(out,
                            ", \"check_name\": \"%s\", \"fingerprint\": \"%016llx%016llx\", "
                            "\"severity\": \"%s\", \"location\": {\"path\": ",
                            x->rule, (unsigned long long)h1, (unsigned long long)h2,
                            x->severity == VB_SEV_ERROR     ? "major"
                            : x->severity == VB_SEV_WARNING ? "minor"
                                                            : "info");
                vb_buf_add_json(out, x->path, strlen(x->path));
                vb_buf_addf(out, ", \"lines\": {\"begin\": %u}}}", line ? line : 1);
        }
        vb_buf_adds(out, d->n ? "\n]\n" : "]\n");
}

void vb_diags_format(struct vb_buf *out, const struct vb_diags *d, enum vb_diag_format fmt,
                     const char *version)
{
        switch (fmt) {
        case VB_FORMAT_SARIF:
                add_sarif(out, d, version);
                return;
        case VB_FORMAT_GITLAB:
                add_gitlab(out, d);
                return;
        case VB_FORMAT_JSON:
                vb_buf_addc(out, '[');
                for (size_t i = 0; i < d->n; i++) {
                        vb_buf_adds(out, i ? ",\n " : "\n ");
                        vb_diag_format(out, &d->v[i], fmt);
                }
                vb_buf_adds(out, d->n ? "\n]\n" : "]\n");
                return;
        default:
                for (size_t i = 0; i < d->n; i++)
                        vb_diag_format(out, &d->v[i], fmt);
                return;
        }
}

size_t vb_edit_distance(const char *a, const char *b, size_t max)
{
        size_t la = strlen(a), lb = strlen(b);
        if ((la > lb ? la - lb : lb - la) > max || la > 256 || lb > 256)
                return max + 1;
        size_t row[257];
        for (size_t j = 0; j <= lb; j++)
                row[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t diag = row[0], best;
                row[0] = i;
                best = row[0];
                for (size_t j = 1; j <= lb; j++) {
                        size_t up = row[j];
                        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
                        size_t v = diag + cost;
                        if (up + 1 < v)
                                v = up + 1;
                        if (row[j - 1] + 1 < v)
                                v = row[j - 1] + 1;
                        row[j] = v;
                        diag = up;
                        if (v < best)
                                best = v;
                }
                if (best > max)
                        return max + 1;
        }
        return row[lb] > max ? max + 1 : row[lb];
}
