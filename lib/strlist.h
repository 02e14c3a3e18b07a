#ifndef FG_STRLIST_H
#define FG_STRLIST_H

/*
 * struct fg_strlist: a growable list of strings it does not own (they
 * usually point into argv), for repeated options and argument vectors.
 *
 * Invariants: a zero-initialised list ({ 0 }) is empty and ready to use;
 * once anything was appended, .v[.nr] is NULL, so .v can be passed as an
 * argv. fg_strlist_release() frees the array (never the strings) and
 * leaves the list empty again. Not thread-safe: one owner.
 */

#include "common.h"

struct fg_strlist {
	const char **v;
	size_t nr, alloc;
};

/* Append s (not copied: it must outlive the list). */
void fg_strlist_append(struct fg_strlist *l, const char *s);

/*
 * The list's pointers, NULL-terminated, or NULL when it is empty. Valid
 * until the next append or fg_strlist_release().
 */
const char *const *fg_strlist_nullterm(struct fg_strlist *l);

/* Free the array and reset l to the empty list. */
void fg_strlist_release(struct fg_strlist *l);

#endif
