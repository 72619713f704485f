#include "encoder.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/stages.h"
#include "png.h"

#define MAX_SLOTS 16
#define MAX_THREADS 16
/* jobs in flight are at most threads + slots: each may hold one entry, plus
 * the newest */
#define CACHE_ENTRIES (MAX_THREADS + MAX_SLOTS + 2)

typedef enum { SLOT_FREE, SLOT_FILLING, SLOT_QUEUED, SLOT_WORKING } slot_state;

/* Encoded bytes of a frame that later identical frames reuse. */
typedef struct cached {
    bool used, ready;
    unsigned long id;
    unsigned char *png;
    size_t len;
    int refs; /* queued jobs still to write these bytes */
} cached;

typedef struct slot {
    slot_state state;
    unsigned char *buf;
    size_t cap;
    int w, h, channels;
    char *path;
    unsigned long seq; /* submission order */
    bool same;         /* write cache[id]'s bytes instead of encoding */
    bool keep;         /* remember the encoded bytes under id */
    unsigned long id;
} slot;

struct hv_encoder {
    pthread_mutex_t mu;
    pthread_cond_t cv_free, cv_work, cv_done;
    pthread_t threads[MAX_THREADS];
    int n_threads, n_slots;
    slot slots[MAX_SLOTS];
    unsigned long next_seq;
    /* the first job (in submission order) that failed: jobs before it are
     * still written, jobs after it are skipped, so a failed export leaves
     * exactly the files of jobs 0..fail_seq-1 */
    unsigned long fail_seq;
    bool overwrite, stop, failed;
    hv_error err;
    int written;
    int inflight; /* jobs taken by workers, not finished */
    cached cache[CACHE_ENTRIES];
    bool have_latest;
    unsigned long latest; /* id of the newest cached frame */
    /* a file written since the last hv_encoder_finish: its folder is
     * fsync'd there, once for the whole sequence */
    char *unsynced;
};

static cached *find_cached(hv_encoder *e, unsigned long id)
{
    for (int i = 0; i < CACHE_ENTRIES; i++)
        if (e->cache[i].used && e->cache[i].id == id)
            return &e->cache[i];
    return NULL;
}

/* Drops cached bytes nobody needs any more (all but the newest). */
static void trim_cache(hv_encoder *e)
{
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        cached *c = &e->cache[i];
        if (c->used && c->ready && c->refs == 0 && !(e->have_latest && c->id == e->latest)) {
            free(c->png);
            memset(c, 0, sizeof *c);
        }
    }
}

static int pending_locked(const hv_encoder *e)
{
    int n = e->inflight;
    for (int i = 0; i < e->n_slots; i++)
        n += e->slots[i].state == SLOT_QUEUED;
    return n;
}

/* The slot a worker is encoding from: given back as soon as the PNG rows
 * are filtered (hv_encoder_source_done, called from the compressor), so the
 * render thread can fill it again while this worker deflates. */
static _Thread_local hv_encoder *tls_enc;
static _Thread_local slot *tls_slot;

static void free_slot_locked(hv_encoder *e, slot *s)
{
    s->state = SLOT_FREE;
    pthread_cond_broadcast(&e->cv_free);
}

void hv_encoder_source_done(void)
{
    hv_encoder *e = tls_enc;
    if (!e || !tls_slot)
        return;
    pthread_mutex_lock(&e->mu);
    free_slot_locked(e, tls_slot);
    pthread_mutex_unlock(&e->mu);
    tls_slot = NULL;
}

static void *worker(void *arg)
{
    hv_encoder *e = arg;
    tls_enc = e;
    /* this worker's last frame: the next re-deflates only the bands of rows
     * that changed (NULL when out of memory: every band is deflated) */
    hv_png_cache *cache = hv_png_cache_create();
    pthread_mutex_lock(&e->mu);
    for (;;) {
        slot *job = NULL;
        while (!e->stop) {
            /* oldest queued job first */
            for (int i = 0; i < e->n_slots; i++)
                if (e->slots[i].state == SLOT_QUEUED && (!job || e->slots[i].seq < job->seq))
                    job = &e->slots[i];
            if (job)
                break;
            pthread_cond_wait(&e->cv_work, &e->mu);
        }
        if (!job)
            break;
        /* take the job out of the slot: the slot may be reused before the
         * file is written */
        job->state = SLOT_WORKING;
        e->inflight++;
        char *path = job->path;
        job->path = NULL;
        bool same = job->same, keep = job->keep;
        unsigned long id = job->id;
        int w = job->w, h = job->h, ch = job->channels;
        const unsigned char *buf = job->buf;
        unsigned long seq = job->seq;
        bool skip = seq > e->fail_seq;
        cached *src = NULL;
        if (same || skip)
            free_slot_locked(e, job); /* no pixels to read */
        if (same && !skip) {
            /* the source job came earlier and always ends with ready set */
            src = find_cached(e, id);
            while (src && !src->ready)
                pthread_cond_wait(&e->cv_done, &e->mu);
            skip = seq > e->fail_seq || !src || !src->png;
        }
        pthread_mutex_unlock(&e->mu);
        hv_error err = {""};
        bool ok = true;
        unsigned char *png = NULL;
        size_t len = 0;
        uint64_t tw = 0;
        if (!skip && src) {
            tw = hv_stage_begin(HV_STAGE_WRITE);
            ok = hv_write_frame_atomic(path, src->png, src->len, e->overwrite, &err);
        } else if (!skip) {
            tls_slot = job;
            ok = hv_png_encode_cached(cache, buf, w, h, ch, &png, &len, &err);
            hv_encoder_source_done(); /* if the compressor was never reached */
            tw = hv_stage_begin(HV_STAGE_WRITE);
            ok = ok && hv_write_frame_atomic(path, png, len, e->overwrite, &err);
        }
        hv_stage_end(HV_STAGE_WRITE, tw);
        pthread_mutex_lock(&e->mu);
        if (src)
            src->refs--;
        if (keep) {
            cached *c = find_cached(e, id);
            if (c && png) {
                c->png = png;
                c->len = len;
                png = NULL;
            }
            if (c)
                c->ready = true; /* also on failure: waiters see e->failed */
        }
        free(png);
        trim_cache(e);
        if (!skip && ok) {
            e->written++;
            if (!e->unsynced) {
                e->unsynced = path;
                path = NULL;
            }
        }
        if (!skip && !ok && seq < e->fail_seq) {
            e->failed = true;
            e->fail_seq = seq;
            e->err = err;
        }
        free(path);
        e->inflight--;
        pthread_cond_broadcast(&e->cv_free);
        pthread_cond_broadcast(&e->cv_done);
    }
    pthread_mutex_unlock(&e->mu);
    hv_png_cache_destroy(cache);
    return NULL;
}

hv_encoder *hv_encoder_create(const hv_encoder_desc *desc, hv_error *err)
{
    hv_encoder *e = calloc(1, sizeof *e);
    if (!e) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    int n = desc->threads;
    if (n <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (int)c : 2;
        /* 3840x2160 on 16 cores: 6 threads, ~0.5 GB instead of ~1.2 GB */
        size_t per = 3 * desc->frame_bytes;
        if (per > 0 && (size_t)n * per > HV_ENCODER_MEMORY)
            n = HV_ENCODER_MEMORY / per > 2 ? (int)(HV_ENCODER_MEMORY / per) : 2;
    }
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    /* a slot is held only from render until the frame's rows are filtered,
     * so the render thread refills it while workers deflate: one slot per
     * two threads, and at least two, so that the render thread draws the
     * next frame while a worker filters the last (2 cores, morph export of
     * distinct frames, since deflate takes ~2 ms a 1920x1080 frame: 2 slots
     * 182 frames/s against 166 with 1, 3840x2160 63 against 54, for 25 MB) */
    e->n_slots = desc->slots > 0 ? desc->slots : (n + 1) / 2 < 2 ? 2 : (n + 1) / 2;
    if (e->n_slots > MAX_SLOTS)
        e->n_slots = MAX_SLOTS;
    e->overwrite = desc->overwrite;
    e->fail_seq = ~0ul;
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv_free, NULL);
    pthread_cond_init(&e->cv_work, NULL);
    pthread_cond_init(&e->cv_done, NULL);
    for (int i = 0; i < n; i++) {
        if (pthread_create(&e->threads[i], NULL, worker, e) != 0)
            break;
        e->n_threads++;
    }
    if (e->n_threads == 0) {
        hv_errorf(err, "cannot start encoder threads");
        hv_encoder_destroy(e);
        return NULL;
    }
    return e;
}

unsigned char *hv_encoder_acquire(hv_encoder *e, int w, int h, int channels)
{
    size_t need = (size_t)w * (size_t)h * (size_t)channels;
    uint64_t t0 = hv_stage_begin(HV_STAGE_WAIT_BUF);
    pthread_mutex_lock(&e->mu);
    slot *s = NULL;
    while (!e->failed) {
        /* prefer a free slot whose buffer is already big enough */
        for (int i = 0; i < e->n_slots; i++)
            if (e->slots[i].state == SLOT_FREE && (!s || (e->slots[i].cap >= need && s->cap < need)))
                s = &e->slots[i];
        if (s)
            break;
        pthread_cond_wait(&e->cv_free, &e->mu);
    }
    if (s)
        s->state = SLOT_FILLING;
    pthread_mutex_unlock(&e->mu);
    hv_stage_end(HV_STAGE_WAIT_BUF, t0);
    if (!s)
        return NULL;
    if (s->cap < need) {
        free(s->buf);
        s->buf = malloc(need);
        s->cap = s->buf ? need : 0;
        if (!s->buf) {
            pthread_mutex_lock(&e->mu);
            s->state = SLOT_FREE;
            if (e->next_seq < e->fail_seq) {
                e->failed = true;
                e->fail_seq = e->next_seq;
                hv_errorf(&e->err, "out of memory for a %dx%d frame", w, h);
            }
            pthread_cond_broadcast(&e->cv_free);
            pthread_mutex_unlock(&e->mu);
            return NULL;
        }
    }
    return s->buf;
}

static void submit(hv_encoder *e, slot *s, int w, int h, int channels, const char *path)
{
    s->w = w;
    s->h = h;
    s->channels = channels;
    size_t n = strlen(path) + 1;
    s->path = malloc(n);
    if (!s->path) {
        s->state = SLOT_FREE;
        if (e->next_seq < e->fail_seq) {
            e->failed = true;
            e->fail_seq = e->next_seq;
            hv_errorf(&e->err, "out of memory");
        }
        pthread_cond_broadcast(&e->cv_done);
        return;
    }
    memcpy(s->path, path, n);
    s->seq = e->next_seq++;
    s->state = SLOT_QUEUED;
    pthread_cond_signal(&e->cv_work);
}

static slot *slot_of(hv_encoder *e, const unsigned char *buf)
{
    for (int i = 0; i < e->n_slots; i++)
        if (e->slots[i].buf == buf && e->slots[i].state == SLOT_FILLING)
            return &e->slots[i];
    return NULL;
}

void hv_encoder_release(hv_encoder *e, unsigned char *buf)
{
    pthread_mutex_lock(&e->mu);
    slot *s = slot_of(e, buf);
    if (s) {
        s->state = SLOT_FREE;
        pthread_cond_broadcast(&e->cv_free);
    }
    pthread_mutex_unlock(&e->mu);
}

void hv_encoder_submit(hv_encoder *e, unsigned char *buf, int w, int h, int channels, const char *path)
{
    pthread_mutex_lock(&e->mu);
    slot *s = slot_of(e, buf);
    if (s) {
        s->same = s->keep = false;
        submit(e, s, w, h, channels, path);
    }
    pthread_mutex_unlock(&e->mu);
}

void hv_encoder_submit_id(hv_encoder *e, unsigned char *buf, int w, int h, int channels, const char *path,
                          unsigned long id)
{
    pthread_mutex_lock(&e->mu);
    slot *s = slot_of(e, buf);
    cached *c = NULL;
    while (s && !c && !e->failed) {
        for (int i = 0; i < CACHE_ENTRIES && !c; i++)
            if (!e->cache[i].used)
                c = &e->cache[i];
        if (!c) /* every entry still has a write to serve: wait for one */
            pthread_cond_wait(&e->cv_done, &e->mu);
    }
    if (s) {
        s->same = false;
        s->keep = c != NULL;
        s->id = id;
        if (c) {
            memset(c, 0, sizeof *c);
            c->used = true;
            c->id = id;
            e->have_latest = true;
            e->latest = id;
            trim_cache(e);
        }
        submit(e, s, w, h, channels, path);
    }
    pthread_mutex_unlock(&e->mu);
}

void hv_encoder_submit_same(hv_encoder *e, unsigned long id, const char *path)
{
    uint64_t t0 = hv_stage_begin(HV_STAGE_WAIT_BUF);
    pthread_mutex_lock(&e->mu);
    slot *s = NULL;
    while (!e->failed && !s) {
        for (int i = 0; i < e->n_slots && !s; i++)
            if (e->slots[i].state == SLOT_FREE)
                s = &e->slots[i];
        if (!s)
            pthread_cond_wait(&e->cv_free, &e->mu);
    }
    cached *c = s ? find_cached(e, id) : NULL;
    if (s && !c && !e->failed) {
        e->failed = true;
        e->fail_seq = e->next_seq;
        hv_errorf(&e->err, "internal: frame %lu to repeat is not cached", id);
    }
    hv_stage_end(HV_STAGE_WAIT_BUF, t0);
    if (s && c) {
        c->refs++;
        s->state = SLOT_FILLING;
        s->same = true;
        s->keep = false;
        s->id = id;
        submit(e, s, 0, 0, 0, path);
    }
    pthread_mutex_unlock(&e->mu);
}

bool hv_encoder_error(hv_encoder *e, hv_error *err)
{
    pthread_mutex_lock(&e->mu);
    bool f = e->failed;
    if (f && err)
        *err = e->err;
    pthread_mutex_unlock(&e->mu);
    return f;
}

long hv_encoder_complete(hv_encoder *e)
{
    pthread_mutex_lock(&e->mu);
    long k = e->failed ? (long)e->fail_seq : (long)e->next_seq;
    pthread_mutex_unlock(&e->mu);
    return k;
}

int hv_encoder_written(hv_encoder *e)
{
    pthread_mutex_lock(&e->mu);
    int n = e->written;
    pthread_mutex_unlock(&e->mu);
    return n;
}

int hv_encoder_pending(hv_encoder *e)
{
    pthread_mutex_lock(&e->mu);
    int n = pending_locked(e);
    pthread_mutex_unlock(&e->mu);
    return n;
}

bool hv_encoder_finish(hv_encoder *e, hv_error *err)
{
    pthread_mutex_lock(&e->mu);
    while (pending_locked(e) > 0)
        pthread_cond_wait(&e->cv_done, &e->mu);
    bool ok = !e->failed;
    if (!ok && err)
        *err = e->err;
    char *unsynced = e->unsynced;
    e->unsynced = NULL;
    pthread_mutex_unlock(&e->mu);
    /* the files are whole on the disk (hv_publish fsyncs each before its
     * rename): now their names, with one fsync of their folder */
    hv_error serr = {""};
    if (unsynced && !hv_sync_folder(unsynced, false, &serr) && ok) {
        ok = false;
        if (err)
            *err = serr;
    }
    free(unsynced);
    return ok;
}

void hv_encoder_destroy(hv_encoder *e)
{
    if (!e)
        return;
    hv_encoder_finish(e, NULL);
    pthread_mutex_lock(&e->mu);
    e->stop = true;
    pthread_cond_broadcast(&e->cv_work);
    pthread_mutex_unlock(&e->mu);
    for (int i = 0; i < e->n_threads; i++)
        pthread_join(e->threads[i], NULL);
    for (int i = 0; i < e->n_slots; i++) {
        free(e->slots[i].buf);
        free(e->slots[i].path);
    }
    for (int i = 0; i < CACHE_ENTRIES; i++)
        free(e->cache[i].png);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cv_free);
    pthread_cond_destroy(&e->cv_work);
    pthread_cond_destroy(&e->cv_done);
    free(e);
}
