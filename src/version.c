/* Versions: see verbatim/version.h.  VB_VERSION and VB_MD4C_VERSION come from
 * the Makefile (the VERSION file, pkg-config's md4c). */
#include "verbatim/version.h"
#include "git.h"
#include "verbatim/utf8.h"

#include <stdio.h>
#include <yaml.h>

#ifndef VB_VERSION
#define VB_VERSION "unknown"
#endif

#ifndef VB_ACTION_REPO
#define VB_ACTION_REPO "verbatim-notes/verbatim"
#define VB_IMAGE       "ghcr.io/verbatim-notes/verbatim"
#endif

const char vb_version[] = VB_VERSION;
const char vb_action_repo[] = VB_ACTION_REPO;
const char vb_image[] = VB_IMAGE;

void vb_versions_get(struct vb_versions *out)
{
        int major, minor, rev;
#ifdef VB_MD4C_VERSION
        out->md4c = VB_MD4C_VERSION;
#else
        out->md4c = NULL;
#endif
        out->libyaml = yaml_get_version_string();
        out->utf8proc = vb_utf8_library_version();
        out->libgit2[0] = '\0';
        if (vb_git_version(&major, &minor, &rev) == 0)
                snprintf(out->libgit2, sizeof(out->libgit2), "%d.%d.%d", major, minor, rev);
}
