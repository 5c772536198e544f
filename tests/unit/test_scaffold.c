/* Scaffolding: embedded files, new note paths, template filling, YAML
 * quoting, files created once, the hook script. */
#include "t.h"
#include "verbatim/scaffold.h"
#include "verbatim/version.h"
#include "verbatim/vocab.h"
#include "verbatim/yaml.h"

#include <stdlib.h>
#include <unistd.h>

static int read_source(const char *path, struct vb_buf *out)
{
        FILE *f = fopen(path, "rb");
        char chunk[4096];
        size_t n;
        if (!f)
                return -1;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                vb_buf_add(out, chunk, n);
        fclose(f);
        return 0;
}

/* src/templates.c is generated from notes-template/: they must not drift. */
static void embedded_match_sources(void)
{
        struct vb_buf b = VB_BUF_INIT;
        const struct vb_embedded *lists[] = {vb_bundled_templates, vb_init_files};
        size_t counts[] = {vb_nbundled_templates, vb_ninit_files};
        T_INT(vb_nbundled_templates, 5);
        T_INT(vb_ninit_files, 7);
        for (size_t l = 0; l < 2; l++) {
                for (size_t i = 0; i < counts[l]; i++) {
                        vb_buf_reset(&b);
                        if (read_source(lists[l][i].source, &b) != 0) {
                                T_FAIL("cannot read %s (run from the top of the tree)",
                                       lists[l][i].source);
                                continue;
                        }
                        if (strcmp(b.ptr, lists[l][i].text))
                                T_FAIL("%s differs from src/templates.c; run sh "
                                       "notes-template/embed.sh > src/templates.c",
                                       lists[l][i].source);
                }
        }
        vb_buf_release(&b);
}

static void init_files_parse(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        struct vb_vocab *v = NULL;
        struct vb_buf filled = VB_BUF_INIT;
        for (size_t i = 0; i < vb_ninit_files; i++) {
                const char *name = vb_init_files[i].name;
                size_t n = strlen(name);
                struct vb_arena a = VB_ARENA_INIT;
                struct vb_yaml *root = NULL;
                if (n < 4 || strcmp(name + n - 4, ".yml"))
                        continue;
                /* as init writes it */
                vb_buf_reset(&filled);
                vb_init_file_fill(&filled, vb_init_files[i].text);
                T_INT(vb_yaml_parse(&root, &a, name, filled.ptr, filled.len, 1, &d), VB_OK);
                /* copy.yml is all comments: an example, no test yet */
                T_TRUE(strcmp(name, "copy.yml") ? root && root->kind == VB_YAML_MAP : !root);
                vb_arena_release(&a);
        }
        vb_buf_release(&filled);
        T_INT(d.n, 0);
        const char *yml = NULL, *roadmap = NULL;
        for (size_t i = 0; i < vb_ninit_files; i++) {
                if (!strcmp(vb_init_files[i].name, "verbatim.yml"))
                        yml = vb_init_files[i].text;
                if (!strcmp(vb_init_files[i].name, "roadmap.yml"))
                        roadmap = vb_init_files[i].text;
        }
        T_TRUE(yml && roadmap);
        T_INT(vb_vocab_load(&v, "verbatim.yml", yml, strlen(yml), &d), VB_OK);
        T_INT(vb_vocab_load_roadmap(v, "roadmap.yml", roadmap, strlen(roadmap), &d), VB_OK);
        T_INT(d.n, 0);
        T_INT(v->nsegments, 3);
        T_STR(v->segments[0].key, "buyer");
        T_STR(v->segments[1].key, "abandoner");
        T_STR(v->segments[2].key, "returner");
        T_STR(v->templates, "templates");
        T_STR(v->notes[0], "calls");
        T_INT(v->weekly_goal, 5);
        T_INT(v->nroadmap, 1);
        T_STR(v->roadmap[0].status, "idea");
        /* every kind of the starter vocabulary is there */
        const char *kinds[] = {"problem", "reason", "feature-request", "emotion"};
        for (size_t k = 0; k < 4; k++) {
                int found = 0;
                for (size_t i = 0; i < v->ntags; i++)
                        found |= v->tags[i].kind && !strcmp(v->tags[i].kind, kinds[k]);
                if (!found)
                        T_FAIL("no tag of kind %s", kinds[k]);
        }
        vb_vocab_free(v);
        vb_diags_release(&d);
}

static const char *init_file(const char *name)
{
        for (size_t i = 0; i < vb_ninit_files; i++)
                if (!strcmp(vb_init_files[i].name, name))
                        return vb_init_files[i].text;
        return NULL;
}

/* The CI files init writes run this version's action and image, and need
 * no VERBATIM_REPO. */
static void init_files_pinned(void)
{
        struct vb_buf b = VB_BUF_INIT, want = VB_BUF_INIT;
        const char *gh = init_file(".github/workflows/verbatim.yml");
        const char *gl = init_file(".gitlab-ci.yml");
        T_TRUE(gh && gl);
        if (!gh || !gl)
                return;
        vb_init_file_fill(&b, gh);
        vb_buf_addf(&want, "\n      - uses: %s@v%s\n", vb_action_repo, vb_version);
        T_TRUE(strstr(b.ptr, want.ptr) != NULL);
        T_TRUE(strstr(strstr(b.ptr, want.ptr) + 1, want.ptr) != NULL); /* check and report */
        T_TRUE(strstr(b.ptr, "key: verbatim-history-${{ github.sha }}\n") != NULL);
        T_TRUE(strstr(b.ptr, "VERBATIM_REPO") == NULL);
        T_TRUE(strstr(b.ptr, "make") == NULL); /* nothing compiled */
        T_TRUE(strstr(b.ptr, "{{version}}") == NULL && strstr(b.ptr, "{{action}}") == NULL);
        vb_buf_reset(&b);
        vb_buf_reset(&want);
        vb_init_file_fill(&b, gl);
        vb_buf_addf(&want, "\n  image: %s:%s\n", vb_image, vb_version);
        T_TRUE(strstr(b.ptr, want.ptr) != NULL);
        T_TRUE(strstr(b.ptr, "VERBATIM_REPO") == NULL);
        T_TRUE(strstr(b.ptr, "{{") == NULL);
        /* unknown {{...}} and a lone {{ at the end stay */
        vb_buf_reset(&b);
        vb_init_file_fill(&b, "a {{version}}{{x}} {{");
        vb_buf_reset(&want);
        vb_buf_addf(&want, "a %s{{x}} {{", vb_version);
        T_STR(b.ptr, want.ptr);
        vb_buf_release(&b);
        vb_buf_release(&want);
}

static void slug(void)
{
        struct vb_buf b = VB_BUF_INIT;
        vb_customer_slug(&b, "C-10492");
        T_STR(b.ptr, "c10492");
        vb_buf_reset(&b);
        vb_customer_slug(&b, "Ünï/../X 7_b");
        T_STR(b.ptr, "nx7b");
        vb_buf_release(&b);
}

static int taken_below;

/* Taken: the first `taken_below` numbers of any name. */
static int taken_first(void *ctx, const char *path, const char *id)
{
        int *calls = ctx;
        size_t n = strlen(id);
        (*calls)++;
        (void)path;
        if (taken_below >= 1 && !strcmp(id + n - 9, "abandoner"))
                return 1;
        return taken_below >= 2 && n > 2 && !strcmp(id + n - 2, "-2");
}

static void new_path(void)
{
        struct vb_buf path = VB_BUF_INIT, id = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        int calls = 0;

        taken_below = 0;
        T_INT(vb_note_new_path(&path, &id, "calls", "2026-11-03", "C-10492", "abandoner",
                               taken_first, &calls, &d),
              VB_OK);
        T_STR(path.ptr, "calls/2026/2026-11-03-c10492-abandoner.md");
        T_STR(id.ptr, "2026-11-03-c10492-abandoner");
        T_INT(calls, 1);

        taken_below = 1;
        T_INT(vb_note_new_path(&path, &id, "calls", "2026-11-03", "C-10492", "abandoner",
                               taken_first, &calls, &d),
              VB_OK);
        T_STR(path.ptr, "calls/2026/2026-11-03-c10492-abandoner-2.md");
        T_STR(id.ptr, "2026-11-03-c10492-abandoner-2");

        taken_below = 2;
        T_INT(vb_note_new_path(&path, &id, "./calls/", "2026-11-03", "C-10492", "abandoner",
                               taken_first, &calls, &d),
              VB_OK);
        T_STR(path.ptr, "calls/2026/2026-11-03-c10492-abandoner-3.md");
        T_STR(id.ptr, "2026-11-03-c10492-abandoner-3");

        T_INT(vb_note_new_path(&path, &id, ".", "2025-01-31", "c 77", "buyer", NULL, NULL, &d),
              VB_OK);
        T_STR(path.ptr, "2025/2025-01-31-c77-buyer.md");
        T_INT(d.n, 0);

        T_INT(vb_note_new_path(&path, &id, "calls", "2026-02-30", "C-1", "buyer", NULL, NULL, &d),
              VB_ERR);
        T_STR(path.ptr, "");
        T_INT(vb_note_new_path(&path, &id, "calls", "2026-11-3", "C-1", "buyer", NULL, NULL, &d),
              VB_ERR);
        T_INT(vb_note_new_path(&path, &id, "calls", "2026-11-03", "--", "buyer", NULL, NULL, &d),
              VB_ERR);
        T_INT(vb_note_new_path(&path, &id, "calls", "2026-11-03", "C-1", "../x", NULL, NULL, &d),
              VB_ERR);
        T_INT(d.n, 4);
        if (d.n == 4) {
                T_STR(d.v[0].message,
                      "date '2026-02-30' is no day of the calendar; give a real date");
                T_STR(d.v[1].message,
                      "date '2026-11-3' is not YYYY-MM-DD; write it like 2026-11-03");
                T_STR(d.v[2].message, "customer id '--' has no letter or digit; use a pseudonymous "
                                      "id like C-10492");
                T_STR(d.v[3].message, "segment '../x' cannot be part of a file name; use a key of "
                                      "letters, digits, '-' and '_'");
        }
        vb_diags_release(&d);
        vb_buf_release(&path);
        vb_buf_release(&id);
}

static const char *quoted(const char *s)
{
        static struct vb_buf b;
        vb_buf_release(&b);
        vb_yaml_quote(&b, s);
        return b.ptr;
}

static void yaml_quoting(void)
{
        T_STR(quoted("C-10492"), "C-10492");
        T_STR(quoted("2026-11-03"), "2026-11-03");
        T_STR(quoted("mkowalski"), "mkowalski");
        T_STR(quoted("Anna Nowak"), "Anna Nowak");
        T_STR(quoted(""), "");
        T_STR(quoted("10492"), "\"10492\"");
        T_STR(quoted("1e3"), "\"1e3\"");
        T_STR(quoted("yes"), "\"yes\"");
        T_STR(quoted("null"), "\"null\"");
        T_STR(quoted("~"), "\"~\"");
        T_STR(quoted("C: 1"), "\"C: 1\"");
        T_STR(quoted("#7"), "\"#7\"");
        T_STR(quoted("a #b"), "\"a #b\"");
        T_STR(quoted("- x"), "\"- x\"");
        T_STR(quoted("[x]"), "\"[x]\"");
        T_STR(quoted("*ref"), "\"*ref\"");
        T_STR(quoted("'q'"), "\"'q'\"");
        T_STR(quoted(" lead"), "\" lead\"");
        T_STR(quoted("say \"hi\" \\"), "say \"hi\" \\");
        T_STR(quoted("\"hi\\\""), "\"\\\"hi\\\\\\\"\"");
        T_STR(quoted("tab\there"), "\"tab\\there\"");
        T_STR(quoted("key:"), "\"key:\"");

        /* every value reads back as itself */
        const char *odd[] = {
            "10492",  "yes",   "C: 1",    "#7",        "a #b",        "- x",        "[x]",
            "{a: b}", "*ref",  "&anchor", "!tag",      "|",           ">",          "'q'",
            "\"q\"",  " lead", "trail ",  "tab\there", "back\\slash", "%x",         "@x",
            "`x",     "?",     "key:",    "0x1F",      "Ünïcode",     "2026-11-03", "a\"b"};
        for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
                struct vb_buf doc = VB_BUF_INIT;
                struct vb_arena a = VB_ARENA_INIT;
                struct vb_diags d = VB_DIAGS_INIT;
                struct vb_yaml *root = NULL;
                vb_buf_adds(&doc, "k: ");
                vb_yaml_quote(&doc, odd[i]);
                vb_buf_addc(&doc, '\n');
                if (vb_yaml_parse(&root, &a, "t.yml", doc.ptr, doc.len, 1, &d) != VB_OK)
                        T_FAIL("'%s' does not parse", doc.ptr);
                else if (!vb_yaml_str(vb_yaml_get(root, "k")) ||
                         strcmp(vb_yaml_str(vb_yaml_get(root, "k")), odd[i]))
                        T_FAIL("'%s' reads back as '%s'", doc.ptr,
                               vb_yaml_str(vb_yaml_get(root, "k")));
                vb_arena_release(&a);
                vb_diags_release(&d);
                vb_buf_release(&doc);
        }
}

static void fill(void)
{
        static const char tmpl[] = "---\n"
                                   "# note {{id}}: for {{customer}}\n"
                                   "date: {{date}}\n"
                                   "segment: {{segment}}\n"
                                   "customer: {{customer}}\n"
                                   "interviewer: {{interviewer}}\n"
                                   "follows: {{follows}}\n"
                                   "other: {{unknown}}\n"
                                   "---\n"
                                   "\n"
                                   "# Call with {{customer}} ({{segment}}) {{id\n"
                                   "---\n"
                                   "{{customer}}";
        struct vb_note_fields f = {"2026-11-03", "buyer", "C: 10492", "2026-11-03-c10492-buyer",
                                   NULL,         ""};
        struct vb_buf out = VB_BUF_INIT;
        vb_template_fill(&out, tmpl, &f);
        T_STR(out.ptr, "---\n"
                       "# note 2026-11-03-c10492-buyer: for C: 10492\n"
                       "date: 2026-11-03\n"
                       "segment: buyer\n"
                       "customer: \"C: 10492\"\n"
                       "interviewer:\n"
                       "follows:\n"
                       "other: {{unknown}}\n"
                       "---\n"
                       "\n"
                       "# Call with C: 10492 (buyer) {{id\n"
                       "---\n"
                       "C: 10492");

        /* the bundled template of a segment, else the generic one */
        T_TRUE(vb_template_fallback("buyer", 0) == vb_template_bundled("buyer.md"));
        T_TRUE(vb_template_fallback("returner", 0) == vb_template_bundled("returner.md"));
        T_TRUE(vb_template_fallback("buyer", 1) == vb_template_bundled("follow-up.md"));
        T_TRUE(vb_template_fallback("vip", 0) == vb_template_bundled("generic.md"));
        T_TRUE(vb_template_bundled("generic.md") != NULL);
        T_TRUE(vb_template_bundled("nope.md") == NULL);
        vb_buf_reset(&out);
        vb_template_name(&out, "abandoner", 0);
        T_STR(out.ptr, "abandoner.md");
        vb_buf_reset(&out);
        vb_template_name(&out, "abandoner", 1);
        T_STR(out.ptr, "follow-up.md");
        vb_buf_release(&out);
}

static void create_refuses_overwrite(void)
{
        char dir[] = "/tmp/vb-scaffold-XXXXXX";
        struct vb_buf path = VB_BUF_INIT, got = VB_BUF_INIT;
        struct vb_diags d = VB_DIAGS_INIT;
        T_TRUE(mkdtemp(dir) != NULL);
        vb_buf_addf(&path, "%s/calls/2026/a.md", dir);
        T_INT(vb_file_create(path.ptr, "first\n", 6, 0644, &d), VB_OK);
        T_INT(vb_file_create(path.ptr, "second\n", 7, 0644, &d), VB_ERR_EXISTS);
        T_INT(d.n, 0);
        T_INT(read_source(path.ptr, &got), 0);
        T_STR(got.ptr, "first\n");
        unlink(path.ptr);
        vb_buf_reset(&path);
        vb_buf_addf(&path, "%s/calls/2026", dir);
        rmdir(path.ptr);
        vb_buf_reset(&path);
        vb_buf_addf(&path, "%s/calls", dir);
        rmdir(path.ptr);
        rmdir(dir);
        vb_buf_release(&path);
        vb_buf_release(&got);
        vb_diags_release(&d);
}

static void hook_script(void)
{
        struct vb_buf b = VB_BUF_INIT;
        vb_hook_script(&b, "/opt/it's/verbatim", NULL);
        T_TRUE(!strncmp(b.ptr, "#!/bin/sh\n" VB_HOOK_MARKER, 10 + strlen(VB_HOOK_MARKER)));
        T_TRUE(strstr(b.ptr, "\nverbatim='/opt/it'\\''s/verbatim'\n") != NULL);
        T_TRUE(strstr(b.ptr, "\"$verbatim\" check --staged --changed-since HEAD --quiet\n") !=
               NULL);
        vb_buf_reset(&b);
        /* a knowledge base in a folder of the repository, quoted for the shell */
        vb_hook_script(&b, "/usr/bin/verbatim", "voc's kb");
        T_TRUE(strstr(b.ptr, "\"$verbatim\" check -C 'voc'\\''s kb' --staged --changed-since "
                             "HEAD --quiet\n") != NULL);
        vb_buf_release(&b);
}

int main(void)
{
        T_RUN(embedded_match_sources);
        T_RUN(init_files_parse);
        T_RUN(init_files_pinned);
        T_RUN(slug);
        T_RUN(new_path);
        T_RUN(yaml_quoting);
        T_RUN(fill);
        T_RUN(create_refuses_overwrite);
        T_RUN(hook_script);
        T_END();
}
