#include "hv_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool hv_errorf(hv_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return false;
}

const char *hv_error_name(char *buf, size_t cap, const char *name)
{
    bool plain = true;
    for (const char *p = name; *p && plain; p++)
        plain = (unsigned char)*p >= 0x20 && *p != 0x7f;
    if (plain || cap < 8)
        return name;
    size_t o = 0;
    buf[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        char tmp[8];
        if (*p == '"' || *p == '\\')
            snprintf(tmp, sizeof tmp, "\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7f)
            snprintf(tmp, sizeof tmp, "%c", *p);
        else
            snprintf(tmp, sizeof tmp, "\\x%02x", *p);
        size_t tl = strlen(tmp);
        if (o + tl + 5 > cap) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, tmp, tl);
        o += tl;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}
