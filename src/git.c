/* Loads libgit2 on first use: see git.h. */
#define VB_GIT_LOADER
#include "git.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The library's file name (its soname, from the Makefile, which reads it off
 * the libgit2.so that pkg-config names): the ABI the headers describe. */
#ifndef VB_LIBGIT2_SONAME
#define VB_LIBGIT2_SONAME "libgit2.so"
#endif

/* A libgit2 function: its pointer, or itself when linked (git.h's names
 * are not macros in this file) */
#ifdef VB_GIT_LINK
#define GIT(f) f
#else
#define GIT(f) vb_git.f
#endif

/* Why git_libgit2_init failed, from libgit2's last error in this thread. */
static const char *start_error(void)
{
        static _Thread_local char msg[512];
        const git_error *e = GIT(git_error_last)();
        snprintf(msg, sizeof(msg), "cannot start libgit2 (%s)",
                 e && e->message ? e->message : "unknown error");
        return msg;
}

#ifdef VB_GIT_LINK
/* linked: nothing to load */
int vb_git_start(void)
{
        return GIT(git_libgit2_init)() >= 0 ? 0 : -1;
}

int vb_git_version(int *major, int *minor, int *rev)
{
        return GIT(git_libgit2_version)(major, minor, rev) == 0 ? 0 : -1;
}

const char *vb_git_error(void)
{
        return start_error();
}
#else
struct vb_git_api vb_git;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;
static char load_error[512];

static void load(void)
{
        /* VB_LIBGIT2 names another build of the library (and lets the tests
         * see what a machine without it does) */
        const char *name = getenv("VB_LIBGIT2");
        if (!name || !*name)
                name = VB_LIBGIT2_SONAME;
        /* RTLD_LOCAL: its symbols stay out of the program's namespace */
        void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
                snprintf(load_error, sizeof(load_error),
                         "cannot load libgit2 (%s); install it: apt-get install libgit2-dev",
                         dlerror());
                return;
        }
        /* never closed: libgit2 keeps threads' state until the process ends */
#define VB_GIT_LOOKUP(f)                                                                           \
        if (!(*(void **)&vb_git.f = dlsym(lib, #f))) {                                             \
                snprintf(load_error, sizeof(load_error),                                           \
                         "cannot use %s: it has no function " #f "; install libgit2 1.5 or later", \
                         name);                                                                    \
                return;                                                                            \
        }
        VB_GIT_FUNCTIONS(VB_GIT_LOOKUP)
#undef VB_GIT_LOOKUP
        loaded = 1;
}

int vb_git_start(void)
{
        pthread_once(&load_once, load);
        return loaded && GIT(git_libgit2_init)() >= 0 ? 0 : -1;
}

int vb_git_version(int *major, int *minor, int *rev)
{
        pthread_once(&load_once, load);
        return loaded && GIT(git_libgit2_version)(major, minor, rev) == 0 ? 0 : -1;
}

const char *vb_git_error(void)
{
        pthread_once(&load_once, load);
        if (!loaded)
                return load_error; /* written once, by load() */
        return start_error();
}
#endif
