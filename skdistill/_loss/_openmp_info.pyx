# Reports how the kernels were compiled, so tests and benchmarks can tell a
# serial build (compiler without OpenMP) from a parallel one.

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    static int skd_openmp_enabled(void) { return 1; }
    static int skd_openmp_max_threads(void) { return omp_get_max_threads(); }
    #else
    static int skd_openmp_enabled(void) { return 0; }
    static int skd_openmp_max_threads(void) { return 1; }
    #endif
    """
    int skd_openmp_enabled()
    int skd_openmp_max_threads()


def openmp_enabled():
    """Return True when the kernels were compiled with OpenMP support."""
    return bool(skd_openmp_enabled())


def openmp_max_threads():
    """Return the number of OpenMP threads a parallel kernel may use (1 if serial)."""
    return int(skd_openmp_max_threads())
