// OpenBLAS: CBLAS for the distance blocks, the thread-count control, and the one LAPACK routine
// moltscope uses (symmetric eigendecomposition for PCA), whose Fortran symbol has no C header
// in Debian's package (LAPACKE is not built).
#include <cblas.h>

extern void ssyevr_(const char *jobz, const char *range, const char *uplo, const int *n, float *a,
                    const int *lda, const float *vl, const float *vu, const int *il, const int *iu,
                    const float *abstol, int *m, float *w, float *z, const int *ldz, int *isuppz,
                    float *work, const int *lwork, int *iwork, const int *liwork, int *info);
