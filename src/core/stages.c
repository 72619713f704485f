#include "stages.h"

#include <stdatomic.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static atomic_bool g_on;
static atomic_uint_fast64_t g_ns[HV_STAGE_COUNT];

/* Filter and deflate count the CPU time of their thread: encoder threads
 * share the cores with the rasteriser, and their wall time would count the
 * waits for a core. The rest count wall time (a draw is the render thread
 * waiting for llvmpipe's threads; a write may wait for the disk). */
static bool cpu_stage(hv_stage s) { return s == HV_STAGE_FILTER || s == HV_STAGE_DEFLATE; }

static uint64_t now_ns(hv_stage s)
{
    struct timespec ts;
    clock_gettime(cpu_stage(s) ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + 1; /* never 0 */
}

void hv_stages_enable(bool on) { atomic_store(&g_on, on); }

bool hv_stages_enabled(void) { return atomic_load_explicit(&g_on, memory_order_relaxed); }

void hv_stages_reset(void)
{
    for (int i = 0; i < HV_STAGE_COUNT; i++)
        atomic_store(&g_ns[i], 0);
}

uint64_t hv_stage_begin(hv_stage s) { return hv_stages_enabled() ? now_ns(s) : 0; }

void hv_stage_add(hv_stage s, uint64_t ns)
{
    if (s >= 0 && s < HV_STAGE_COUNT)
        atomic_fetch_add_explicit(&g_ns[s], ns, memory_order_relaxed);
}

void hv_stage_end(hv_stage s, uint64_t t0)
{
    if (!t0 || !hv_stages_enabled())
        return;
    uint64_t t = now_ns(s);
    hv_stage_add(s, t > t0 ? t - t0 : 0);
}

double hv_stage_ms(hv_stage s)
{
    return s >= 0 && s < HV_STAGE_COUNT ? (double)atomic_load(&g_ns[s]) / 1e6 : 0;
}

static void item(FILE *f, const char *name, hv_stage s, long frames, bool always)
{
    double ms = hv_stage_ms(s);
    if (ms > 0 || always)
        fprintf(f, "  %s %.2f", name, ms / (double)frames);
}

void hv_stages_print(FILE *f, long frames, double elapsed_s)
{
    if (frames < 1)
        frames = 1;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec * 1e-6;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    fprintf(f, "timings: %ld frame%s in %.3f s: %.2f ms/frame elapsed, %.2f ms/frame CPU of the whole process (%ld core%s)\n",
            frames, frames == 1 ? "" : "s", elapsed_s, elapsed_s * 1000 / (double)frames, cpu * 1000 / (double)frames,
            cores, cores == 1 ? "" : "s");
    fprintf(f, "  render thread (ms/frame):");
    item(f, "build", HV_STAGE_BUILD, frames, true);
    item(f, "draw", HV_STAGE_DRAW, frames, false);
    item(f, "read-back", HV_STAGE_READBACK, frames, false);
    item(f, "vector page", HV_STAGE_VECTOR, frames, false);
    item(f, "waiting for a buffer", HV_STAGE_WAIT_BUF, frames, false);
    item(f, "waiting on ffmpeg", HV_STAGE_WAIT_FFMPEG, frames, false);
    fputc('\n', f);
    if (hv_stage_ms(HV_STAGE_FILTER) + hv_stage_ms(HV_STAGE_DEFLATE) + hv_stage_ms(HV_STAGE_WRITE) > 0) {
        fprintf(f, "  PNG encoding (ms/frame on encoder threads, in parallel; filter and deflate in CPU time):");
        item(f, "filter", HV_STAGE_FILTER, frames, true);
        item(f, "deflate", HV_STAGE_DEFLATE, frames, true);
        item(f, "write", HV_STAGE_WRITE, frames, true);
        fputc('\n', f);
    }
}
