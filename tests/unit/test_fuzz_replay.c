/* Replays the fuzz corpora (tests/fuzz/corpus/<target>/: the seeds and every
 * input that once crashed) through the fuzz targets without libFuzzer, so
 * that `make check` runs them under ASan/UBSan (and valgrind, through
 * tests/cli/hostile-replay.sh).  A target abort()s on a broken invariant. */
#define VB_FUZZ_REPLAY 1
#include "../fuzz/fuzz_html.c"
#include "../fuzz/fuzz_note.c"
#include "../fuzz/fuzz_phrase.c"
#include "../fuzz/fuzz_pii.c"
#include "../fuzz/fuzz_vocab.c"
#include "../fuzz/fuzz_yaml.c"
#include "t.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs every file of tests/fuzz/corpus/<name>/ through `fn`, in name order;
 * returns how many ran. */
static size_t replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
        struct vb_buf dir = VB_BUF_INIT, path = VB_BUF_INIT, data = VB_BUF_INIT;
        struct dirent **ents = NULL;
        const char *top = getenv("VB_TOP");
        int n;
        size_t ran = 0;

        vb_buf_addf(&dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", name);
        n = scandir(dir.ptr, &ents, NULL, alphasort);
        for (int i = 0; i < n; i++) {
                FILE *f;
                char chunk[65536];
                size_t got;
                if (ents[i]->d_name[0] == '.')
                        goto next;
                vb_buf_reset(&path);
                vb_buf_addf(&path, "%s/%s", dir.ptr, ents[i]->d_name);
                f = fopen(path.ptr, "rb");
                if (!f)
                        goto next;
                vb_buf_reset(&data);
                while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
                        vb_buf_add(&data, chunk, got);
                fclose(f);
                /* a copy of exactly the file's size, so that ASan sees overreads */
                uint8_t *exact = vb_malloc(data.len ? data.len : 1);
                memcpy(exact, data.ptr, data.len);
                fn(exact, data.len);
                free(exact);
                ran++;
        next:
                free(ents[i]);
        }
        free(ents);
        vb_buf_release(&dir);
        vb_buf_release(&path);
        vb_buf_release(&data);
        return ran;
}

static void test_replay_note(void)
{
        T_TRUE(replay("note", vb_fuzz_note) >= 40);
}

static void test_replay_vocab(void)
{
        T_TRUE(replay("vocab", vb_fuzz_vocab) >= 4);
}

static void test_replay_html(void)
{
        T_TRUE(replay("html", vb_fuzz_html) >= 10);
}

static void test_replay_phrase(void)
{
        T_TRUE(replay("phrase", vb_fuzz_phrase) >= 10);
}

static void test_replay_pii(void)
{
        T_TRUE(replay("pii", vb_fuzz_pii) >= 9);
}

static void test_replay_yaml(void)
{
        T_TRUE(replay("yaml", vb_fuzz_yaml) >= 6);
}

/* The targets' oracles must fire on what they guard against. */
static void test_html_oracle(void)
{
        T_INT(html_url_dangerous("javascript:x", 12), 1);
        T_INT(html_url_dangerous(" \tJaVa\nScRiPt:x", 16), 1);
        T_INT(html_url_dangerous("data:text/html,x", 16), 1);
        T_INT(html_url_dangerous("https://example.com/", 20), 0);
        T_INT(html_url_dangerous("../notes/a.html#q1", 18), 0);
        T_INT(html_url_dangerous("a/b:c", 5), 0);
        T_INT(html_href_dangerous("vbscript:x", 10), 1);
        T_INT(html_href_dangerous("java&amp;script:x", 17), 0);
}

int main(void)
{
        T_RUN(test_replay_note);
        T_RUN(test_replay_vocab);
        T_RUN(test_replay_html);
        T_RUN(test_replay_phrase);
        T_RUN(test_replay_pii);
        T_RUN(test_replay_yaml);
        T_RUN(test_html_oracle);
        T_END();
}
