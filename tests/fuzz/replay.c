/*
 * Replay driver: runs a fuzz target's LLVMFuzzerTestOneInput() once on
 * each file named on the command line, without libFuzzer, so that the
 * reproducers under tests/fuzz/regressions/ run in the normal test suite
 * (see tests/e2e/t9000-fuzz-regressions.sh). A crash of the target is a
 * crash of this program; otherwise it prints one line per file and exits
 * 0, or 2 when a file cannot be read.
 */
#include "fuzz.h"
#include "../../lib/buf.h"

#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i, ret = 0;

	for (i = 1; i < argc; i++) {
		struct fg_buf sb = FG_BUF_INIT;
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		uint8_t *copy;

		if (fd < 0 || fg_buf_read_fd(&sb, fd) < 0) {
			fprintf(stderr, "replay: cannot read '%s': %s\n", argv[i],
				strerror(errno));
			if (fd >= 0)
				close(fd);
			fg_buf_release(&sb);
			ret = 2;
			continue;
		}
		close(fd);
		/* an exact-size copy, so that ASan sees reads past the end */
		copy = xmalloc(sb.len ? sb.len : 1);
		memcpy(copy, sb.buf, sb.len);
		LLVMFuzzerTestOneInput(copy, sb.len);
		free(copy);
		printf("replayed %s (%zu bytes)\n", argv[i], sb.len);
		fg_buf_release(&sb);
	}
	return ret;
}
