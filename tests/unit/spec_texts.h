/* The spec texts (INI) that the figure and animation tests parse, besides
 * the bundled assets/safety_heads.ini (hv_asset_ini), in one place.
 *
 * Natively the tests parse them with inih. The web build has no inih
 * (Debian has no WebAssembly build, nothing is vendored): there
 * wasm_unit_figure and wasm_unit_anim replay what the native inih made of
 * each text (tests/web/ini_record.c records it at build time,
 * tests/web/ini_replay.c plays it back), so spec.c and the tests run
 * unchanged. A spec text a test parses must be listed here. */
#ifndef HV_SPEC_TEXTS_H
#define HV_SPEC_TEXTS_H

/* the colorbar while the range changes: 70 -> 22, 25 -> 0.4 */
#define HV_SPEC_RANGE_70_22                                                                                            \
    "[condition: A]\nrange = 0, 70\nticks = 0, 70, 10\n"                                                               \
    "[condition: B]\nrange = 0, 22\nticks = 0, 20, 5\n"
#define HV_SPEC_RANGE_25_04 "[condition: A]\nrange = 0, 25\n[condition: B]\nrange = 0, 0.4\n"
/* explicit axis limits */
#define HV_SPEC_LIMITS "[figure]\nxlim = -1, 31\nylim = -1, 31\n"
/* ticks far finer than the range (issue 15) */
#define HV_SPEC_FINE_TICKS "[condition: A]\nrange = 0, 1e12\nticks = 0, 70, 10\n"
#define HV_SPEC_VIRIDIS "[figure]\ncolormap = viridis\n"
#define HV_SPEC_CENTER_1 "[figure]\ncenter = 1\n"
#define HV_SPEC_LAYERS_X "[figure]\norientation = layers-x\n"
#define HV_SPEC_LAYERS_Y "[figure]\norientation = layers-y\n"

/* every one of them (the recorder's list) */
#define HV_SPEC_TEXTS                                                                                                  \
    HV_SPEC_RANGE_70_22, HV_SPEC_RANGE_25_04, HV_SPEC_LIMITS, HV_SPEC_FINE_TICKS, HV_SPEC_VIRIDIS, HV_SPEC_CENTER_1,  \
        HV_SPEC_LAYERS_X, HV_SPEC_LAYERS_Y

#endif
