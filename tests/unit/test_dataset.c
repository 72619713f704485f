/* Unit tests of the CSV reader (dataset.c): hv_dataset_parse, hv_dataset_load,
 * hv_read_file and the small queries. Error messages are compared whole, with
 * file name and line, because they are what a user sees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assets.h"
#include "check.h"
#include "dataset.h"

#define HDR "model,condition,layer,head,score\n"

static bool parse(hv_dataset *ds, const char *csv, hv_error *err)
{
    memset(err->msg, 0, sizeof err->msg);
    return hv_dataset_parse(ds, csv, strlen(csv), "t.csv", err);
}

/* Parses csv, which must fail with exactly `msg`, and leaves the dataset empty. */
static void expect_error(const char *csv, const char *msg, const char *file, int line)
{
    hv_dataset ds;
    hv_error err;
    memset(&ds, 0x5a, sizeof ds); /* parse must not rely on a zeroed dataset */
    bool ok = parse(&ds, csv, &err);
    check_true_(!ok, "parse fails", file, line);
    check_str_(err.msg, msg, "error", "expected", file, line);
    check_true_(ds.n_points == 0 && ds.points == NULL && ds.n_models == 0 && ds.n_conditions == 0,
                "dataset left empty", file, line);
    hv_dataset_free(&ds);
}
#define EXPECT_ERROR(csv, msg) expect_error((csv), (msg), __FILE__, __LINE__)

static const hv_point *find_point(const hv_dataset *ds, int layer, int head)
{
    for (int i = 0; i < ds->n_points; i++)
        if (ds->points[i].layer == layer && ds->points[i].head == head)
            return &ds->points[i];
    return NULL;
}

static void test_basic(void)
{
    hv_dataset ds;
    hv_error err;
    CHECK(parse(&ds, HDR "Llama,Undiff,1,2,5\nVicuna,Undiff,3,4,60.5\nLlama,Scaling,0,13,12\n", &err));
    CHECK_INT(ds.n_points, 3);
    CHECK_INT(ds.n_models, 2);
    CHECK_INT(ds.n_conditions, 2);
    CHECK_STR(ds.models[0], "Llama");
    CHECK_STR(ds.models[1], "Vicuna");
    CHECK_STR(ds.conditions[0], "Undiff");
    CHECK_STR(ds.conditions[1], "Scaling");
    if (ds.n_points == 3) {
        const hv_point *p = ds.points;
        CHECK_INT(p[0].model, 0);
        CHECK_INT(p[0].condition, 0);
        CHECK_INT(p[0].layer, 1);
        CHECK_INT(p[0].head, 2);
        CHECK_NEAR(p[0].score, 5.0, 0);
        CHECK_INT(p[0].line, 2);
        CHECK_INT(p[1].model, 1);
        CHECK_INT(p[1].layer, 3);
        CHECK_INT(p[1].head, 4);
        CHECK_NEAR(p[1].score, 60.5, 0);
        CHECK_INT(p[1].line, 3);
        CHECK_INT(p[2].model, 0);
        CHECK_INT(p[2].condition, 1);
        CHECK_INT(p[2].line, 4);
    }
    CHECK_NEAR(hv_dataset_max_score(&ds, 0), 60.5, 0);
    CHECK_NEAR(hv_dataset_max_score(&ds, 1), 12.0, 0);
    CHECK_NEAR(hv_dataset_max_score(&ds, 5), 0.0, 0); /* no points */
    CHECK_INT(hv_dataset_max_layer(&ds), 3);
    CHECK_INT(hv_dataset_max_head(&ds), 13);
    hv_dataset_free(&ds);
    CHECK(ds.points == NULL && ds.n_points == 0);

    /* tiny scores underflow to a subnormal or to 0 and are kept: they are
     * finite numbers (only overflow, inf and nan are refused) */
    CHECK(parse(&ds, HDR "m,c,0,0,1e-310\nm,c,0,1,1e-400\nm,c,0,2,0x1p-3\n", &err));
    CHECK_INT(ds.n_points, 3);
    if (ds.n_points == 3) {
        CHECK(ds.points[0].score > 0 && ds.points[0].score < 1e-300);
        CHECK_NEAR(ds.points[1].score, 0.0, 0);
        CHECK_NEAR(ds.points[2].score, 0.125, 0);
    }
    hv_dataset_free(&ds);

    /* negative scores are numbers too; max_score is the largest, not 0 */
    CHECK(parse(&ds, HDR "m,c,0,0,-3\nm,c,0,1,-1.5\n", &err));
    CHECK_NEAR(hv_dataset_max_score(&ds, 0), -1.5, 0);
    hv_dataset_free(&ds);

    hv_dataset empty;
    memset(&empty, 0, sizeof empty);
    CHECK_INT(hv_dataset_max_layer(&empty), -1);
    CHECK_INT(hv_dataset_max_head(&empty), -1);
}

static void test_column_order(void)
{
    hv_dataset ds;
    hv_error err;
    /* any order, extra columns (also between) ignored, header names trimmed */
    CHECK(parse(&ds,
                "note, score ,head,extra,layer,condition,model\n"
                "hello,2.5,7,zzz,11,Cond A,Model X\n"
                "x,-0.25,0,,3,Cond B,Model Y\n",
                &err));
    CHECK_INT(ds.n_points, 2);
    if (ds.n_points == 2) {
        CHECK_INT(ds.points[0].layer, 11);
        CHECK_INT(ds.points[0].head, 7);
        CHECK_NEAR(ds.points[0].score, 2.5, 0);
        CHECK_STR(ds.models[ds.points[0].model], "Model X");
        CHECK_STR(ds.conditions[ds.points[0].condition], "Cond A");
        CHECK_INT(ds.points[1].layer, 3);
        CHECK_INT(ds.points[1].head, 0);
        CHECK_NEAR(ds.points[1].score, -0.25, 0);
        CHECK_STR(ds.models[ds.points[1].model], "Model Y");
        CHECK_STR(ds.conditions[ds.points[1].condition], "Cond B");
    }
    hv_dataset_free(&ds);
}

static void test_quoting(void)
{
    hv_dataset ds;
    hv_error err;
    /* commas and doubled quotes inside quotes; quoted numbers */
    CHECK(parse(&ds, HDR "\"Llama, 2\",\"cond \"\"A\"\"\",\"1\",2,\"3.5\"\n", &err));
    CHECK_INT(ds.n_points, 1);
    CHECK_STR(ds.models[0], "Llama, 2");
    CHECK_STR(ds.conditions[0], "cond \"A\"");
    if (ds.n_points == 1) {
        CHECK_INT(ds.points[0].layer, 1);
        CHECK_NEAR(ds.points[0].score, 3.5, 0);
    }
    hv_dataset_free(&ds);

    /* an empty quoted field is empty: "" as a model name is an error */
    EXPECT_ERROR(HDR "\"\",c,1,2,3\n", "t.csv:2: column \"model\": empty");

    /* a newline inside quotes is part of the field; the next record's line
     * numbers count it */
    const char *multi = HDR              /* 1 */
        "\"two\nlines\",c,1,2,3\n"       /* 2-3 */
        "m,\"three\n\nlines\",4,5,6\n"   /* 4-6 */
        "m,c,7,8,9\n";                   /* 7 */
    CHECK(parse(&ds, multi, &err));
    CHECK_INT(ds.n_points, 3);
    CHECK_STR(ds.models[0], "two\nlines");
    CHECK_STR(ds.conditions[1], "three\n\nlines");
    if (ds.n_points == 3) {
        CHECK_INT(ds.points[0].line, 2);
        CHECK_INT(ds.points[1].line, 4);
        CHECK_INT(ds.points[2].line, 7);
    }
    hv_dataset_free(&ds);

    /* an error after a multi-line quoted field names the right line */
    EXPECT_ERROR(HDR "\"two\nlines\",c,1,2,3\nm,c,zz,2,3\n",
                 "t.csv:4: column \"layer\": expected an integer 0..100000, got \"zz\"");
    EXPECT_ERROR(HDR "m,\"a\r\nb\r\nc\",1,2,3\r\nm,c,1,2\r\n",
                 "t.csv:5: expected 5 fields like the header, got 4");
    /* the error is on the record that spans lines 2-3: its first line */
    EXPECT_ERROR(HDR "\"two\nlines\",c,x,2,3\n",
                 "t.csv:2: column \"layer\": expected an integer 0..100000, got \"x\"");

    /* quote errors */
    EXPECT_ERROR(HDR "m,c,1,2,3\n\"m,c,1,2,3\n", "t.csv:3: field 1: quoted field is not closed");
    EXPECT_ERROR(HDR "m,c,1,2,3\nm,c,1,\"2\n,3\n\n", "t.csv:3: field 4: quoted field is not closed");
    EXPECT_ERROR(HDR "m\"x,c,1,2,3\n", "t.csv:2: field 1: stray quote in unquoted field");
    EXPECT_ERROR(HDR "\"m\"x,c,1,2,3\n", "t.csv:2: field 1: unexpected character after closing quote");
    EXPECT_ERROR(HDR "m,\"c\" ,1,2,3\n", "t.csv:2: field 2: unexpected character after closing quote");
}

static void test_line_endings(void)
{
    hv_dataset ds;
    hv_error err;
    const char *crlf = "model,condition,layer,head,score\r\nm,c,1,2,3\r\n\r\nm,c,2,3,4.5\r\n";
    CHECK(parse(&ds, crlf, &err));
    CHECK_INT(ds.n_points, 2);
    if (ds.n_points == 2) {
        CHECK_INT(ds.points[0].line, 2);
        CHECK_INT(ds.points[1].line, 4);
        CHECK_NEAR(ds.points[1].score, 4.5, 0); /* no '\r' left in the last field */
    }
    hv_dataset_free(&ds);

    /* no newline at the end of the last row */
    CHECK(parse(&ds, HDR "m,c,1,2,3\nm,c,2,3,4", &err));
    CHECK_INT(ds.n_points, 2);
    if (ds.n_points == 2)
        CHECK_NEAR(ds.points[1].score, 4.0, 0);
    hv_dataset_free(&ds);

    EXPECT_ERROR("model,condition,layer,head,score\r\nm,c,1,2,3\r\n\r\nm,c,x,3,4\r\n",
                 "t.csv:4: column \"layer\": expected an integer 0..100000, got \"x\"");
}

static void test_bom_and_blank_lines(void)
{
    hv_dataset ds;
    hv_error err;
    CHECK(parse(&ds, "\xEF\xBB\xBF" HDR "m,c,1,2,3\n", &err));
    CHECK_INT(ds.n_points, 1);
    hv_dataset_free(&ds);

    /* blank lines before the header, between and after rows */
    const char *blank = "\n\n" HDR "\nm,c,1,2,3\n\n\nm,c,2,2,3\n\n";
    CHECK(parse(&ds, blank, &err));
    CHECK_INT(ds.n_points, 2);
    if (ds.n_points == 2) {
        CHECK_INT(ds.points[0].line, 5);
        CHECK_INT(ds.points[1].line, 8);
    }
    hv_dataset_free(&ds);
    EXPECT_ERROR("\n\n" HDR "\nm,c,1,2,3\n\n\nm,c,2,2\n",
                 "t.csv:8: expected 5 fields like the header, got 4");
    /* a line of spaces and tabs is a blank line too (LF, CRLF, CR), and
     * later line numbers stay right */
    const char *ws = "  \n" HDR " \t \nm,c,1,2,3\r\n\t\r\n   \rm,c,2,2,3\n \t";
    CHECK(parse(&ds, ws, &err));
    CHECK_INT(ds.n_points, 2);
    if (ds.n_points == 2) {
        CHECK_INT(ds.points[0].line, 4);
        CHECK_INT(ds.points[1].line, 7);
    }
    hv_dataset_free(&ds);
    EXPECT_ERROR(HDR "  \t\nm,c,1,2,3\n \nm,c,x,2,3\n",
                 "t.csv:5: column \"layer\": expected an integer 0..100000, got \"x\"");
    /* a line with a comma is a record, not a blank line */
    EXPECT_ERROR(HDR "m,c,1,2,3\n , \n", "t.csv:3: expected 5 fields like the header, got 2");
    EXPECT_ERROR("\n\nmodel,condition,layer,score\n",
                 "t.csv:3: header has no column \"head\" (need model,condition,layer,head,score)");
}

static void test_first_appearance_order(void)
{
    hv_dataset ds;
    hv_error err;
    CHECK(parse(&ds,
                HDR "B,z,0,0,1\nA,y,0,0,1\nB,y,1,0,1\nC,z,1,0,1\nA,x,2,0,1\n", &err));
    CHECK_INT(ds.n_models, 3);
    CHECK_INT(ds.n_conditions, 3);
    CHECK_STR(ds.models[0], "B");
    CHECK_STR(ds.models[1], "A");
    CHECK_STR(ds.models[2], "C");
    CHECK_STR(ds.conditions[0], "z");
    CHECK_STR(ds.conditions[1], "y");
    CHECK_STR(ds.conditions[2], "x");
    if (ds.n_points == 5) {
        static const int model[5] = {0, 1, 0, 2, 1}, cond[5] = {0, 1, 1, 0, 2};
        for (int i = 0; i < 5; i++) {
            check_context("point %d", i);
            CHECK_INT(ds.points[i].model, model[i]);
            CHECK_INT(ds.points[i].condition, cond[i]);
        }
        check_context("%s", "");
    }
    hv_dataset_free(&ds);

    /* names are case-sensitive: "a" and "A" are two models */
    CHECK(parse(&ds, HDR "A,c,0,0,1\na,c,0,0,1\n", &err));
    CHECK_INT(ds.n_models, 2);
    hv_dataset_free(&ds);
}

static void test_trimming(void)
{
    hv_dataset ds;
    hv_error err;
    CHECK(parse(&ds, " model , condition\t,layer , head,score \n  m1 ,\tc1 , 3 ,\t4 , 2.5 \n", &err));
    CHECK_INT(ds.n_points, 1);
    CHECK_STR(ds.models[0], "m1");
    CHECK_STR(ds.conditions[0], "c1");
    if (ds.n_points == 1) {
        CHECK_INT(ds.points[0].layer, 3);
        CHECK_INT(ds.points[0].head, 4);
        CHECK_NEAR(ds.points[0].score, 2.5, 0);
    }
    hv_dataset_free(&ds);

    /* " m1" and "m1" are the same model, so this is a duplicate */
    EXPECT_ERROR(HDR "m1,c,1,2,3\n m1 ,c, 1 ,2 ,4\n",
                 "t.csv:3: duplicate point: model \"m1\", condition \"c\", layer 1, head 2 is already on line 2");
}

static void test_errors(void)
{
    EXPECT_ERROR("", "t.csv: file is empty (expected a header row: model,condition,layer,head,score)");
    EXPECT_ERROR("\n\r\n\n", "t.csv: file is empty (expected a header row: model,condition,layer,head,score)");
    EXPECT_ERROR("\xEF\xBB\xBF", "t.csv: file is empty (expected a header row: model,condition,layer,head,score)");

    EXPECT_ERROR("model,condition,layer,score\nm,c,1,3\n",
                 "t.csv:1: header has no column \"head\" (need model,condition,layer,head,score)");
    EXPECT_ERROR("condition,layer,head,score\n",
                 "t.csv:1: header has no column \"model\" (need model,condition,layer,head,score)");
    EXPECT_ERROR("model,condition,layer,head,scores\n",
                 "t.csv:1: header has no column \"score\" (need model,condition,layer,head,score)");
    EXPECT_ERROR("model,condition,layer,head,score,layer\n",
                 "t.csv:1: column \"layer\" appears twice in the header");

    EXPECT_ERROR(HDR "m,c,x,2,3\n", "t.csv:2: column \"layer\": expected an integer 0..100000, got \"x\"");
    EXPECT_ERROR(HDR "m,c,1.5,2,3\n", "t.csv:2: column \"layer\": expected an integer 0..100000, got \"1.5\"");
    EXPECT_ERROR(HDR "m,c,-1,2,3\n", "t.csv:2: column \"layer\": expected an integer 0..100000, got \"-1\"");
    EXPECT_ERROR(HDR "m,c,,2,3\n", "t.csv:2: column \"layer\": expected an integer 0..100000, got \"\"");
    EXPECT_ERROR(HDR "m,c,100001,2,3\n",
                 "t.csv:2: column \"layer\": expected an integer 0..100000, got \"100001\"");
    EXPECT_ERROR(HDR "m,c,1,-3,3\n", "t.csv:2: column \"head\": expected an integer 0..100000, got \"-3\"");
    EXPECT_ERROR(HDR "m,c,1,2 3,3\n", "t.csv:2: column \"head\": expected an integer 0..100000, got \"2 3\"");
    /* a quoted field may hold a newline: the message stays one line (found by fuzz_csv) */
    EXPECT_ERROR(HDR "m,c,\"1\n2\",2,3\n",
                 "t.csv:2: column \"layer\": expected an integer 0..100000, got \"1\\x0a2\"");
    EXPECT_ERROR(HDR "m,c,1,2,\"" "0123456789012345678901234567890123456789012345678901234567890123456789\"\n",
                 "t.csv:2: column \"score\": expected a finite number (or nan: no score), got "
                 "\"0123456789012345678901234567890123456789012345678901234567890123...\"");

    /* NaN is "no score": the row is no point (and a file of nothing else
     * has no data) */
    {
        hv_dataset nds;
        hv_error nerr;
        CHECK(parse(&nds, HDR "m,c,1,2,3\nm,c,1,3,nan\nm,c,4,4, NaN \n", &nerr));
        CHECK_INT(nds.n_points, 1);
        /* ... but never dropped in silence (issue 15): counted, the first
         * named with its line */
        CHECK_INT(nds.n_no_score, 2);
        char msg[256];
        hv_dataset_no_score_message(&nds, "t.csv", msg, sizeof msg);
        CHECK_STR(msg, "2 rows have no score (nan) and are not drawn; the first: t.csv:3 (m, c, layer 1, head 3)");
        hv_dataset_free(&nds);
        CHECK(parse(&nds, HDR "m,c,1,2,3\nn,d,7,5,-nan\n", &nerr));
        hv_dataset_no_score_message(&nds, "t.csv", msg, sizeof msg);
        CHECK_STR(msg, "1 row has no score (nan) and is not drawn; the first: t.csv:3 (n, d, layer 7, head 5)");
        hv_dataset_free(&nds);
        CHECK(parse(&nds, HDR "m,c,1,2,3\n", &nerr));
        hv_dataset_no_score_message(&nds, "t.csv", msg, sizeof msg);
        CHECK_STR(msg, "");
        hv_dataset_free(&nds);
    }
    EXPECT_ERROR(HDR "m,c,1,2,NaN\n", "t.csv:2: column \"score\": every data row has no score (nan): nothing to draw");
    EXPECT_ERROR(HDR "\nm,c,1,2,nan\nm,c,1,3,nan\n",
                 "t.csv:3: column \"score\": every data row has no score (nan): nothing to draw");
    EXPECT_ERROR(HDR "m,c,1,2,inf\n", "t.csv:2: column \"score\": expected a finite number (or nan: no score), got \"inf\"");
    EXPECT_ERROR(HDR "m,c,1,2,-Infinity\n",
                 "t.csv:2: column \"score\": expected a finite number (or nan: no score), got \"-Infinity\"");
    EXPECT_ERROR(HDR "m,c,1,2,1e999\n", "t.csv:2: column \"score\": expected a finite number (or nan: no score), got \"1e999\"");
    EXPECT_ERROR(HDR "m,c,1,2,\n", "t.csv:2: column \"score\": expected a finite number (or nan: no score), got \"\"");
    EXPECT_ERROR(HDR "m,c,1,2,  \n", "t.csv:2: column \"score\": expected a finite number (or nan: no score), got \"  \"");
    EXPECT_ERROR(HDR "m,c,1,2,3x\n", "t.csv:2: column \"score\": expected a finite number (or nan: no score), got \"3x\"");

    EXPECT_ERROR(HDR "m,c,1,2,3\nm,c,1,2\n", "t.csv:3: expected 5 fields like the header, got 4");
    EXPECT_ERROR(HDR "m,c,1,2,3,4\n", "t.csv:2: expected 5 fields like the header, got 6");
    EXPECT_ERROR("model,condition,layer,head,score,note\nm,c,1,2,3\n",
                 "t.csv:2: expected 6 fields like the header, got 5");

    EXPECT_ERROR(HDR " ,c,1,2,3\n", "t.csv:2: column \"model\": empty");
    EXPECT_ERROR(HDR "m,,1,2,3\n", "t.csv:2: column \"condition\": empty");

    EXPECT_ERROR(HDR "m,c,1,2,3\nm,c,4,5,6\nm,c,1,2,7\n",
                 "t.csv:4: duplicate point: model \"m\", condition \"c\", layer 1, head 2 is already on line 2");
}

static void test_errors_more(void)
{
    hv_dataset ds;
    hv_error err;
    /* the same position in another model or condition is not a duplicate */
    CHECK(parse(&ds, HDR "m,c,1,2,3\nn,c,1,2,3\nm,d,1,2,3\n", &err));
    CHECK_INT(ds.n_points, 3);
    hv_dataset_free(&ds);

    EXPECT_ERROR(HDR, "t.csv: no data rows after the header");
    EXPECT_ERROR(HDR "\n\r\n\n", "t.csv: no data rows after the header");
    EXPECT_ERROR("model,condition,layer,head,score", "t.csv: no data rows after the header");

    /* NUL bytes: not a text file */
    static const char nul[] = "model,condition,layer,head,score\nm,c,1,2,\0003\n";
    memset(&ds, 0, sizeof ds);
    CHECK(!hv_dataset_parse(&ds, nul, sizeof nul - 1, "t.csv", &err));
    CHECK_STR(err.msg, "t.csv: not a text file (contains NUL bytes)");

    /* more than HV_MAX_MODELS models */
    char buf[4096];
    int n = snprintf(buf, sizeof buf, HDR);
    for (int i = 0; i <= HV_MAX_MODELS; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "model%d,c,%d,0,1\n", i, i);
    char msg[128];
    snprintf(msg, sizeof msg, "t.csv:%d: column \"model\": more than %d models", HV_MAX_MODELS + 2,
             HV_MAX_MODELS);
    EXPECT_ERROR(buf, msg);

    /* a name of HV_MAX_NAME bytes does not fit */
    n = snprintf(buf, sizeof buf, HDR);
    memset(buf + n, 'a', HV_MAX_NAME);
    snprintf(buf + n + HV_MAX_NAME, sizeof buf - (size_t)n - HV_MAX_NAME, ",c,1,2,3\n");
    snprintf(msg, sizeof msg, "t.csv:2: column \"model\": longer than %d bytes", HV_MAX_NAME - 1);
    EXPECT_ERROR(buf, msg);

    /* len is honoured: the text need not be NUL-terminated, and what follows
     * len is not read */
    static const char longer[] = HDR "m,c,1,2,3\nm,c,x,y,z\n";
    size_t len = strlen(HDR "m,c,1,2,3\n");
    CHECK(hv_dataset_parse(&ds, longer, len, "t.csv", &err));
    CHECK_INT(ds.n_points, 1);
    hv_dataset_free(&ds);
    /* ...and a cut inside a quoted field is an unclosed quote */
    static const char cut[] = HDR "\"m\",c,1,2,3\n";
    CHECK(!hv_dataset_parse(&ds, cut, strlen(HDR) + 2, "t.csv", &err));
    CHECK_STR(err.msg, "t.csv:2: field 1: quoted field is not closed");

    /* err may be NULL */
    CHECK(!hv_dataset_parse(&ds, "", 0, "t.csv", NULL));

    /* a failed parse after a good one leaves nothing behind (and does not leak) */
    CHECK(parse(&ds, HDR "m,c,1,2,3\n", &err));
    hv_dataset_free(&ds);
    CHECK(!parse(&ds, HDR "m,c,1,2,3\nm,c,1,2,3\n", &err));
    CHECK_INT(ds.n_points, 0);
    CHECK(ds.points == NULL);
}

static void test_many_rows(void)
{
    /* enough rows to grow the point array several times; the duplicate is
     * found however far apart the two rows are */
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    CHECK(buf != NULL);
    if (!buf)
        return;
    size_t n = (size_t)snprintf(buf, cap, HDR);
    for (int i = 0; i < 5000; i++)
        n += (size_t)snprintf(buf + n, cap - n, "m%d,c%d,%d,%d,%d.5\n", i % 3, i % 2, i / 40, i % 40, i);
    hv_dataset ds;
    hv_error err;
    CHECK(hv_dataset_parse(&ds, buf, n, "big.csv", &err));
    CHECK_INT(ds.n_points, 5000);
    CHECK_INT(ds.n_models, 3);
    CHECK_INT(ds.n_conditions, 2);
    CHECK_INT(hv_dataset_max_layer(&ds), 124);
    CHECK_INT(hv_dataset_max_head(&ds), 39);
    CHECK_NEAR(hv_dataset_max_score(&ds, 1), 4999.5, 0);
    if (ds.n_points == 5000)
        CHECK_INT(ds.points[4999].line, 5001);
    hv_dataset_free(&ds);
    /* row 5002 repeats row 2 (i = 0: m0, c0, layer 0, head 0) */
    n += (size_t)snprintf(buf + n, cap - n, "m0,c0,0,0,1\n");
    CHECK(!hv_dataset_parse(&ds, buf, n, "big.csv", &err));
    CHECK_STR(err.msg,
              "big.csv:5002: duplicate point: model \"m0\", condition \"c0\", layer 0, head 0 is already on line 2");
    free(buf);
}

static void test_bundled(void)
{
    hv_dataset ds;
    hv_error err;
    CHECK(hv_dataset_parse(&ds, hv_asset_csv, hv_asset_csv_len, "safety_heads.csv", &err));
    CHECK_INT(ds.n_points, 31);
    CHECK_INT(ds.n_models, 2);
    CHECK_INT(ds.n_conditions, 2);
    CHECK_STR(ds.models[0], "Llama-2-7b-chat");
    CHECK_STR(ds.models[1], "Vicuna-7b-v1.5");
    CHECK_STR(ds.conditions[0], "Undiff Attn.");
    CHECK_STR(ds.conditions[1], "Scaling Cont.");
    CHECK_NEAR(hv_dataset_max_score(&ds, 0), 60, 0);
    CHECK_NEAR(hv_dataset_max_score(&ds, 1), 20, 0);
    CHECK_INT(hv_dataset_max_layer(&ds), 28);
    CHECK_INT(hv_dataset_max_head(&ds), 29);
    const hv_point *p = find_point(&ds, 1, 8);
    CHECK(p != NULL && p->model == 1 && p->condition == 0 && p->score == 60);
    hv_dataset_free(&ds);
}

static void test_load(void)
{
    hv_dataset ds;
    hv_error err;
    CHECK(!hv_dataset_load(&ds, "/nonexistent-hv-dir/data.csv", &err));
    CHECK_STR(err.msg, "/nonexistent-hv-dir/data.csv: cannot open: No such file or directory");
    CHECK_INT(ds.n_points, 0);

    char dir[] = "/tmp/hv_unit_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char msg[512];
    CHECK(!hv_dataset_load(&ds, dir, &err));
    snprintf(msg, sizeof msg, "%s: is a directory, expected a file", dir);
    CHECK_STR(err.msg, msg);

    char path[64];
    snprintf(path, sizeof path, "%s/data.csv", dir);
    const char good[] = HDR "m,c,1,2,3\nm,c,2,2,4\n";
    CHECK(check_write_file(path, good, sizeof good - 1));
    CHECK(hv_dataset_load(&ds, path, &err));
    CHECK_INT(ds.n_points, 2);
    hv_dataset_free(&ds);

    /* errors from a loaded file name the path */
    const char bad[] = HDR "m,c,1,2,3\nm,c,2,2,oops\n";
    CHECK(check_write_file(path, bad, sizeof bad - 1));
    CHECK(!hv_dataset_load(&ds, path, &err));
    snprintf(msg, sizeof msg, "%s:3: column \"score\": expected a finite number (or nan: no score), got \"oops\"", path);
    CHECK_STR(err.msg, msg);

    /* hv_read_file: NUL-terminated copy, and the size limit */
    char *buf = NULL;
    size_t len = 0;
    CHECK(hv_read_file(path, 1000, &buf, &len, &err));
    CHECK_INT(len, sizeof bad - 1);
    CHECK(buf != NULL && memcmp(buf, bad, sizeof bad) == 0); /* includes the '\0' */
    free(buf);
    CHECK(hv_read_file(path, sizeof bad - 1, &buf, &len, &err)); /* exactly the limit */
    CHECK_INT(len, sizeof bad - 1);
    free(buf);
    CHECK(!hv_read_file(path, 10, &buf, &len, &err));
    snprintf(msg, sizeof msg, "%s: larger than 10 bytes", path);
    CHECK_STR(err.msg, msg);
    CHECK(buf == NULL && len == 0);

    /* bigger than the first buffer: exactly at and one past a power-of-two limit */
    size_t big = 16384;
    char *data = malloc(big + 1);
    CHECK(data != NULL);
    if (data) {
        memset(data, 'x', big + 1);
        CHECK(check_write_file(path, data, big));
        CHECK(hv_read_file(path, big, &buf, &len, &err));
        CHECK_INT(len, big);
        free(buf);
        CHECK(check_write_file(path, data, big + 1));
        CHECK(!hv_read_file(path, big, &buf, &len, &err));
        snprintf(msg, sizeof msg, "%s: larger than %zu bytes", path, big);
        CHECK_STR(err.msg, msg);
        CHECK(hv_read_file(path, big + 1, &buf, &len, &err));
        CHECK_INT(len, big + 1);
        free(buf);
        free(data);
    }

    /* an empty file is read as "" */
    CHECK(check_write_file(path, "", 0));
    CHECK(hv_read_file(path, 10, &buf, &len, &err));
    CHECK(buf != NULL && buf[0] == '\0' && len == 0);
    free(buf);
    CHECK(!hv_dataset_load(&ds, path, &err));
    snprintf(msg, sizeof msg, "%s: file is empty (expected a header row: model,condition,layer,head,score)", path);
    CHECK_STR(err.msg, msg);

    CHECK(unlink(path) == 0);
    CHECK(rmdir(dir) == 0);
}

/* Grids bound to a model and a condition; top k; ranks. */
static void test_grids_and_top_k(void)
{
    hv_dataset ds;
    hv_error err;
    memset(&ds, 0, sizeof ds);
    /* 3 layers x 4 heads; NaN = no score; ties at 5 broken by layer, then head */
    const double a[12] = {1, 5, NAN, 2, 5, 9, 0, -12, 3, 5, 4, 8};
    const double b[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    CHECK(hv_dataset_add_grid(&ds, "m", "A", 3, 4, a, "a.npy", &err));
    CHECK(hv_dataset_add_grid(&ds, "m", "B", 3, 4, b, "b.npy", &err));
    CHECK_INT(ds.n_points, 11 + 12);
    CHECK_INT(ds.layers[0], 3);
    CHECK_INT(ds.heads[0], 4);
    CHECK(ds.full[0][0] && ds.full[0][1]);
    CHECK_STR(hv_dataset_source(&ds, &ds.points[0]), "a.npy");
    CHECK_STR(hv_dataset_source(&ds, &ds.points[ds.n_points - 1]), "b.npy");
    /* a shape that differs from the model's other condition */
    const double c[8] = {0};
    CHECK(!hv_dataset_add_grid(&ds, "m", "C", 2, 4, c, "c.npy", &err));
    CHECK_STR(err.msg, "c.npy: 2 layers x 4 heads, but model \"m\" has 3 x 4 in condition \"A\"");
    /* the same (model, condition) twice */
    CHECK(!hv_dataset_add_grid(&ds, "m", "A", 3, 4, b, "again.npy", &err));
    CHECK_STR(err.msg, "again.npy: model \"m\", condition \"A\" already has scores from a.npy");

    hv_dataset top;
    CHECK(hv_dataset_top_k(&ds, 3, false, &top, &err));
    CHECK_INT(top.n_points, 6);
    /* A's top 3: 9 (1,1), 8 (2,3), then the 5s: (0,1) before (1,0) and (2,1) */
    int found = 0;
    for (int i = 0; i < top.n_points; i++) {
        const hv_point *p = &top.points[i];
        if (p->condition != 0)
            continue;
        found++;
        CHECK((p->layer == 1 && p->head == 1) || (p->layer == 2 && p->head == 3) || (p->layer == 0 && p->head == 1));
    }
    CHECK_INT(found, 3);
    CHECK_INT(top.layers[0], 3); /* the grid's extent is kept */
    hv_dataset_free(&top);
    /* by |score|: -12 is the strongest of A */
    CHECK(hv_dataset_top_k(&ds, 1, true, &top, &err));
    CHECK_INT(top.n_points, 2);
    CHECK(top.points[0].score == -12 || top.points[1].score == -12);
    hv_dataset_free(&top);
    /* K larger than the grid: every scored head (NaN never) */
    CHECK(hv_dataset_top_k(&ds, 1000, false, &top, &err));
    CHECK_INT(top.n_points, 23);
    hv_dataset_free(&top);
    CHECK(hv_dataset_top_k(&ds, HV_TOP_ALL, false, &top, &err));
    CHECK_INT(top.n_points, 23);
    hv_dataset_free(&top);
    /* ranks among the scored heads */
    int of;
    double sc;
    CHECK_INT(hv_dataset_rank(&ds, 0, 0, 1, 1, false, &of, &sc), 1);
    CHECK_INT(of, 11);
    CHECK_NEAR(sc, 9, 0);
    CHECK_INT(hv_dataset_rank(&ds, 0, 0, 1, 0, false, &of, &sc), 4); /* 9, 8, 5 (0,1), then 5 (1,0) */
    CHECK_INT(hv_dataset_rank(&ds, 0, 0, 0, 2, false, &of, &sc), 0); /* NaN: no rank */
    CHECK_INT(hv_dataset_rank(&ds, 0, 0, 1, 3, true, &of, &sc), 1); /* |-12| */
    CHECK_INT(hv_dataset_rank(&ds, 0, 0, 1, 3, false, &of, &sc), 11); /* by value: the weakest */
    hv_dataset_free(&ds);
}

int main(void)
{
    test_grids_and_top_k();
    test_basic();
    test_column_order();
    test_quoting();
    test_line_endings();
    test_bom_and_blank_lines();
    test_first_appearance_order();
    test_trimming();
    test_errors();
    test_errors_more();
    test_many_rows();
    test_bundled();
    test_load();
    return check_summary();
}
