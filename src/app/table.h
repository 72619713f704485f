/* table: the numbers behind the figure, for the paper's text and tables
 * (--table FILE): every (model, condition)'s top k heads after reduction and
 * ranking, columns model, condition, rank, layer, head, score; CSV for .csv
 * or "-" (standard output), a Markdown table for .md, a LaTeX booktabs
 * tabular for .tex. Written atomically, never over an existing file without
 * --force (hv_write_file_atomic). */
#ifndef HV_TABLE_H
#define HV_TABLE_H

#include <stdbool.h>

#include "../core/dataset.h"

typedef enum hv_table_format { HV_TABLE_CSV, HV_TABLE_MD, HV_TABLE_TEX } hv_table_format;

/* The format of path by its extension; -1 (err filled) when none fits. */
int hv_table_format_of(const char *path, hv_error *err);
/* The table of all's top k (k = HV_TOP_ALL: every scored head) as text:
 * malloc'd, NUL-terminated; NULL on out of memory. Scores are written with
 * the fewest digits that read back as the same double. */
char *hv_table_text(const hv_dataset *all, int k, bool by_abs, hv_table_format f);
/* Writes it to path ("-": standard output). */
bool hv_table_write(const hv_dataset *all, int k, bool by_abs, const char *path, bool overwrite, hv_error *err);

#endif
