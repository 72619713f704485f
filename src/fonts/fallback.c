#include "fallback.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool hv_font_fallback_file(unsigned cp, char *out, size_t out_size)
{
    int index;
    return hv_font_fallback_face(cp, out, out_size, &index);
}

bool hv_font_fallback_face(unsigned cp, char *out, size_t out_size, int *index)
{
    if (!FcInit())
        return false;
    FcPattern *pat = FcNameParse((const FcChar8 *)"sans-serif");
    FcCharSet *want = FcCharSetCreate();
    bool ok = false;
    if (pat && want && FcCharSetAddChar(want, cp) && FcPatternAddCharSet(pat, FC_CHARSET, want)) {
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcFontSet *set = FcFontSort(NULL, pat, FcTrue, NULL, &res);
        for (int i = 0; set && i < set->nfont && !ok; i++) {
            FcCharSet *cs = NULL;
            FcChar8 *file = NULL;
            if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) != FcResultMatch || !FcCharSetHasChar(cs, cp) ||
                FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch || !file)
                continue;
            const char *f = (const char *)file;
            size_t n = strlen(f);
            if (n > 4 && (strcasecmp(f + n - 4, ".ttf") == 0 || strcasecmp(f + n - 4, ".otf") == 0 ||
                          strcasecmp(f + n - 4, ".ttc") == 0)) {
                snprintf(out, out_size, "%s", f);
                if (FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, index) != FcResultMatch)
                    *index = 0;
                ok = true;
            }
        }
        if (set)
            FcFontSetDestroy(set);
    }
    if (want)
        FcCharSetDestroy(want);
    if (pat)
        FcPatternDestroy(pat);
    return ok;
}

void hv_utf8_put(unsigned cp, char *o)
{
    size_t j = 0;
    if (cp < 0x80) {
        o[j++] = (char)cp;
    } else if (cp < 0x800) {
        o[j++] = (char)(0xC0 | (cp >> 6));
        o[j++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        o[j++] = (char)(0xE0 | (cp >> 12));
        o[j++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[j++] = (char)(0x80 | (cp & 0x3F));
    } else {
        o[j++] = (char)(0xF0 | ((cp >> 18) & 0x07));
        o[j++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[j++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[j++] = (char)(0x80 | (cp & 0x3F));
    }
    o[j] = 0;
}
