/*
 * The --name-attr file, as inferno reads it: one function a line,
 * "NAME<TAB>attr=value<TAB>...". title replaces the generated title,
 * href makes the frame a link (with target="_top" unless a target is
 * given), id, class and target are copied, and g_extra / a_extra hold a
 * list of more attributes. What cannot be written as an attribute of the
 * frame is dropped with a warning. The file is given parsed by the
 * front-end; svg.c asks name_attrs_find() for each frame's attributes.
 */
#include "svg-internal.h"

/* Sets this small are searched in order, without an index. */
#define ATTR_SCAN_MAX 8

/*
 * At most NAME_ATTR_WARN_MAX warnings about a name-attr file are kept,
 * then only counted: a file that repeats one attribute 100,000 times
 * would otherwise make as many lines, each naming the function again.
 */
#define NAME_ATTR_WARN_MAX 10

struct attr_warn {
	struct fg_buf *buf;	/* may be NULL: nothing is kept */
	size_t nr;		/* warnings so far, kept or not */
};

void svg_name_attrs_init(struct svg_name_attrs *na)
{
	memset(na, 0, sizeof(*na));
	strmap_init(&na->funcs);
}

void svg_name_attrs_release(struct svg_name_attrs *na)
{
	size_t i, j;

	for (i = 0; i < na->nr; i++) {
		struct svg_attr_set *set = &na->sets[i];

		for (j = 0; j < set->nr; j++) {
			free(set->v[j].name);
			free(set->v[j].value);
		}
		free(set->v);
		strmap_release(&set->index);
		free(set->title);
	}
	free(na->sets);
	strmap_release(&na->funcs);
	svg_name_attrs_init(na);
}

const struct svg_attr_set *name_attrs_find(const struct svg_name_attrs *na,
					   const char *name, size_t len)
{
	const struct strmap_entry *e = strmap_get(&na->funcs, name, len);

	return e ? &na->sets[e->val] : NULL;
}

static int ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void trim(const char **s, size_t *len)
{
	while (*len && ascii_space((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && ascii_space((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/*
 * Can name be written as an attribute name of a frame's <g>/<a>? It must
 * be an XML name; the only namespace prefixes declared are xlink and fg
 * (and xml), and xmlns attributes would redefine them.
 */
static int attr_name_ok(const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	size_t i;

	if (!len || !(ascii_alpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == ':'))
			return 0;
	}
	if ((len == 5 && !memcmp(s, "xmlns", 5)) || (len > 5 && !memcmp(s, "xmlns:", 6)))
		return 0;
	if (colon) {
		size_t plen = (size_t)(colon - s);

		if (memchr(colon + 1, ':', len - plen - 1) || plen + 1 == len)
			return 0;
		if (!((plen == 5 && !memcmp(s, "xlink", 5)) || (plen == 3 && !memcmp(s, "xml", 3)) ||
		      (plen == 2 && !memcmp(s, "fg", 2))))
			return 0;
	}
	return 1;
}

/* Append one warning line to warn (lines are separated by newlines). */
static void warn_vadd(struct fg_buf *warn, const char *fmt, va_list ap)
{
	if (warn->len)
		fg_buf_addch(warn, '\n');
	fg_buf_vaddf(warn, fmt, ap);
}

FG_PRINTF(2, 3)
static void warn_add(struct fg_buf *warn, const char *fmt, ...)
{
	va_list ap;

	if (!warn)
		return;
	va_start(ap, fmt);
	warn_vadd(warn, fmt, ap);
	va_end(ap);
}

/* A warning about the name-attr file: kept if fewer than the maximum are. */
FG_PRINTF(2, 3)
static void attr_warn(struct attr_warn *w, const char *fmt, ...)
{
	va_list ap;

	if (w->nr++ >= NAME_ATTR_WARN_MAX || !w->buf)
		return;
	va_start(ap, fmt);
	warn_vadd(w->buf, fmt, ap);
	va_end(ap);
}

/* Enter v[i] in the index. */
static void attr_index_put(struct svg_attr_set *set, size_t i)
{
	int created;

	strmap_put(&set->index, set->v[i].name, set->v[i].nlen, &created)->val = i;
}

/* The attribute of set called name, or NULL. */
static struct svg_attr *attr_find(const struct svg_attr_set *set, const char *name,
				  size_t nlen)
{
	const struct strmap_entry *e;
	size_t i;

	if (set->nr > ATTR_SCAN_MAX) {
		e = strmap_get(&set->index, name, nlen);
		return e ? &set->v[e->val] : NULL;
	}
	for (i = 0; i < set->nr; i++)
		if (set->v[i].nlen == nlen && !memcmp(set->v[i].name, name, nlen))
			return &set->v[i];
	return NULL;
}

static void attr_add(struct svg_attr_set *set, const char *func, const char *name,
		     size_t nlen, const char *value, size_t vlen, struct attr_warn *warn)
{
	struct svg_attr *a;
	size_t i;

	if (!attr_name_ok(name, nlen)) {
		attr_warn(warn, "invalid attribute name '%.*s' for '%s' in name-attr file; ignored",
			  (int)nlen, name, func);
		return;
	}
	a = attr_find(set, name, nlen);
	if (a) {
		attr_warn(warn, "duplicate attribute '%.*s' in name-attr file for '%s'; replacing value \"%s\" with \"%.*s\"",
			  (int)nlen, name, func, a->value, (int)vlen, value);
		free(a->value);
		a->value = xmemdupz(value, vlen);
		return;
	}
	ALLOC_GROW(set->v, set->nr + 1, set->alloc);
	a = &set->v[set->nr++];
	a->name = xmemdupz(name, nlen);
	a->value = xmemdupz(value, vlen);
	a->nlen = nlen;
	if (set->nr == ATTR_SCAN_MAX + 1)	/* too many to search in order */
		for (i = 0; i < set->nr; i++)
			attr_index_put(set, i);
	else if (set->nr > ATTR_SCAN_MAX)
		attr_index_put(set, set->nr - 1);
	if (nlen == 10 && !memcmp(name, "xlink:href", 10))
		set->has_href = 1;
}

/* g_extra / a_extra: a list of k="v" or k=v, as inferno reads it. */
static void parse_extra(struct svg_attr_set *set, const char *func, const char *s,
			size_t len, struct attr_warn *warn)
{
	const char *end = s + len;

	while (s < end) {
		const char *eq = memchr(s, '=', (size_t)(end - s));
		const char *name, *nend, *v, *vend;

		if (!eq)
			return;
		name = s;
		nend = eq;
		while (nend > name && ascii_space((unsigned char)nend[-1]))
			nend--;
		while (name < nend && ascii_space((unsigned char)*name))
			name++;
		if (name == nend) {
			attr_warn(warn, "\"=\" with no name in extra attributes for '%s'", func);
			return;
		}
		/* words before the last one have no value */
		{
			const char *w = nend;

			while (w > name && !ascii_space((unsigned char)w[-1]))
				w--;
			if (w > name)
				attr_warn(warn, "extra attribute '%.*s' for '%s' has no value (did you mean to quote the value?)",
					  (int)(w - name), name, func);
			name = w;
		}
		v = eq + 1;
		while (v < end && ascii_space((unsigned char)*v))
			v++;
		if (v < end && *v == '"') {
			const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));

			if (!q) {
				attr_warn(warn, "no end quote for extra attribute '%.*s' for '%s'",
					  (int)(nend - name), name, func);
				return;
			}
			v++;
			vend = q;
			s = q + 1;
		} else {
			vend = v;
			while (vend < end && !ascii_space((unsigned char)*vend))
				vend++;
			s = vend < end ? vend + 1 : end;
		}
		attr_add(set, func, name, (size_t)(nend - name), v, (size_t)(vend - v), warn);
	}
}

static void parse_line(struct svg_name_attrs *na, const char *s, size_t len,
		       struct attr_warn *warn)
{
	const char *tab, *end;
	struct strmap_entry *e;
	struct svg_attr_set *set;
	const char *func;
	int created;

	trim(&s, &len);
	end = s + len;
	tab = memchr(s, '\t', len);
	if (!len || tab == s)
		return;
	e = strmap_put(&na->funcs, s, tab ? (size_t)(tab - s) : len, &created);
	if (created) {
		ALLOC_GROW(na->sets, na->nr + 1, na->alloc);
		memset(&na->sets[na->nr], 0, sizeof(na->sets[0]));
		strmap_init(&na->sets[na->nr].index);
		e->val = na->nr++;
	}
	set = &na->sets[e->val];
	func = e->key;
	if (!tab)
		return;
	for (s = tab + 1; s <= end;) {
		const char *fe = memchr(s, '\t', (size_t)(end - s));
		const char *name, *eq, *v;
		size_t nlen, vlen;

		fe = fe ? fe : end;
		name = s;
		eq = memchr(s, '=', (size_t)(fe - s));
		s = fe + 1;
		if (!eq)
			continue;
		nlen = (size_t)(eq - name);
		trim(&name, &nlen);
		if (!nlen)
			continue;
		v = eq + 1;
		vlen = (size_t)(fe - v);
		trim(&v, &vlen);
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (nlen == 5 && !memcmp(name, "title", 5)) {
			free(set->title);
			set->title = xmemdupz(v, vlen);
		} else if (nlen == 4 && !memcmp(name, "href", 4)) {
			attr_add(set, func, "xlink:href", 10, v, vlen, warn);
		} else if ((nlen == 2 && !memcmp(name, "id", 2)) ||
			   (nlen == 5 && !memcmp(name, "class", 5)) ||
			   (nlen == 6 && !memcmp(name, "target", 6))) {
			attr_add(set, func, name, nlen, v, vlen, warn);
		} else if ((nlen == 7 && !memcmp(name, "g_extra", 7)) ||
			   (nlen == 7 && !memcmp(name, "a_extra", 7))) {
			parse_extra(set, func, v, vlen, warn);
		} else {
			attr_warn(warn, "invalid attribute '%.*s' found for '%s' in name-attr file",
				  (int)nlen, name, func);
		}
	}
	if (set->has_href && !attr_find(set, "target", 6))
		attr_add(set, func, "target", 6, "_top", 4, warn);
}

void svg_name_attrs_parse(struct svg_name_attrs *na, const char *data, size_t len,
			  const char *source, struct fg_buf *warn)
{
	struct attr_warn w = { warn, 0 };
	const char *p, *end;

	for (p = data, end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		parse_line(na, p, (size_t)(eol - p), &w);
		p = nl ? nl + 1 : end;
	}
	if (w.nr > NAME_ATTR_WARN_MAX)
		warn_add(warn, "... and %zu more warnings about name-attr file '%s'",
			 w.nr - NAME_ATTR_WARN_MAX, source);
}
