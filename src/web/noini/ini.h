/* The web player has no inih (Debian has no WebAssembly build of it, and
 * nothing is vendored): specs are parsed natively and reach the page
 * resolved (src/web/pagedata.h). This header lets src/core/spec.c compile
 * for wasm unchanged; ini_parse_string (noini.c) refuses every text. */
#ifndef HV_NOINI_H
#define HV_NOINI_H
#define INI_MAX_LINE 200
typedef int (*ini_handler)(void *user, const char *section, const char *name, const char *value);
int ini_parse_string(const char *string, ini_handler handler, void *user);
#endif
