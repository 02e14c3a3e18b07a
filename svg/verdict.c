/*
 * The verdicts of a comparison of repeated runs (struct svg_verdicts): a
 * map from function name to a copy of the verdict the front-end computed
 * for it. svg.c finds each frame's verdict with verdicts_find_frame() and
 * hands it to color_frame() and to the title.
 */
#include "svg-internal.h"

/* A verdict and the note it owns (the verdict's note points to it). */
struct svg_verdict_entry {
	struct svg_verdict verdict;
	char *note;
};

void svg_verdicts_init(struct svg_verdicts *v)
{
	memset(v, 0, sizeof(*v));
	strmap_init(&v->names);
}

void svg_verdicts_release(struct svg_verdicts *v)
{
	size_t i;

	for (i = 0; i < v->nr; i++)
		free(v->v[i].note);
	free(v->v);
	strmap_release(&v->names);
	svg_verdicts_init(v);
}

void svg_verdicts_add(struct svg_verdicts *v, const char *name, size_t len,
		      const struct svg_verdict *verdict)
{
	struct svg_verdict_entry *e;
	struct strmap_entry *me;
	char *note = verdict->note ? xstrdup(verdict->note) : NULL;
	int created;

	me = strmap_put(&v->names, name, len, &created);
	if (created) {
		ALLOC_GROW(v->v, v->nr + 1, v->alloc);
		me->val = v->nr++;
	} else {
		free(v->v[me->val].note);
	}
	e = &v->v[me->val];
	e->verdict = *verdict;
	e->note = note;
	e->verdict.note = note;
}

const struct svg_verdict *svg_verdicts_find(const struct svg_verdicts *v,
					    const char *name, size_t len)
{
	const struct strmap_entry *e = strmap_get(&v->names, name, len);

	return e ? &v->v[e->val].verdict : NULL;
}

const struct svg_verdict *verdicts_find_frame(const struct svg_verdicts *v,
					      const char *name, size_t len)
{
	const struct svg_verdict *found = svg_verdicts_find(v, name, len);
	size_t plain;

	if (found)
		return found;
	plain = svg_deannotate_len(name, len);
	return plain < len ? svg_verdicts_find(v, name, plain) : NULL;
}
