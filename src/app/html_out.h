/* html_out: headviz --html FILE, one self-contained web page.
 *
 * Does: take the data and spec the app resolved natively (every scored
 * head, the spec after --colormap, the player's options), write them as
 * page data (src/web/pagedata.h) into the web player's template (built
 * with emscripten: the wasm, its JavaScript and a font subset inlined,
 * src/web/) and publish the page atomically like every other output.
 * Does NOT: draw anything; the page draws with the same core in WebGL2. */
#ifndef HV_HTML_OUT_H
#define HV_HTML_OUT_H

#include "app.h"

/* Writes a->opt.html; the exit code (0 on success, message printed). */
int hv_app_html(hv_app *a);

#endif
