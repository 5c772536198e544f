/* Aggregation: golden numbers on the fixture knowledge base
 * tests/fixtures/agg/kb (14 notes, 2026-W28 to 2026-W47; the expected
 * values are worked out by hand in tests/fixtures/agg/README.md). */
#include "t.h"
#include "verbatim/agg.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define KB_DIR "tests/fixtures/agg/kb"

static struct vb_source *src;
static struct vb_kb *kb;

static struct vb_agg *build(const char *as_of)
{
        struct vb_agg *a = NULL;
        struct vb_agg_options opt;
        memset(&opt, 0, sizeof(opt));
        if (as_of)
                vb_date_parse(&opt.as_of, as_of);
        T_INT(vb_agg_build(&a, kb, &opt), VB_OK);
        return a;
}

static int near(double a, double b)
{
        return fabs(a - b) < 1e-9;
}

static const char *week_label(int64_t w)
{
        static char s[16];
        vb_week_label(w, s);
        return s;
}

static const char *series(const struct vb_agg *a, const struct vb_series *s)
{
        static struct vb_buf b;
        vb_buf_reset(&b);
        for (size_t i = 0; i < a->nweeks; i++)
                vb_buf_addf(&b, "%s%u", i ? " " : "", (unsigned)s->count[i]);
        return b.ptr;
}

static const char *counts(const struct vb_count *c, size_t n)
{
        static struct vb_buf b;
        vb_buf_reset(&b);
        for (size_t i = 0; i < n; i++)
                vb_buf_addf(&b, "%s%s:%zu/%zu", i ? " " : "", c[i].key, c[i].notes, c[i].customers);
        return b.ptr;
}

static void totals(void)
{
        struct vb_agg *a = build(NULL);
        char d[16];
        vb_date_format(a->as_of, d);
        T_STR(d, "2026-11-18");
        T_STR(week_label(a->first_week), "2026-W28");
        T_STR(week_label(a->last_week), "2026-W47");
        T_INT(a->nweeks, 20);
        T_INT(a->attempts, 14);
        T_INT(a->conversations, 11);
        T_TRUE(near(a->connect_rate, 11.0 / 14));
        T_INT(a->customers, 9);
        T_INT(a->customers_reached, 8);
        T_TRUE(near(a->customer_rate, 8.0 / 9));
        T_INT(a->notes_with_errors,
              4); /* check's rules: personal data (2), unknown tags, a bad type */
        T_INT(a->unknown_tags, 2);
        T_INT(a->undated, 0);
        T_INT(a->after_as_of, 0);
        T_INT(a->streak, 3);
        T_INT(a->this_week, 4);
        T_INT(a->last_week_attempts, 2);
        T_STR(series(a, &a->weekly_attempts), "3 0 0 0 0 0 0 0 0 0 0 1 0 1 0 1 0 2 2 4");
        T_STR(series(a, &a->weekly_conversations), "2 0 0 0 0 0 0 0 0 0 0 1 0 1 0 1 0 1 2 3");
        T_INT(vb_agg_week_slot(a, (struct vb_date){2026, 11, 16}), 19);
        T_INT(vb_agg_week_slot(a, (struct vb_date){2026, 7, 5}), -1);
        T_INT(vb_agg_week_slot(a, (struct vb_date){2026, 11, 23}), -1);
        T_INT(vb_agg_series_last(a, &a->weekly_attempts, 4), 8);
        vb_agg_free(a);
}

static void segments(void)
{
        struct vb_agg *a = build(NULL);
        T_INT(a->nsegments, 3);
        T_STR(a->segments[0].key, "buyer");
        T_STR(a->segments[0].label, "Recent buyers");
        T_INT(a->segments[0].attempts, 6);
        T_INT(a->segments[0].conversations, 5);
        T_TRUE(near(a->segments[0].connect_rate, 5.0 / 6));
        T_INT(a->segments[0].customers, 3);
        T_INT(a->segments[0].customers_reached, 3);
        T_STR(a->segments[1].key, "abandoner");
        T_INT(a->segments[1].attempts, 5);
        T_INT(a->segments[1].conversations, 4);
        T_TRUE(near(a->segments[1].connect_rate, 0.8));
        T_INT(a->segments[1].customers, 3);
        T_TRUE(near(a->segments[1].customer_rate, 1.0));
        T_STR(a->segments[2].key, "returner");
        T_INT(a->segments[2].attempts, 3);
        T_INT(a->segments[2].conversations, 2);
        T_INT(a->segments[2].customers, 3);
        T_INT(a->segments[2].customers_reached, 2);
        T_TRUE(near(a->segments[2].customer_rate, 2.0 / 3));
        T_STR(series(a, &a->segments[2].weekly), "0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 1 1");
        T_INT(a->ntiers, 4);
        T_STR(a->tiers[3], "unknown");
        vb_agg_free(a);
}

static void themes(void)
{
        struct vb_agg *a = build(NULL);
        /* vb_rank_cmp: distinct customers, then notes, then key; heel-slip's
         * 3 notes come from 2 customers, wide-sizes' from 3 */
        static const char *order[] = {"trail-grip", "colour-choice", "fit-uncertainty",
                                      "wide-sizes", "heel-slip",     "shipping-cost",
                                      "frustrated", "price",         "unknown"};
        const struct vb_theme_stats *t;
        T_INT(a->nthemes, 9);
        for (size_t i = 0; i < 9 && i < a->nthemes; i++)
                T_STR(a->themes[i].key, order[i]);
        for (size_t i = 0; i < a->nthemes; i++)
                T_TRUE(vb_agg_theme(a, a->themes[i].key) == &a->themes[i]);
        T_TRUE(vb_agg_theme(a, "zzz") == NULL);
        T_TRUE(vb_agg_theme(a, "") == NULL);

        t = vb_agg_theme(a, "trail-grip");
        T_TRUE(t != NULL);
        if (!t)
                goto done;
        T_STR(t->label, "Wants more grip");
        T_STR(t->kind, "feature-request");
        T_INT(t->notes, 4);
        T_INT(t->customers, 3);
        T_TRUE(near(t->share, 4.0 / 11));
        T_TRUE(near(t->share_recent, 0.5));
        T_TRUE(near(t->share_before, 0.0));
        T_STR(counts(t->segments, a->nsegments), "buyer:1/1 abandoner:3/2 returner:0/0");
        T_STR(counts(t->tiers, a->ntiers), "low:2/1 mid:1/1 high:0/0 unknown:1/1");
        T_STR(series(a, &t->weekly), "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 1 1");
        T_STR(counts(t->cooccurring, t->ncooccurring),
              "colour-choice:2/2 fit-uncertainty:1/1 heel-slip:1/1 shipping-cost:1/1 unknown:1/1");
        T_INT(t->month_notes, 3);
        T_INT(t->month_customers, 2);
        T_INT(t->nroadmap, 1);
        T_STR(t->roadmap[0]->id, "grip-sole");

        t = vb_agg_theme(a, "fit-uncertainty");
        T_INT(t->notes, 3);
        T_INT(t->customers, 3);
        T_TRUE(near(t->share_recent, 1.0 / 8));
        T_TRUE(near(t->share_before, 2.0 / 3));
        T_INT(t->emerging, 0);
        T_STR(counts(t->tiers, a->ntiers), "low:1/1 mid:0/0 high:1/1 unknown:1/1");

        t = vb_agg_theme(a, "unknown");
        T_INT(t->notes, 1);
        T_STR(t->label, "Unknown tags");
        T_TRUE(t->kind == NULL);
        T_INT(t->nquotes, 1);
        T_TRUE(vb_agg_theme(a, "bogus-tag") == NULL);
        T_TRUE(vb_agg_theme(a, "nonsense") == NULL);
done:
        vb_agg_free(a);
}

/* Three conversations before the last 8 weeks: too few to tell any trend,
 * so no theme is emerging or fading (trail-grip, first seen in the last 8
 * weeks with 3 customers, would be new on a longer history). */
/* Every ranking: distinct customers first, then notes, then key; a theme
 * from 8 calls by 3 customers ranks below one from 7 customers. */
static void rank_order(void)
{
        struct vb_count c[] = {
            {"talkative", NULL, 8, 3}, {"wide-b", NULL, 7, 7}, {"wide-a", NULL, 7, 7},
            {"more-notes", NULL, 9, 3}, {"fewer", NULL, 20, 2},
        };
        static const char *order[] = {"wide-a", "wide-b", "more-notes", "talkative", "fewer"};
        qsort(c, sizeof(c) / sizeof(c[0]), sizeof(c[0]), vb_count_cmp);
        for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
                T_STR(c[i].key, order[i]);
        T_TRUE(vb_rank_cmp(3, 8, "a", 7, 7, "b") > 0);
        T_TRUE(vb_rank_cmp(7, 7, "b", 3, 8, "a") < 0);
        T_TRUE(vb_rank_cmp(3, 8, "a", 3, 7, "b") < 0);
        T_TRUE(vb_rank_cmp(3, 7, "a", 3, 7, "b") < 0);
        T_INT(vb_rank_cmp(3, 7, "a", 3, 7, "a"), 0);
}

static void emerging(void)
{
        struct vb_agg *a = build(NULL);
        const struct vb_theme_stats *t = vb_agg_theme(a, "trail-grip");
        struct vb_buf words = VB_BUF_INIT;
        T_INT(a->trend_too_few, 1);
        T_INT(a->nemerging, 0);
        T_INT(a->nfading, 0);
        T_INT(t->recent_customers, 3);
        T_INT(t->trend.verdict, VB_TREND_TOO_FEW);
        T_INT(t->trend.counts.before_conversations, 3);
        vb_trend_describe(&words, &t->trend);
        T_STR(words.ptr, "too few conversations to tell");
        for (size_t i = 0; i < a->nthemes; i++) {
                T_INT(a->themes[i].emerging, 0);
                T_INT(a->themes[i].fading, 0);
                T_TRUE(a->themes[i].emerging_why == NULL);
        }
        vb_buf_release(&words);
        vb_agg_free(a);
}

static void quotes(void)
{
        struct vb_agg *a = build(NULL);
        const struct vb_theme_stats *t = vb_agg_theme(a, "shipping-cost");
        T_INT(t->nquotes, 3);
        /* its own hashtag, then the note's themes (no hashtag), then by date */
        T_STR(t->quotes[0].note->id, "2026-07-09-c2-abandoner");
        T_INT(t->quotes[0].quote, 0);
        T_STR(t->quotes[1].note->id, "2026-07-09-c2-abandoner");
        T_INT(t->quotes[1].quote, 1);
        T_STR(t->quotes[2].note->id, "2026-11-10-c6-abandoner");
        t = vb_agg_theme(a, "wide-sizes");
        T_INT(t->nquotes, 3);
        T_STR(t->quotes[0].note->id, "2026-09-22-c3-returner");
        T_STR(t->quotes[1].note->id, "2026-10-05-c1-buyer");
        T_STR(t->quotes[2].note->id, "2026-11-12-c9-returner");
        /* a quote with its own hashtag does not go to the note's other themes */
        T_INT(vb_agg_theme(a, "trail-grip")->nquotes, 1);
        T_INT(vb_agg_theme(a, "price")->nquotes, 1);
        T_INT(a->njobs, 2);
        T_STR(a->jobs[0].job->job, "run trails twice a week without blisters");
        T_STR(a->jobs[1].note->id, "2026-11-03-c5-buyer");
        T_INT(a->nwhys, 2);
        T_STR(a->whys[0].root, "She had just paid for a race entry.");
        T_STR(a->whys[1].root, "She wants to keep racing.");
        vb_agg_free(a);
}

static void reasons(void)
{
        struct vb_agg *a = build(NULL);
        T_INT(a->abandoner_conversations, 4);
        T_INT(a->abandoners_with_reason, 3);
        T_STR(counts(a->reasons, a->nreasons), "price:2/2 fit:1/1");
        T_STR(a->reasons[0].label, "price");
        /* the price key itself (c2) of all 4 abandoners' conversations; its
         * group holds shipping-cost (c6) too */
        T_INT(a->price_notes, 1);
        T_TRUE(near(a->price_share, 0.25));
        T_STR(a->price_group, "price");
        T_STR(a->price_group_name, "price or shipping cost");
        T_INT(a->price_group_notes, 2);
        T_TRUE(near(a->price_group_share, 0.5));
        {
                struct vb_buf b = VB_BUF_INIT;
                vb_agg_price_sentence(&b, a);
                T_STR(b.ptr, "25 % named price (price or shipping cost as a group: 50 %); 75 % "
                             "something else: fit 25 %, no reason given 25 %");
                vb_buf_release(&b);
        }
        vb_agg_free(a);
}

static void roadmap(void)
{
        struct vb_agg *a = build(NULL);
        T_INT(a->nroadmap, 2);
        T_STR(a->roadmap[0].item->id, "wide-fit-last");
        T_INT(a->roadmap[0].nsupporting, 3);
        T_STR(a->roadmap[0].supporting[0]->id, "2026-07-06-c1-buyer");
        T_STR(a->roadmap[0].supporting[2]->id, "2026-11-18-c8-buyer");
        /* after shipped, connected and follows: an earlier call */
        T_INT(a->roadmap[0].nvalidating, 1);
        T_STR(a->roadmap[0].validating[0]->id, "2026-10-05-c1-buyer");
        T_STR(counts(a->roadmap[0].themes, a->roadmap[0].nthemes),
              "colour-choice:1/1 fit-uncertainty:1/1 heel-slip:1/1 wide-sizes:1/1");
        T_STR(a->roadmap[1].item->id, "grip-sole");
        T_INT(a->roadmap[1].nsupporting, 1);
        T_INT(a->roadmap[1].nvalidating, 0);
        T_STR(counts(a->roadmap[1].themes, a->roadmap[1].nthemes),
              "fit-uncertainty:1/1 trail-grip:1/1");
        T_INT(a->nunplanned, 5);
        if (a->nunplanned == 5) {
                T_STR(a->unplanned[0]->key, "colour-choice");
                T_STR(a->unplanned[1]->key, "heel-slip");
                T_STR(a->unplanned[2]->key, "shipping-cost");
                T_STR(a->unplanned[3]->key, "frustrated");
                T_STR(a->unplanned[4]->key, "price");
        }
        vb_agg_free(a);
}

static void as_of_override(void)
{
        struct vb_agg *a = build("2026-11-10");
        T_STR(week_label(a->last_week), "2026-W46");
        T_INT(a->nweeks, 19);
        T_INT(a->attempts, 9);
        T_INT(a->conversations, 7);
        T_INT(a->after_as_of, 5);
        T_INT(a->this_week, 1);
        T_INT(a->last_week_attempts, 2);
        T_INT(a->streak, 2);
        T_INT(a->unknown_tags, 0);
        T_TRUE(vb_agg_theme(a, "unknown") == NULL);
        T_INT(vb_agg_theme(a, "heel-slip")->notes, 1);
        /* a later as-of: empty weeks count, and the streak is broken */
        vb_agg_free(a);
        a = build("2026-12-01");
        T_INT(a->nweeks, 22);
        T_INT(a->this_week, 0);
        T_INT(a->streak, 0);
        T_INT(a->attempts, 14);
        vb_agg_free(a);
}

static void json_valid(void)
{
        struct vb_agg *a = build(NULL);
        struct vb_buf b = VB_BUF_INIT, again = VB_BUF_INIT;
        char path[] = "/tmp/vb-agg-XXXXXX";
        int fd = mkstemp(path);
        vb_agg_json(&b, a);
        vb_agg_json(&again, a);
        T_TRUE(b.len == again.len && !memcmp(b.ptr, again.ptr, b.len));
        T_TRUE(fd >= 0);
        if (fd >= 0) {
                struct vb_buf cmd = VB_BUF_INIT;
                T_INT(write(fd, b.ptr, b.len), (long long)b.len);
                close(fd);
                vb_buf_addf(&cmd, "python3 -m json.tool %s >/dev/null", path);
                T_INT(system(cmd.ptr), 0);
                vb_buf_reset(&cmd);
                vb_buf_addf(&cmd,
                            "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
                            "t=d[\"themes\"][0]; "
                            "assert d[\"totals\"][\"attempts\"]==14, d[\"totals\"]; "
                            "assert d[\"weeks\"][0]==\"2026-W28\" and len(d[\"weeks\"])==20; "
                            "assert t[\"key\"]==\"trail-grip\" and t[\"emerging\"] is False; "
                            "assert t[\"trend\"][\"verdict\"]==\"too-few\"; "
                            "assert d[\"trends\"][\"too_few\"] is True; "
                            "assert t[\"quotes\"][0][\"text\"]==\"Grip on wet rock, call me on "
                            "[phone removed]\", t[\"quotes\"]; "
                            "assert d[\"notes_with_errors\"]==4' %s",
                            path);
                T_INT(system(cmd.ptr), 0);
                unlink(path);
                vb_buf_release(&cmd);
        }
        T_TRUE(strstr(b.ptr, "jo@example.com") == NULL);
        T_TRUE(strstr(b.ptr, "[email removed]") != NULL);
        vb_buf_release(&b);
        vb_buf_release(&again);
        vb_agg_free(a);
}

static void csv(void)
{
        struct vb_agg *a = build(NULL);
        struct vb_buf b = VB_BUF_INIT;
        T_INT(vb_agg_csv(&b, a, "segments"), VB_OK);
        T_STR(b.ptr, "key,label,attempts,conversations,connect_rate,customers,customers_reached,"
                     "customer_rate\r\n"
                     "buyer,Recent buyers,6,5,0.833333,3,3,1\r\n"
                     "abandoner,Cart abandoners,5,4,0.8,3,3,1\r\n"
                     "returner,Returners,3,2,0.666667,3,2,0.666667\r\n");
        vb_buf_reset(&b);
        T_INT(vb_agg_csv(&b, a, "quotes"), VB_OK);
        /* the formula guard, then RFC 4180 quoting; personal data redacted */
        T_TRUE(strstr(b.ptr, "\r\nshipping-cost,2026-11-10-c6-abandoner,"
                             "calls/2026/2026-11-10-c6-abandoner.md,11,2026-11-10,abandoner,"
                             "\"'=SUM(A1) for shipping, \"\"really\"\", no\"\r\n") != NULL);
        T_TRUE(strstr(b.ptr, "Shipping was more than the socks, write to [email removed]") != NULL);
        T_TRUE(strstr(b.ptr, "jo@example.com") == NULL);
        vb_buf_reset(&b);
        T_INT(vb_agg_csv(&b, a, "weekly"), VB_OK);
        T_TRUE(!strncmp(b.ptr,
                        "week,attempts,conversations,buyer,abandoner,returner\r\n"
                        "2026-W28,3,2,1,2,0\r\n2026-W29,0,0,0,0,0\r\n",
                        strlen("week,attempts,conversations,buyer,abandoner,returner\r\n"
                               "2026-W28,3,2,1,2,0\r\n2026-W29,0,0,0,0,0\r\n")));
        vb_buf_reset(&b);
        T_INT(vb_agg_csv(&b, a, "themes"), VB_OK);
        T_TRUE(!strncmp(b.ptr,
                        "key,label,kind,notes,customers,share,share_recent,share_before,"
                        "first_seen,last_seen,emerging,trend\r\n"
                        "trail-grip,Wants more grip,feature-request,4,3,0.363636,0.5,0,"
                        "2026-10-20,2026-11-17,,too-few\r\n",
                        strlen("key,label,kind,notes,customers,share,share_recent,share_before,"
                               "first_seen,last_seen,emerging,trend\r\n"
                               "trail-grip,Wants more grip,feature-request,4,3,0.363636,0.5,0,"
                               "2026-10-20,2026-11-17,,too-few\r\n")));
        vb_buf_reset(&b);
        T_INT(vb_agg_csv(&b, a, "nope"), VB_ERR_NOTFOUND);
        T_INT(b.len, 0);
        vb_buf_release(&b);
        vb_agg_free(a);
}

/* No notes at all: empty series, no division by zero. */
static void empty(void)
{
        struct vb_kb none;
        struct vb_agg *a = NULL;
        struct vb_buf b = VB_BUF_INIT;
        memset(&none, 0, sizeof(none));
        none.vocab = vb_vocab_default();
        T_INT(vb_agg_build(&a, &none, NULL), VB_OK);
        T_INT(a->nweeks, 0);
        T_INT(a->attempts, 0);
        T_INT(a->nthemes, 0);
        T_TRUE(a->connect_rate == 0.0);
        vb_agg_json(&b, a);
        T_TRUE(strstr(b.ptr, "\"as_of\": null") != NULL);
        vb_buf_release(&b);
        vb_agg_free(a);
        vb_vocab_free(none.vocab);
}

static void write_text(const char *dir, const char *name, const char *text)
{
        struct vb_buf path = VB_BUF_INIT;
        FILE *f;
        vb_buf_addf(&path, "%s/%s.md", dir, name);
        f = fopen(path.ptr, "w");
        T_TRUE(f != NULL);
        if (f) {
                fputs(text, f);
                fclose(f);
        }
        vb_buf_release(&path);
}

static void write_note(const char *dir, const char *name, const char *date, const char *customer,
                       const char *tag)
{
        struct vb_buf text = VB_BUF_INIT;
        vb_buf_addf(&text, "---\ndate: %s\ncustomer: %s\ntags: [%s]\n---\n", date, customer, tag);
        write_text(dir, name, text.ptr);
        vb_buf_release(&text);
}

static struct vb_agg *load_dir(const char *dir, struct vb_source **s, struct vb_kb **k)
{
        struct vb_diags dg = VB_DIAGS_INIT;
        struct vb_agg *a = NULL;
        T_INT(vb_source_open_dir(s, dir, &dg), VB_OK);
        T_INT(vb_kb_load(k, *s, NULL, &dg), VB_OK);
        T_INT(vb_agg_build(&a, *k, NULL), VB_OK);
        vb_diags_release(&dg);
        return a;
}

static void remove_dir(const char *dir)
{
        struct vb_buf cmd = VB_BUF_INIT;
        vb_buf_addf(&cmd, "rm -rf '%s'", dir);
        T_INT(system(cmd.ptr), 0);
        vb_buf_release(&cmd);
}

static const char *trend_words(const struct vb_theme_stats *t)
{
        static struct vb_buf b;
        vb_buf_reset(&b);
        if (t)
                vb_trend_describe(&b, &t->trend);
        return b.ptr ? b.ptr : "";
}

/* No verbatim.yml: any tag is a theme, notes have no segment.  Weeks
 * 2026-W14 to W47 (as of 2026-11-18), three conversations a week, each from
 * its own customer: 78 in the 26 weeks before the last 8, 24 in them, plus
 * eight notes of one customer in W45 (#talk) and six of another in W46
 * (#spike): 38 recent conversations.  Themes (7: false-alarm level 1/91):
 *   steady: the first note of every week (no change);
 *   grip: 2 notes before (W20, W30), 8 in the last 8 weeks: rising;
 *   heel: 20 notes before (W14-W33), none since: fading;
 *   talk: 2 customers before, then 8 notes of one customer: no trend;
 *   spike: a new theme, 6 notes of one customer in one week: not new;
 *   lonely: one note; newbie: new, 3 customers in W44-W46. */
static void trends_on_a_small_history(void)
{
        char dir[] = "/tmp/vb-agg-kb-XXXXXX";
        struct vb_source *s = NULL;
        struct vb_kb *k = NULL;
        struct vb_agg *a;
        const struct vb_theme_stats *t;
        int64_t monday;
        struct vb_date w14;
        T_TRUE(mkdtemp(dir) != NULL);
        vb_date_parse(&w14, "2026-03-30"); /* the Monday of 2026-W14 */
        monday = vb_date_days(w14);
        for (int w = 0; w < 34; w++) {
                for (int i = 0; i < 3; i++) {
                        char name[64], date[16], customer[64], tags[96] = "";
                        vb_date_format(vb_date_from_days(monday + 7 * w + i + 1), date);
                        snprintf(name, sizeof(name), "w%02d-%d", w, i);
                        snprintf(customer, sizeof(customer), "F%02d-%d", w, i);
                        if (i == 0)
                                strcat(tags, "steady");
                        if (i == 1 && (w == 6 || w == 16 || w >= 26))
                                strcat(tags, "grip");
                        if (i == 1 && (w == 1 || w == 11))
                                strcat(tags, "talk");
                        if (i == 2 && w < 20)
                                strcat(tags, "heel");
                        if (i == 2 && w == 31)
                                strcat(tags, "lonely, newbie");
                        else if (i == 2 && (w == 30 || w == 32))
                                strcat(tags, "newbie");
                        write_note(dir, name, date, customer, tags);
                }
        }
        for (int i = 0; i < 8; i++) {
                char name[64];
                snprintf(name, sizeof(name), "talk-%d", i);
                write_note(dir, name, "2026-11-04", "T", "talk");
                snprintf(name, sizeof(name), "spike-%d", i);
                if (i < 6)
                        write_note(dir, name, "2026-11-11", "S", "spike");
        }
        a = load_dir(dir, &s, &k);
        T_INT(a->trend_too_few, 0);
        T_INT(a->trend_themes, 7);
        T_INT(a->nemerging, 2);
        T_INT(a->nfading, 1);
        if (a->nemerging == 2 && a->nfading == 1) {
                T_STR(a->emerging[0]->key, "grip");
                T_STR(a->emerging[1]->key, "newbie");
                T_STR(a->fading[0]->key, "heel");
        }
        t = vb_agg_theme(a, "grip");
        T_INT(t->trend.verdict, VB_TREND_RISING);
        T_STR(t->emerging_why, "rising");
        T_INT(t->trend.counts.recent_conversations, 38);
        T_INT(t->trend.counts.before_conversations, 78);
        T_STR(trend_words(t),
              "8 customers (8 notes) in 8 weeks; about 1.0 expected; chance by luck 1 in 330");
        t = vb_agg_theme(a, "heel");
        T_INT(t->trend.verdict, VB_TREND_FADING);
        T_INT(t->fading, 1);
        T_INT(t->emerging, 0);
        T_STR(trend_words(t),
              "0 customers (0 notes) in 8 weeks; about 9.7 expected; chance by luck 1 in 2,800");
        t = vb_agg_theme(a, "newbie");
        T_INT(t->trend.verdict, VB_TREND_NEW);
        T_STR(t->emerging_why, "new");
        T_STR(trend_words(t), "new: 3 customers (3 notes) in 8 weeks, never heard in the 78 "
                              "conversations before; chance by luck 1 in 610");
        /* one talkative customer: the notes alone would pass, the customers do not */
        t = vb_agg_theme(a, "talk");
        T_INT(t->trend.verdict, VB_TREND_STEADY);
        T_TRUE(t->trend.p_notes < t->trend.alpha);
        T_TRUE(t->trend.p_customers > t->trend.alpha);
        t = vb_agg_theme(a, "spike");
        T_INT(t->trend.verdict, VB_TREND_STEADY);
        T_STR(trend_words(t), "1 customer (6 notes) in 8 weeks, never heard in the 78 "
                              "conversations before (3 customers make it new)");
        t = vb_agg_theme(a, "lonely");
        T_INT(t->notes, 1);
        T_INT(t->trend.verdict, VB_TREND_STEADY);
        t = vb_agg_theme(a, "steady");
        T_INT(t->trend.verdict, VB_TREND_STEADY);
        vb_agg_free(a);
        vb_kb_free(k);
        vb_source_free(s);
        remove_dir(dir);
}

/* A knowledge base of one week: too few conversations to tell, no flag
 * (not even for a theme 5 customers raised). */
static void trends_on_one_week(void)
{
        char dir[] = "/tmp/vb-agg-kb-XXXXXX";
        struct vb_source *s = NULL;
        struct vb_kb *k = NULL;
        struct vb_agg *a;
        T_TRUE(mkdtemp(dir) != NULL);
        for (int i = 0; i < 5; i++) {
                char name[64], customer[64];
                snprintf(name, sizeof(name), "n%d", i);
                snprintf(customer, sizeof(customer), "C%d", i);
                write_note(dir, name, "2026-11-17", customer, "slow-delivery");
        }
        a = load_dir(dir, &s, &k);
        T_INT(a->nweeks, 1);
        T_INT(a->trend_too_few, 1);
        T_INT(a->nemerging, 0);
        T_INT(a->nfading, 0);
        T_INT(vb_agg_theme(a, "slow-delivery")->trend.verdict, VB_TREND_TOO_FEW);
        T_STR(trend_words(vb_agg_theme(a, "slow-delivery")), "too few conversations to tell");
        vb_agg_free(a);
        vb_kb_free(k);
        vb_source_free(s);
        remove_dir(dir);
}

/* The new-theme rate on hand-made notes (no verbatim.yml):
 *   W37: n1 price "The shipping cost was too high" (new: first),
 *        n2 price "Shipping cost was too high again" (not: phrases heard),
 *        n3 price "I love the colour" (new: new words);
 *   W38: n4 price "Yes." (not: no phrase), n5 fit (new theme),
 *        n6 fit, price "love the colour" (not), n7 a voicemail (no
 *        conversation);
 *   W39: a-first and b-second, the same day, grip: a is new, b is not;
 *   W40-W43: one price note a week, "shipping cost was too high" (not new):
 *        four weeks at or below 10 %, saturated since W40. */
static void new_theme_rate(void)
{
        char dir[] = "/tmp/vb-agg-kb-XXXXXX";
        static const struct {
                const char *name, *date, *customer, *outcome, *tags, *quote;
        } notes[] = {
            {"n1", "2026-09-07", "A", NULL, "price", "The shipping cost was too high"},
            {"n2", "2026-09-08", "B", NULL, "price", "Shipping cost was too high again"},
            {"n3", "2026-09-09", "C", NULL, "price", "I love the colour"},
            {"n4", "2026-09-14", "D", NULL, "price", "Yes."},
            {"n5", "2026-09-15", "E", NULL, "fit", NULL},
            {"n6", "2026-09-16", "E", NULL, "fit, price", "love the colour"},
            {"n7", "2026-09-16", "F", "voicemail", "", NULL},
            {"b-second", "2026-09-21", "G", NULL, "grip", NULL},
            {"a-first", "2026-09-21", "H", NULL, "grip", NULL},
            {"w40", "2026-09-28", "I", NULL, "price", "shipping cost was too high"},
            {"w41", "2026-10-05", "J", NULL, "price", "shipping cost was too high"},
            {"w42", "2026-10-12", "K", NULL, "price", "shipping cost was too high"},
            {"w43", "2026-10-19", "L", NULL, "price", "shipping cost was too high"},
        };
        struct vb_source *s = NULL;
        struct vb_kb *k = NULL;
        struct vb_agg *a;
        struct vb_buf text = VB_BUF_INIT;
        T_TRUE(mkdtemp(dir) != NULL);
        for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
                vb_buf_reset(&text);
                vb_buf_addf(&text, "---\ndate: %s\ncustomer: %s\n", notes[i].date,
                            notes[i].customer);
                if (notes[i].outcome)
                        vb_buf_addf(&text, "outcome: %s\n", notes[i].outcome);
                vb_buf_addf(&text, "tags: [%s]\n---\n\n# Call\n\n", notes[i].tags);
                if (notes[i].quote)
                        vb_buf_addf(&text, "> \"%s\"\n", notes[i].quote);
                write_text(dir, notes[i].name, text.ptr);
        }
        a = load_dir(dir, &s, &k);
        T_STR(series(a, &a->weekly_conversations), "3 3 2 1 1 1 1");
        T_STR(series(a, &a->novelty.fresh), "2 1 1 0 0 0 0");
        T_INT(a->novelty.conversations, 12);
        T_INT(a->novelty.since_new, 5);
        T_INT(a->nsegments, 1);
        T_STR(series(a, &a->novelty.seg_fresh[0]), "2 1 1 0 0 0 0");
        T_STR(series(a, &a->novelty.seg_conversations[0]), "3 3 2 1 1 1 1");
        T_STR(week_label(a->novelty.saturated_since), "2026-W40");
        vb_buf_reset(&text);
        vb_agg_novelty_sentence(&text, a);
        T_STR(text.ptr, "The last 5 conversations raised no theme or words you had not heard (the "
                        "last new one on 2026-09-21). Saturated since 2026-W40: at most 10 % of "
                        "each week's conversations brought something new.");
        vb_agg_free(a);
        /* as of W39: no saturation yet, the latest conversation was not new */
        {
                struct vb_agg_options opt;
                memset(&opt, 0, sizeof(opt));
                vb_date_parse(&opt.as_of, "2026-09-21");
                T_INT(vb_agg_build(&a, k, &opt), VB_OK);
                T_INT(a->novelty.since_new, 1);
                T_INT(a->novelty.saturated_since, -1);
                vb_buf_reset(&text);
                vb_agg_novelty_sentence(&text, a);
                T_STR(text.ptr, "The last 1 conversation raised no theme or words you had not "
                                "heard (the last new one on 2026-09-21).");
                vb_agg_free(a);
        }
        vb_buf_release(&text);
        vb_kb_free(k);
        vb_source_free(s);
        remove_dir(dir);
}

int main(void)
{
        struct vb_diags d = VB_DIAGS_INIT;
        if (vb_source_open_dir(&src, KB_DIR, &d) != VB_OK ||
            vb_kb_load(&kb, src, NULL, &d) != VB_OK) {
                printf("not ok - load %s\n", KB_DIR);
                return 1;
        }
        vb_diags_release(&d);
        T_RUN(totals);
        T_RUN(segments);
        T_RUN(themes);
        T_RUN(rank_order);
        T_RUN(emerging);
        T_RUN(quotes);
        T_RUN(reasons);
        T_RUN(roadmap);
        T_RUN(as_of_override);
        T_RUN(json_valid);
        T_RUN(csv);
        T_RUN(empty);
        T_RUN(trends_on_a_small_history);
        T_RUN(trends_on_one_week);
        T_RUN(new_theme_rate);
        vb_kb_free(kb);
        vb_source_free(src);
        T_END();
}
