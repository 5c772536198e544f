/* verbatim's version (the VERSION file) and the versions of the libraries it
 * runs with, for `verbatim --version` and for what `init` pins. */
#ifndef VERBATIM_VERSION_H
#define VERBATIM_VERSION_H

/* "0.1.0": the VERSION file the program was built from; static. */
extern const char vb_version[];
/* Where this version is published (packaging/names): the GitHub repository
 * whose action.yml runs verbatim ("owner/verbatim", used as
 * owner/verbatim@v<version>) and the container image (tagged <version>). */
extern const char vb_action_repo[];
extern const char vb_image[];

struct vb_versions {
        const char *md4c;     /* the md4c built against (md4c has no version at run
                                 time), or NULL when unknown; static */
        const char *libyaml;  /* yaml_get_version_string(); static */
        char libgit2[32];     /* git_libgit2_version() of the library that loads,
                                 or "" when it cannot be loaded */
        const char *utf8proc; /* utf8proc_version(); static */
};

/* Fills `out`; loads libgit2 (without starting it) to ask its version. */
void vb_versions_get(struct vb_versions *out);

#endif
