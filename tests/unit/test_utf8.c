/* Unicode through utf8proc: case folding, NFC, character classes, widths. */
#include "t.h"
#include "verbatim/phrase.h"
#include "verbatim/utf8.h"

static struct vb_buf out;

static const char *fold(const char *s)
{
        vb_buf_reset(&out);
        vb_utf8_fold_nfc(&out, s, strlen(s));
        return out.ptr;
}

static const char *nfc(const char *s)
{
        vb_buf_reset(&out);
        vb_utf8_nfc(&out, s, strlen(s));
        return out.ptr;
}

static const char *norm(const char *s)
{
        vb_buf_reset(&out);
        vb_phrase_normalize(&out, s, strlen(s));
        return out.ptr;
}

static void test_fold_vietnamese(void)
{
        /* Ậ (U+1EAC) and Á: Latin Extended Additional, beyond Latin-1 */
        T_STR(fold("QUÁ CHẬM"), "quá chậm");
        T_STR(fold("Đường"), "đường");
        /* decomposed: A + U+0302 + U+0323, the marks in either order */
        T_STR(fold("CHA\xcc\x82\xcc\xa3M"), "chậm");
        T_STR(fold("CHA\xcc\xa3\xcc\x82M"), "chậm");
}

static void test_fold_german(void)
{
        T_STR(fold("STRASSE"), "strasse");
        T_STR(fold("Straße"), "strasse"); /* full folding: ß is ss */
        T_STR(fold("STRAẞE"), "strasse"); /* capital sharp s */
        T_STR(fold("Größe"), "grösse");
        T_INT(vb_utf8_fold(0xdf), 0xdf); /* one code point: ß stays */
        T_INT(vb_utf8_fold(0x1e9e), 0xdf);
}

static void test_fold_greek(void)
{
        /* final sigma and sigma fold alike */
        T_STR(fold("ΟΔΥΣΣΕΥΣ"), "οδυσσευσ");
        T_STR(fold("Οδυσσεύς"), "οδυσσεύσ");
        T_INT(vb_utf8_fold(0x3c2), 0x3c3);
        T_INT(vb_utf8_fold(0x3a3), 0x3c3);
        T_STR(fold("ΆΝΘΡΩΠΟΣ"), "άνθρωποσ");
}

static void test_fold_turkish(void)
{
        /* Unicode's default folding, not Turkish rules: I is i, İ is i +
         * U+0307 (combining dot above), dotless ı stays itself */
        T_STR(fold("ISTANBUL"), "istanbul");
        T_STR(fold("İSTANBUL"), "i\xcc\x87stanbul");
        T_STR(fold("ırmak"), "ırmak");
        T_INT(vb_utf8_fold(0x130), 'i');
        T_INT(vb_utf8_fold(0x131), 0x131);
}

static void test_fold_other(void)
{
        T_STR(fold("尺码偏小"), "尺码偏小"); /* CJK has no case */
        T_STR(fold("ＡＢＣ"), "ａｂｃ");     /* fullwidth: case folded, width kept */
        T_STR(fold("МОСКВА"), "москва");
        T_STR(fold("plain ascii, UPPER"), "plain ascii, upper");
        T_STR(fold("KELVIN \xe2\x84\xaa"), "kelvin k"); /* U+212A */
        T_STR(fold("a\xffz"), "a\xef\xbf\xbdz");        /* invalid byte: U+FFFD */
        T_STR(fold(""), "");
        /* appends after what the buffer holds */
        vb_buf_reset(&out);
        vb_buf_adds(&out, "X:");
        vb_utf8_fold_nfc(&out, "CAFE\xcc\x81", 6);
        T_STR(out.ptr, "X:café");
}

static void test_nfc(void)
{
        T_STR(nfc("cafe\xcc\x81"), "café");
        T_STR(nfc("CAFE\xcc\x81"), "CAFÉ"); /* case kept */
        T_STR(nfc("café"), "café");
        T_STR(nfc("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"), "한"); /* Hangul jamo */
        T_STR(nfc("Ａ"), "Ａ"); /* NFC, not NFKC: compatibility forms kept */
        T_STR(nfc("ascii"), "ascii");
        /* a long decomposed text (beyond the stack buffer) */
        struct vb_buf in = VB_BUF_INIT, want = VB_BUF_INIT;
        for (int i = 0; i < 500; i++) {
                vb_buf_adds(&in, "e\xcc\x81");
                vb_buf_adds(&want, "é");
        }
        T_STR(nfc(in.ptr), want.ptr);
        vb_buf_release(&in);
        vb_buf_release(&want);
}

static void test_classes(void)
{
        T_INT(vb_utf8_class('a'), VB_UCLASS_LETTER);
        T_INT(vb_utf8_class(0x1eac), VB_UCLASS_LETTER); /* Ậ */
        T_INT(vb_utf8_class(0x5c3a), VB_UCLASS_LETTER); /* 尺 */
        T_INT(vb_utf8_class(0x301), VB_UCLASS_MARK);
        T_INT(vb_utf8_class(0x663), VB_UCLASS_NUMBER); /* Arabic-Indic 3 */
        T_INT(vb_utf8_class(0x201c), VB_UCLASS_PUNCT);
        T_INT(vb_utf8_class(0x3002), VB_UCLASS_PUNCT); /* 。 */
        T_INT(vb_utf8_class(0x20ac), VB_UCLASS_SYMBOL);
        T_INT(vb_utf8_class(0x1f621), VB_UCLASS_SYMBOL); /* 😡 */
        T_INT(vb_utf8_class(0x3000), VB_UCLASS_SPACE);
        T_INT(vb_utf8_class(0x200d), VB_UCLASS_OTHER);
        T_INT(vb_utf8_class(0x110000), VB_UCLASS_OTHER);
        T_TRUE(vb_utf8_is_word('7') && vb_utf8_is_word(0xb5) && vb_utf8_is_word(0x301));
        T_TRUE(!vb_utf8_is_word('-') && !vb_utf8_is_word(0xab) && !vb_utf8_is_word(0x2026));
}

static void test_width(void)
{
        T_INT(vb_utf8_width('a'), 1);
        T_INT(vb_utf8_width('\t'), 0);
        T_INT(vb_utf8_width(0x5c3a), 2); /* 尺 */
        T_INT(vb_utf8_width(0xff21), 2); /* Ａ */
        T_INT(vb_utf8_width(0x301), 0);  /* combining acute */
        T_INT(vb_utf8_width(0x1ec7), 1); /* ệ */
        T_INT(vb_utf8_width(0xac00), 2); /* 가 */
}

static void test_phrase_words(void)
{
        /* the phrase index's words: folded and composed, offsets of the text */
        T_STR(norm("QUÁ CHẬM"), "quá chậm");
        T_STR(norm("cafe\xcc\x81 CRE\xcc\x80ME"), "café crème");
        T_STR(norm("Größe passt nicht"), "grösse passt nicht");
        T_STR(norm("ΠΟΛΎ ΑΡΓΌΣ"), "πολύ αργόσ");
        T_STR(norm("price😡 too high"), "price too high");
        T_STR(norm("µ-size"), "μ-size"); /* micro sign folds to Greek mu */
        struct vb_ptokens t = VB_PTOKENS_INIT;
        const char *s = "Ve\xcc\x81lo rapide";
        vb_phrase_tokenize(&t, s, strlen(s));
        T_INT(t.n, 2);
        T_INT(t.v[0].start, 0);
        T_INT(t.v[0].end, 6); /* the decomposed bytes of the text */
        T_STR(t.norm.ptr + t.v[0].norm, "vélo");
        T_INT(t.v[0].nlen, strlen("vélo"));
        vb_ptokens_release(&t);
}

int main(void)
{
        T_RUN(test_fold_vietnamese);
        T_RUN(test_fold_german);
        T_RUN(test_fold_greek);
        T_RUN(test_fold_turkish);
        T_RUN(test_fold_other);
        T_RUN(test_nfc);
        T_RUN(test_classes);
        T_RUN(test_width);
        T_RUN(test_phrase_words);
        vb_buf_release(&out);
        T_END();
}
