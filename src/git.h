/* libgit2, loaded when a command first needs it (dlopen) instead of when the
 * program starts.  A note folder in no repository never needs it, and
 * libgit2 brings its TLS, SSH and Kerberos libraries, whose mapping and
 * relocation alone cost 3 MB of resident memory and 3 ms per run: a third of
 * the report's whole budget on 10,000 notes (README, "Benchmarks").
 *
 * The library's own headers declare every function; each one used here is
 * listed once below and called through a pointer of its exact type, so call
 * sites read as plain libgit2.  A function used but not listed leaves an
 * undefined reference (the program does not link libgit2): the build fails
 * rather than the run.  Private to src/.
 *
 * Built with GIT_LINK=1 (VB_GIT_LINK), the program links libgit2 as any
 * other library and the names below are libgit2's own functions. */
#ifndef VB_GIT_H
#define VB_GIT_H

#include <git2.h>

/* libgit2 1.5 to 1.9: the version the headers describe.  1.9 renamed
 * LIBGIT2_VER_MAJOR to LIBGIT2_VERSION_MAJOR; 1.8 moved git_error_set_str,
 * which verbatim uses to carry its own reasons through libgit2's error
 * slot, from <git2/errors.h> to <git2/sys/errors.h>. */
#if defined(LIBGIT2_VERSION_MAJOR)
#define VB_LIBGIT2_VERSION (LIBGIT2_VERSION_MAJOR * 100 + LIBGIT2_VERSION_MINOR)
#else
#define VB_LIBGIT2_VERSION (LIBGIT2_VER_MAJOR * 100 + LIBGIT2_VER_MINOR)
#endif
#if VB_LIBGIT2_VERSION >= 108
#include <git2/sys/errors.h>
#endif

#define VB_GIT_FUNCTIONS(X)                                                                        \
        X(git_blob_free)                                                                           \
        X(git_blob_lookup)                                                                         \
        X(git_blob_rawcontent)                                                                     \
        X(git_blob_rawsize)                                                                        \
        X(git_buf_dispose)                                                                         \
        X(git_commit_author)                                                                       \
        X(git_commit_dup)                                                                          \
        X(git_commit_free)                                                                         \
        X(git_commit_id)                                                                           \
        X(git_commit_lookup)                                                                       \
        X(git_commit_parent)                                                                       \
        X(git_commit_parentcount)                                                                  \
        X(git_commit_summary)                                                                      \
        X(git_commit_time)                                                                         \
        X(git_commit_time_offset)                                                                  \
        X(git_commit_tree_id)                                                                      \
        X(git_config_free)                                                                         \
        X(git_config_get_path)                                                                     \
        X(git_config_get_string_buf)                                                               \
        X(git_config_open_default)                                                                 \
        X(git_error_last)                                                                          \
        X(git_error_set_str)                                                                       \
        X(git_ignore_path_is_ignored)                                                              \
        X(git_index_entrycount)                                                                    \
        X(git_index_free)                                                                          \
        X(git_index_get_byindex)                                                                   \
        X(git_index_get_bypath)                                                                    \
        X(git_index_open)                                                                          \
        X(git_libgit2_init)                                                                        \
        X(git_libgit2_opts)                                                                        \
        X(git_libgit2_shutdown)                                                                    \
        X(git_libgit2_version)                                                                     \
        X(git_merge_base)                                                                          \
        X(git_object_free)                                                                         \
        X(git_object_peel)                                                                         \
        X(git_odb_free)                                                                            \
        X(git_odb_hash)                                                                            \
        X(git_odb_object_data)                                                                     \
        X(git_odb_object_free)                                                                     \
        X(git_odb_object_size)                                                                     \
        X(git_odb_object_type)                                                                     \
        X(git_odb_read)                                                                            \
        X(git_oid_cpy)                                                                             \
        X(git_oid_equal)                                                                           \
        X(git_oid_fromraw)                                                                         \
        X(git_oid_tostr)                                                                           \
        X(git_oid_tostr_s)                                                                         \
        X(git_reference_free)                                                                      \
        X(git_reference_lookup)                                                                    \
        X(git_reference_symbolic_target)                                                           \
        X(git_repository_commondir)                                                                \
        X(git_repository_config_snapshot)                                                          \
        X(git_repository_free)                                                                     \
        X(git_repository_head_unborn)                                                              \
        X(git_repository_index)                                                                    \
        X(git_repository_init_ext)                                                                 \
        X(git_repository_is_bare)                                                                  \
        X(git_repository_is_shallow)                                                               \
        X(git_repository_odb)                                                                      \
        X(git_repository_open)                                                                     \
        X(git_repository_open_ext)                                                                 \
        X(git_repository_path)                                                                     \
        X(git_repository_workdir)                                                                  \
        X(git_revparse_single)                                                                     \
        X(git_tree_entry_byindex)                                                                  \
        X(git_tree_entry_bypath)                                                                   \
        X(git_tree_entry_filemode)                                                                 \
        X(git_tree_entry_free)                                                                     \
        X(git_tree_entry_id)                                                                       \
        X(git_tree_entry_name)                                                                     \
        X(git_tree_entrycount)                                                                     \
        X(git_tree_free)                                                                           \
        X(git_tree_lookup)

#ifndef VB_GIT_LINK
struct vb_git_api {
#define VB_GIT_POINTER(f) __typeof__(f) *f;
        VB_GIT_FUNCTIONS(VB_GIT_POINTER)
#undef VB_GIT_POINTER
};

extern struct vb_git_api vb_git;
#endif

/* Loads libgit2 (once; thread-safe) and starts it (git_libgit2_init, whose
 * count git_libgit2_shutdown takes back).  0, or -1 with the reason in
 * vb_git_error().  Every other libgit2 call comes after one that succeeded. */
int vb_git_start(void);
/* Why vb_git_start failed in this thread, as a sentence. */
const char *vb_git_error(void);
/* The version of the libgit2 that runs (git_libgit2_version), loading it if
 * needed but not starting it: 0, or -1 when it cannot be loaded. */
int vb_git_version(int *major, int *minor, int *rev);

/* From here on, a listed name is its pointer (a macro is not expanded again
 * within its own expansion: vb_git's member keeps its name); git.c, which
 * fills the pointers, names the members itself. */
#if !defined(VB_GIT_LOADER) && !defined(VB_GIT_LINK)
#define git_blob_free                  vb_git.git_blob_free
#define git_blob_lookup                vb_git.git_blob_lookup
#define git_blob_rawcontent            vb_git.git_blob_rawcontent
#define git_blob_rawsize               vb_git.git_blob_rawsize
#define git_buf_dispose                vb_git.git_buf_dispose
#define git_commit_author              vb_git.git_commit_author
#define git_commit_dup                 vb_git.git_commit_dup
#define git_commit_free                vb_git.git_commit_free
#define git_commit_id                  vb_git.git_commit_id
#define git_commit_lookup              vb_git.git_commit_lookup
#define git_commit_parent              vb_git.git_commit_parent
#define git_commit_parentcount         vb_git.git_commit_parentcount
#define git_commit_summary             vb_git.git_commit_summary
#define git_commit_time                vb_git.git_commit_time
#define git_commit_time_offset         vb_git.git_commit_time_offset
#define git_commit_tree_id             vb_git.git_commit_tree_id
#define git_config_free                vb_git.git_config_free
#define git_config_get_path            vb_git.git_config_get_path
#define git_config_get_string_buf      vb_git.git_config_get_string_buf
#define git_config_open_default        vb_git.git_config_open_default
#define git_error_last                 vb_git.git_error_last
#define git_error_set_str              vb_git.git_error_set_str
#define git_ignore_path_is_ignored     vb_git.git_ignore_path_is_ignored
#define git_index_entrycount           vb_git.git_index_entrycount
#define git_index_free                 vb_git.git_index_free
#define git_index_get_byindex          vb_git.git_index_get_byindex
#define git_index_get_bypath           vb_git.git_index_get_bypath
#define git_index_open                 vb_git.git_index_open
#define git_libgit2_init               vb_git.git_libgit2_init
#define git_libgit2_opts               vb_git.git_libgit2_opts
#define git_libgit2_shutdown           vb_git.git_libgit2_shutdown
#define git_libgit2_version            vb_git.git_libgit2_version
#define git_merge_base                 vb_git.git_merge_base
#define git_object_free                vb_git.git_object_free
#define git_object_peel                vb_git.git_object_peel
#define git_odb_free                   vb_git.git_odb_free
#define git_odb_hash                   vb_git.git_odb_hash
#define git_odb_object_data            vb_git.git_odb_object_data
#define git_odb_object_free            vb_git.git_odb_object_free
#define git_odb_object_size            vb_git.git_odb_object_size
#define git_odb_object_type            vb_git.git_odb_object_type
#define git_odb_read                   vb_git.git_odb_read
#define git_oid_cpy                    vb_git.git_oid_cpy
#define git_oid_equal                  vb_git.git_oid_equal
#define git_oid_fromraw                vb_git.git_oid_fromraw
#define git_oid_tostr                  vb_git.git_oid_tostr
#define git_oid_tostr_s                vb_git.git_oid_tostr_s
#define git_reference_free             vb_git.git_reference_free
#define git_reference_lookup           vb_git.git_reference_lookup
#define git_reference_symbolic_target  vb_git.git_reference_symbolic_target
#define git_repository_commondir       vb_git.git_repository_commondir
#define git_repository_config_snapshot vb_git.git_repository_config_snapshot
#define git_repository_free            vb_git.git_repository_free
#define git_repository_head_unborn     vb_git.git_repository_head_unborn
#define git_repository_index           vb_git.git_repository_index
#define git_repository_init_ext        vb_git.git_repository_init_ext
#define git_repository_is_bare         vb_git.git_repository_is_bare
#define git_repository_is_shallow      vb_git.git_repository_is_shallow
#define git_repository_odb             vb_git.git_repository_odb
#define git_repository_open            vb_git.git_repository_open
#define git_repository_open_ext        vb_git.git_repository_open_ext
#define git_repository_path            vb_git.git_repository_path
#define git_repository_workdir         vb_git.git_repository_workdir
#define git_revparse_single            vb_git.git_revparse_single
#define git_tree_entry_byindex         vb_git.git_tree_entry_byindex
#define git_tree_entry_bypath          vb_git.git_tree_entry_bypath
#define git_tree_entry_filemode        vb_git.git_tree_entry_filemode
#define git_tree_entry_free            vb_git.git_tree_entry_free
#define git_tree_entry_id              vb_git.git_tree_entry_id
#define git_tree_entry_name            vb_git.git_tree_entry_name
#define git_tree_entrycount            vb_git.git_tree_entrycount
#define git_tree_free                  vb_git.git_tree_free
#define git_tree_lookup                vb_git.git_tree_lookup
#endif

#endif
