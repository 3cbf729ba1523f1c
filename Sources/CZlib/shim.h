#ifndef MOLTSCOPE_CZLIB_SHIM_H
#define MOLTSCOPE_CZLIB_SHIM_H
#include <zlib.h>
// deflateInit2/inflateInit2 are macros; Swift sees only functions.
static inline int ms_deflate_init_gzip(z_streamp s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int ms_inflate_init_auto(z_streamp s) { return inflateInit2(s, 15 + 32); }
#endif
