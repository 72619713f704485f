#include <malloc.h>

#include "app.h"

int main(int argc, char **argv)
{
    /* Keep freed memory instead of handing the top of the heap back to the
     * kernel whenever 128 KB of it is free: every frame, llvmpipe and the
     * figure free and allocate again, and the trimmed pages come back as
     * page faults (on 2 cores, 10,000 markers in the window: 18.6 -> 11.9
     * ms a frame). Memory stays at its high-water mark, which it reaches
     * anyway. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    /* Setting that fixes the mmap threshold at 128 KB (glibc stops raising
     * it as large blocks are freed), and every frame's large buffers (stb's
     * filtered rows, 6 MB at 1920x1080, 25 MB at 3840x2160) would be mapped
     * and unmapped each time: keep them in the heap up to 32 MB. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    return hv_app_main(argc, argv);
}
