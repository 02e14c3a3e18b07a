/*
 * Build tool: turn a text file into a C source defining
 *   const char NAME[] = "...";  const size_t NAME_len = N;
 * so that svg/flamegraph.js stays a real file and is still compiled in.
 * Usage: gen-embed NAME INPUT OUTPUT
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	FILE *in, *out;
	int c;
	unsigned long n = 0, col = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: gen-embed NAME INPUT OUTPUT\n");
		return 64;
	}
	in = fopen(argv[2], "rb");
	if (!in) {
		perror(argv[2]);
		return 1;
	}
	out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		return 1;
	}
	fprintf(out, "/* generated from %s by gen-embed; do not edit */\n", argv[2]);
	fprintf(out, "#include <stddef.h>\nconst char %s[] =\n\"", argv[1]);
	while ((c = getc(in)) != EOF) {
		if (c == '\n') {
			fputs("\\n\"\n\"", out);
			col = 0;
		} else if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c < 0x20 || c >= 0x7f || c == '?') {
			/* octal escapes; '?' avoids trigraphs */
			fprintf(out, "\\%03o", (unsigned)c);
		} else {
			putc(c, out);
		}
		if (++col > 100 && c != '\n') {
			fputs("\"\n\"", out);
			col = 0;
		}
		n++;
	}
	fprintf(out, "\";\nconst size_t %s_len = %lu;\n", argv[1], n);
	if (ferror(in) || fclose(out)) {
		perror("gen-embed");
		return 1;
	}
	fclose(in);
	return 0;
}
