/* What inih made of each spec text the figure and animation tests parse:
 * the handler's calls in order and what ini_parse_string returned.
 * Recorded natively by ini_record.c (with Debian's inih), played back in
 * the web build by ini_replay.c. */
#ifndef HV_INI_REPLAY_H
#define HV_INI_REPLAY_H

typedef struct hv_ini_call {
    const char *section, *name, *value; /* name and value NULL: a new section */
} hv_ini_call;

typedef struct hv_ini_record {
    const char *text; /* the text given to ini_parse_string */
    int rc;           /* what it returned */
    int n_calls;
    const hv_ini_call *calls;
} hv_ini_record;

extern const hv_ini_record hv_ini_records[];
extern const int hv_ini_n_records;

#endif
