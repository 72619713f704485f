/* ini_parse_string for the web build's figure and animation tests: plays
 * back what Debian's inih did with the same text natively (recorded by
 * ini_record.c at build time), so src/core/spec.c parses exactly as in the
 * native tests. A text that was not recorded is refused with a message
 * that says where to list it. Linked ahead of the player's noini stub. */
#include <stdio.h>
#include <string.h>

#include "ini.h"
#include "ini_replay.h"

int ini_parse_string(const char *string, ini_handler handler, void *user)
{
    for (int i = 0; i < hv_ini_n_records; i++) {
        const hv_ini_record *r = &hv_ini_records[i];
        if (strcmp(r->text, string) != 0)
            continue;
        for (int k = 0; k < r->n_calls; k++)
            handler(user, r->calls[k].section, r->calls[k].name, r->calls[k].value);
        return r->rc;
    }
    fprintf(stderr, "ini_replay: a spec text that was not recorded (list it in tests/unit/spec_texts.h):\n%.200s\n",
            string);
    return -1;
}
