#include "buf.h"

#include <unistd.h>

char fg_buf_slopbuf[1];

void fg_buf_init(struct fg_buf *sb, size_t hint)
{
	sb->alloc = sb->len = 0;
	sb->buf = fg_buf_slopbuf;
	if (hint)
		fg_buf_grow(sb, hint);
}

void fg_buf_release(struct fg_buf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	fg_buf_init(sb, 0);
}

char *fg_buf_detach(struct fg_buf *sb, size_t *len)
{
	char *res;

	fg_buf_grow(sb, 0);
	res = sb->buf;
	if (len)
		*len = sb->len;
	fg_buf_init(sb, 0);
	return res;
}

void fg_buf_grow(struct fg_buf *sb, size_t extra)
{
	int new_buf = !sb->alloc;
	size_t need = st_add(st_add(sb->len, extra), 1);

	if (new_buf)
		sb->buf = NULL;
	ALLOC_GROW(sb->buf, need, sb->alloc);
	if (new_buf)
		sb->buf[0] = '\0';
}

void fg_buf_vaddf(struct fg_buf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (!sb->alloc)
		fg_buf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("bad format string '%s'", fmt);
	if ((size_t)n >= sb->alloc - sb->len) {
		fg_buf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void fg_buf_addf(struct fg_buf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fg_buf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void fg_buf_addu64(struct fg_buf *sb, uint64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fg_buf_add(sb, p, (size_t)(tmp + sizeof(tmp) - p));
}

ssize_t fg_buf_read_fd(struct fg_buf *sb, int fd)
{
	size_t start = sb->len;

	for (;;) {
		ssize_t n;

		fg_buf_grow(sb, 65536);
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			sb->buf[sb->len] = '\0';
			return -1;
		}
		if (!n)
			break;
		sb->len += (size_t)n;
	}
	sb->buf[sb->len] = '\0';
	return (ssize_t)(sb->len - start);
}

/* Length of the well-formed UTF-8 sequence at s (of n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void fg_buf_add_printable(struct fg_buf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t n;

		if (*p >= 0x20 && *p < 0x7f) {
			fg_buf_addch(sb, *p++);
			continue;
		}
		n = *p >= 0x80 ? utf8_len(p, (size_t)(end - p)) : 0;
		/* C1 controls (U+0080 to U+009F) act on terminals too */
		if (n && !(n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			fg_buf_add(sb, p, n);
			p += n;
			continue;
		}
		n = n ? n : 1;
		while (n--)
			fg_buf_addf(sb, "\\x%02x", *p++);
	}
}
