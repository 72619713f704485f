/* app: loads the data and spec, then renders a screenshot headless or runs
 * the window's event loop. Returns the process exit code: 0 success, 2 bad
 * usage or bad input, 1 runtime failure. */
#ifndef HV_APP_H
#define HV_APP_H

#include "cli.h"

int hv_app_main(int argc, char **argv);

#endif
