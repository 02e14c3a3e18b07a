#ifndef FG_BUF_H
#define FG_BUF_H

/*
 * struct fg_buf: a growable byte buffer, modelled on git's strbuf.
 *
 * Invariants: .buf is never NULL (an empty buffer points at a shared empty
 * string) and .buf[.len] is always '\0', so the contents can be used as a
 * C string when they hold no NUL. .alloc is the allocated size (0 while
 * .buf points at the shared empty string). Not thread-safe: one owner.
 *
 * fg_buf_release() frees the contents and leaves the buffer in the state
 * of FG_BUF_INIT; fg_buf_detach() hands the bytes to the caller.
 */

#include "common.h"

struct fg_buf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char fg_buf_slopbuf[];
#define FG_BUF_INIT { .alloc = 0, .len = 0, .buf = fg_buf_slopbuf }

void fg_buf_init(struct fg_buf *sb, size_t hint);
void fg_buf_release(struct fg_buf *sb);
/* Return the bytes (NUL-terminated, malloc'd) and reinitialise sb. */
char *fg_buf_detach(struct fg_buf *sb, size_t *len);
/* Make room for at least extra more bytes (plus the NUL). */
void fg_buf_grow(struct fg_buf *sb, size_t extra);

static inline void fg_buf_setlen(struct fg_buf *sb, size_t len)
{
	if (len > (sb->alloc ? sb->alloc - 1 : 0))
		BUG("fg_buf_setlen() beyond buffer");
	sb->len = len;
	sb->buf[len] = '\0';
}

static inline void fg_buf_reset(struct fg_buf *sb)
{
	if (sb->alloc)
		fg_buf_setlen(sb, 0);
}

static inline void fg_buf_add(struct fg_buf *sb, const void *data, size_t len)
{
	if (sb->alloc < sb->len + len + 1)
		fg_buf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void fg_buf_addch(struct fg_buf *sb, int c)
{
	if (sb->alloc < sb->len + 2)
		fg_buf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

static inline void fg_buf_addstr(struct fg_buf *sb, const char *s)
{
	fg_buf_add(sb, s, strlen(s));
}

void fg_buf_addf(struct fg_buf *sb, const char *fmt, ...) FG_PRINTF(2, 3);
void fg_buf_vaddf(struct fg_buf *sb, const char *fmt, va_list ap);

/*
 * Longest line the text readers take (folded stacks, perf script text):
 * past it, input is an error, not a reason to use all the memory there is.
 */
#define FG_MAX_LINE ((size_t)64 << 20)

/*
 * Append s (len bytes) for a terminal: control characters (C0, DEL, and
 * C1 in UTF-8) and bytes that are not UTF-8 become "\xNN" escapes, so
 * that a name from a hostile file cannot drive the terminal.
 */
void fg_buf_add_printable(struct fg_buf *sb, const char *s, size_t len);

/* Append an unsigned decimal number (faster than fg_buf_addf). */
void fg_buf_addu64(struct fg_buf *sb, uint64_t v);

/*
 * Read the whole of fd (until EOF) and append it to sb. Returns the number
 * of bytes read, or -1 with errno set.
 */
ssize_t fg_buf_read_fd(struct fg_buf *sb, int fd);

#endif
