// Loading a second, independent copy of a shared library (Linux: dlmopen into a new link-map namespace), with one
// environment variable set while its constructors run. Used to re-initialise OpenBLAS with OPENBLAS_CORETYPE when
// its own CPU detection picked a generic kernel family: the first copy cannot be unloaded safely (its threads live
// in it), and its constructor has already read the environment.
#define _GNU_SOURCE
#include "CKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <dlfcn.h>

void *rt_dlopen_fresh(const char *path, const char *variable, const char *value) {
    char *previous = NULL;
    const char *old = getenv(variable);
    if (old) previous = strdup(old);
    setenv(variable, value, 1);
    void *handle = dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
    if (previous) {
        setenv(variable, previous, 1);
        free(previous);
    } else {
        unsetenv(variable);
    }
    return handle;
}
#else
void *rt_dlopen_fresh(const char *path, const char *variable, const char *value) {
    (void)path; (void)variable; (void)value;
    return NULL;
}
#endif
