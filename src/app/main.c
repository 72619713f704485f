#include "app.h"

int main(int argc, char **argv) { return hv_app_main(argc, argv); }
