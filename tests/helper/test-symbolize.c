/*
 * test-tool symbolize: the symbolizer (profiler/symbolize.h) from the shell.
 *
 *   test-tool symbolize [--no-inline] [--build-id HEX] FILE ADDR...
 *	one line per ADDR (a hex file address, "0x" optional): the frame
 *	names joined by ';', outermost first (the folded-stack order), or
 *	"??" when nothing is known about the address
 *   test-tool symbolize --frames [--no-inline] [--build-id HEX] FILE ADDR...
 *	sym_lookup_frames(): per ADDR, one line per frame, innermost first,
 *	"NAME<TAB>MANGLED<TAB>FILE<TAB>LINE" ("-" for a NULL MANGLED or
 *	FILE), or "??"; then an empty line
 *   test-tool symbolize --info FILE
 *	the file's properties: type, debuginfo, symtab, build-id and one
 *	"load vaddr offset filesz memsz align flags" line per PT_LOAD
 *
 * Exit status: 0, 1 when FILE cannot be used (not ELF, or its build-id
 * differs from --build-id: the message says which), 64 on usage errors.
 */
#include "../../lib/common.h"
#include "../../profiler/symbolize.h"

int cmd_symbolize(int argc, const char **argv);

static int parse_hex_bytes(const char *s, unsigned char *out, size_t max,
			   size_t *len)
{
	size_t n = 0;

	while (*s) {
		unsigned hi, lo;

		if (n == max || sscanf(s, "%1x%1x", &hi, &lo) != 2)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	*len = n;
	return 0;
}

static int print_info(struct sym_file *f)
{
	const struct sym_segment *segs;
	const unsigned char *id;
	size_t n, i;

	printf("type %s\n", sym_file_is_exec(f) ? "exec" : "dyn");
	printf("debuginfo %d\n", sym_file_has_debuginfo(f));
	printf("symtab %d\n", sym_file_has_symtab(f));
	n = sym_file_build_id(f, &id);
	printf("build-id ");
	for (i = 0; i < n; i++)
		printf("%02x", id[i]);
	printf("\n");
	n = sym_file_segments(f, &segs);
	for (i = 0; i < n; i++)
		printf("load 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
		       " 0x%" PRIx64 " 0x%" PRIx64 " %c%c%c\n",
		       segs[i].vaddr, segs[i].offset, segs[i].filesz,
		       segs[i].memsz, segs[i].align,
		       segs[i].flags & 4 ? 'r' : '-',
		       segs[i].flags & 2 ? 'w' : '-',
		       segs[i].flags & 1 ? 'x' : '-');
	return 0;
}

static void print_frames(struct sym_cache *c, struct sym_file *f,
			 uint64_t addr)
{
	const struct sym_frame *fr;
	size_t n = sym_lookup_frames(c, f, addr, &fr), k;

	if (!n)
		puts("??");
	for (k = 0; k < n; k++)
		printf("%s\t%s\t%s\t%" PRIu32 "\n", fr[k].name,
		       fr[k].mangled ? fr[k].mangled : "-",
		       fr[k].file ? fr[k].file : "-", fr[k].line);
	putchar('\n');
}

int cmd_symbolize(int argc, const char **argv)
{
	const char *usage = "usage: test-tool symbolize [--frames] [--no-inline] "
			    "[--build-id HEX] FILE ADDR...\n"
			    "   or: test-tool symbolize --info FILE";
	unsigned char id[64];
	size_t idlen = 0;
	int inline_frames = 1, info = 0, frames = 0, mismatch = 0, ret = 0, i;
	struct sym_cache *c;
	struct sym_file *f;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--no-inline")) {
			inline_frames = 0;
		} else if (!strcmp(argv[i], "--frames")) {
			frames = 1;
		} else if (!strcmp(argv[i], "--info")) {
			info = 1;
		} else if (!strcmp(argv[i], "--build-id") && i + 1 < argc) {
			if (parse_hex_bytes(argv[++i], id, sizeof(id), &idlen)) {
				error("bad build-id '%s'", argv[i]);
				return EXIT_USAGE;
			}
		} else {
			error("%s", usage);
			return EXIT_USAGE;
		}
	}
	if (i >= argc || (info && i + 1 != argc)) {
		error("%s", usage);
		return EXIT_USAGE;
	}
	c = sym_cache_new(inline_frames);
	f = sym_file_get(c, argv[i], idlen ? id : NULL, idlen, &mismatch);
	if (!f) {
		if (mismatch)
			error("build-id of '%s' does not match", argv[i]);
		else
			error("cannot read '%s' as an ELF file", argv[i]);
		sym_cache_free(c);
		return 1;
	}
	if (info)
		ret = print_info(f);
	for (i++; !info && i < argc; i++) {
		const char *const *names;
		const char *s = argv[i];
		char *end;
		uint64_t addr;
		size_t n, k;

		errno = 0;
		addr = strtoull(s, &end, 16);
		if (errno || end == s || *end) {
			ret = error("bad address '%s'", s);
			continue;
		}
		if (frames) {
			print_frames(c, f, addr);
			continue;
		}
		n = sym_lookup(c, f, addr, &names);
		if (!n)
			fputs("??", stdout);
		for (k = n; k > 0; k--)
			printf("%s%s", names[k - 1], k > 1 ? ";" : "");
		putchar('\n');
	}
	sym_cache_free(c);
	return ret ? 1 : 0;
}
