#include "strlist.h"

void fg_strlist_append(struct fg_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 2, l->alloc);
	l->v[l->nr++] = s;
	l->v[l->nr] = NULL;
}

const char *const *fg_strlist_nullterm(struct fg_strlist *l)
{
	return l->nr ? l->v : NULL;
}

void fg_strlist_release(struct fg_strlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
