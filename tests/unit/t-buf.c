#include "unit.h"
#include "../../lib/buf.h"

TEST(buf_init_is_empty_string)
{
	struct fg_buf sb = FG_BUF_INIT;

	CHECK(sb.len == 0);
	CHECK(sb.buf != NULL);
	CHECK_STREQ(sb.buf, "");
	fg_buf_release(&sb);
	CHECK(sb.alloc == 0);
}

TEST(buf_add_grows_and_terminates)
{
	struct fg_buf sb = FG_BUF_INIT;
	int i;

	for (i = 0; i < 10000; i++)
		fg_buf_addch(&sb, 'a' + i % 26);
	CHECK(sb.len == 10000);
	CHECK(sb.buf[10000] == '\0');
	CHECK(sb.alloc > sb.len);
	CHECK(sb.buf[27] == 'b');
	fg_buf_release(&sb);
	CHECK(sb.len == 0);
	CHECK_STREQ(sb.buf, "");
}

TEST(buf_addf_and_addu64)
{
	struct fg_buf sb = FG_BUF_INIT;

	fg_buf_addf(&sb, "%s-%d", "x", 42);
	fg_buf_addu64(&sb, 0);
	fg_buf_addch(&sb, ' ');
	fg_buf_addu64(&sb, UINT64_MAX);
	CHECK_STREQ(sb.buf, "x-420 18446744073709551615");
	/* a long format forces the second vsnprintf pass */
	fg_buf_reset(&sb);
	fg_buf_addf(&sb, "%0500d", 7);
	CHECK(sb.len == 500);
	CHECK(sb.buf[499] == '7');
	fg_buf_release(&sb);
}

TEST(buf_detach_transfers_ownership)
{
	struct fg_buf sb = FG_BUF_INIT;
	size_t len;
	char *p;

	fg_buf_addstr(&sb, "hello");
	p = fg_buf_detach(&sb, &len);
	CHECK(len == 5);
	CHECK_STREQ(p, "hello");
	CHECK(sb.alloc == 0 && sb.len == 0);
	free(p);
	/* detaching an empty buffer still gives a malloc'd string */
	p = fg_buf_detach(&sb, NULL);
	CHECK_STREQ(p, "");
	free(p);
}
