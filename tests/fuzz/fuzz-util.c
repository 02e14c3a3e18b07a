/*
 * Helpers shared by the fuzz targets (see fuzz.h): the scratch file, the
 * XML well-formedness check and the input-seeded generator.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../lib/error.h"
#include "../../svg/flamegraph.h"

#include <sys/mman.h>
#include <unistd.h>

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: invariant broken: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

const char *fuzz_file(const uint8_t *data, size_t size, int *fdp)
{
	static int fd = -1;
	static char path[64];
	size_t off = 0;

	if (fd < 0) {
		fd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (fd < 0)
			fuzz_fail("memfd_create: %s", strerror(errno));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0)
		fuzz_fail("ftruncate: %s", strerror(errno));
	while (off < size) {
		ssize_t n = pwrite(fd, data + off, size - off, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fuzz_fail("pwrite: %s", n < 0 ? strerror(errno) : "short write");
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		fuzz_fail("lseek: %s", strerror(errno));
	if (fdp)
		*fdp = fd;
	return path;
}

void fuzz_rng_init(struct fuzz_rng *r, const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	r->state = h;
}

uint64_t fuzz_rng_next(struct fuzz_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- XML well-formedness -------------------------------------------- */

static char xml_msg[200];

FG_PRINTF(3, 4)
static const char *xml_error(const char *doc, const char *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(xml_msg, sizeof(xml_msg), "offset %zu: ", (size_t)(p - doc));

	va_start(ap, fmt);
	vsnprintf(xml_msg + n, sizeof(xml_msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return xml_msg;
}

static int xml_char_ok(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/* Decode one UTF-8 sequence at p; returns its length, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	uint32_t c = p[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

static int name_char(int c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static const char *skip_name(const char *p, const char *end)
{
	if (p >= end || !name_start((unsigned char)*p))
		return NULL;
	while (p < end && name_char((unsigned char)*p))
		p++;
	return p;
}

/* A reference at p ('&'); returns the byte after its ';', or NULL. */
static const char *check_ref(const char *p, const char *end)
{
	static const char *const names[] = { "amp;", "lt;", "gt;", "quot;", "apos;" };
	const char *q = p + 1;
	size_t i;

	if (q < end && *q == '#') {
		uint64_t v = 0;
		int hex = 0, digits = 0;

		q++;
		if (q < end && *q == 'x') {
			hex = 1;
			q++;
		}
		for (; q < end && *q != ';'; q++) {
			int c = (unsigned char)*q, d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return NULL;
			v = v * (hex ? 16 : 10) + (uint64_t)d;
			if (v > 0x10ffff)
				return NULL;
			digits++;
		}
		if (q >= end || !digits || !xml_char_ok((uint32_t)v))
			return NULL;
		return q + 1;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		size_t n = strlen(names[i]);

		if ((size_t)(end - q) >= n && !memcmp(q, names[i], n))
			return q + n;
	}
	return NULL;
}

/* Text or an attribute value [p, end): references and forbidden bytes. */
static const char *check_chars(const char *doc, const char *p, const char *end,
			       int attr)
{
	while (p < end) {
		if (*p == '&') {
			const char *q = check_ref(p, end);

			if (!q)
				return xml_error(doc, p, "bad reference");
			p = q;
			continue;
		}
		if (*p == '<')
			return xml_error(doc, p, "'<' in %s", attr ? "an attribute" : "text");
		if (!attr && *p == ']' && end - p >= 3 && !memcmp(p, "]]>", 3))
			return xml_error(doc, p, "']]>' in text");
		p++;
	}
	return NULL;
}

struct span {
	const char *s;
	size_t len;
};

static const char *find(const char *p, const char *end, const char *what)
{
	return memmem(p, (size_t)(end - p), what, strlen(what));
}

const char *fuzz_xml_check(const char *doc, size_t len)
{
	const unsigned char *u = (const unsigned char *)doc, *uend = u + len;
	const char *p = doc, *end = doc + len, *res = NULL;
	struct span *stack = NULL, *attrs = NULL;
	size_t depth = 0, salloc = 0, aalloc = 0;
	int roots = 0;

	while (u < uend) {
		uint32_t c;
		size_t n = utf8_decode(u, uend, &c);

		if (!n)
			return xml_error(doc, (const char *)u, "invalid UTF-8");
		if (!xml_char_ok(c))
			return xml_error(doc, (const char *)u, "character U+%04X", (unsigned)c);
		u += n;
	}

	while (p < end && !res) {
		const char *q;

		if (*p != '<') {
			q = memchr(p, '<', (size_t)(end - p));
			q = q ? q : end;
			if (!depth) {
				for (; p < q; p++)
					if (!is_space((unsigned char)*p)) {
						res = xml_error(doc, p, "text outside the root element");
						break;
					}
			} else {
				res = check_chars(doc, p, q, 0);
			}
			p = q;
			continue;
		}
		if (end - p >= 2 && p[1] == '?') {
			q = find(p + 2, end, "?>");
			if (!q || !skip_name(p + 2, end))
				res = xml_error(doc, p, "bad processing instruction");
			else
				p = q + 2;
		} else if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			q = find(p + 4, end, "--");
			if (!q || q + 2 >= end || q[2] != '>')
				res = xml_error(doc, p, "bad comment");
			else
				p = q + 3;
		} else if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
			q = find(p + 9, end, "]]>");
			if (!q || !depth)
				res = xml_error(doc, p, "bad CDATA section");
			else
				p = q + 3;
		} else if (end - p >= 9 && !memcmp(p, "<!DOCTYPE", 9)) {
			q = memchr(p, '>', (size_t)(end - p));
			if (!q || depth || roots)
				res = xml_error(doc, p, "misplaced DOCTYPE");
			else
				p = q + 1;
		} else if (end - p >= 2 && p[1] == '/') {
			const char *ne = skip_name(p + 2, end);

			if (!ne) {
				res = xml_error(doc, p, "bad end tag");
				break;
			}
			if (!depth || stack[depth - 1].len != (size_t)(ne - p - 2) ||
			    memcmp(stack[depth - 1].s, p + 2, (size_t)(ne - p - 2))) {
				res = xml_error(doc, p, "end tag '%.*s' does not match",
						(int)(ne - p - 2), p + 2);
				break;
			}
			depth--;
			for (p = ne; p < end && is_space((unsigned char)*p); p++)
				;
			if (p >= end || *p != '>')
				res = xml_error(doc, p, "bad end tag");
			else
				p++;
		} else {
			const char *name = p + 1, *ne = skip_name(name, end);
			size_t nattrs = 0, i;
			int empty = 0;

			if (!ne) {
				res = xml_error(doc, p, "bad start tag");
				break;
			}
			if (!depth && roots++) {
				res = xml_error(doc, p, "second root element");
				break;
			}
			p = ne;
			for (;;) {
				const char *an, *ae, *ve;
				int sp = 0;

				while (p < end && is_space((unsigned char)*p)) {
					p++;
					sp = 1;
				}
				if (p < end && *p == '>') {
					p++;
					break;
				}
				if (end - p >= 2 && p[0] == '/' && p[1] == '>') {
					p += 2;
					empty = 1;
					break;
				}
				an = p;
				ae = skip_name(p, end);
				if (!sp || !ae) {
					res = xml_error(doc, p, "bad attribute in <%.*s>",
							(int)(ne - name), name);
					break;
				}
				for (i = 0; i < nattrs; i++)
					if (attrs[i].len == (size_t)(ae - an) &&
					    !memcmp(attrs[i].s, an, attrs[i].len))
						break;
				if (i < nattrs) {
					res = xml_error(doc, an, "attribute '%.*s' twice",
							(int)(ae - an), an);
					break;
				}
				ALLOC_GROW(attrs, nattrs + 1, aalloc);
				attrs[nattrs].s = an;
				attrs[nattrs++].len = (size_t)(ae - an);
				for (p = ae; p < end && is_space((unsigned char)*p); p++)
					;
				if (p >= end || *p != '=') {
					res = xml_error(doc, p, "attribute without '='");
					break;
				}
				for (p++; p < end && is_space((unsigned char)*p); p++)
					;
				if (p >= end || (*p != '"' && *p != '\'') ||
				    !(ve = memchr(p + 1, *p, (size_t)(end - p - 1)))) {
					res = xml_error(doc, p, "unquoted attribute value");
					break;
				}
				res = check_chars(doc, p + 1, ve, 1);
				if (res)
					break;
				p = ve + 1;
			}
			if (res)
				break;
			if (!empty) {
				ALLOC_GROW(stack, depth + 1, salloc);
				stack[depth].s = name;
				stack[depth++].len = (size_t)(ne - name);
			}
		}
	}
	if (!res && depth)
		res = xml_error(doc, end, "%zu elements not closed", depth);
	if (!res && !roots)
		res = xml_error(doc, end, "no root element");
	free(stack);
	free(attrs);
	return res;
}

/* ---- rendering ------------------------------------------------------ */

int fuzz_render(struct stack_table *t, const struct svg_opts *o)
{
	struct fg_buf err = FG_BUF_INIT;
	char *doc = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&doc, &len);
	const char *bad;
	int ret;

	if (!fp)
		fuzz_fail("open_memstream: %s", strerror(errno));
	ret = svg_render(t, o, fp, &err);
	if (fclose(fp))
		fuzz_fail("fclose of a memory stream failed");
	if (!ret) {
		bad = fuzz_xml_check(doc, len);
		if (bad)
			fuzz_fail("the SVG is not well-formed XML: %s", bad);
	} else if (ret == -FG_ERR_NO_STACKS && len) {
		fuzz_fail("svg_render() wrote %zu bytes and returned -FG_ERR_NO_STACKS",
			  len);
	}
	free(doc);
	fg_buf_release(&err);
	return ret;
}
