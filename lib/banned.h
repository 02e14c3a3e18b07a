#ifndef FG_BANNED_H
#define FG_BANNED_H

/*
 * Functions that are too easy to misuse: overflowing copies and
 * non-reentrant tokenizers. Including this header turns any use of them
 * into a compile error; use fg_buf or snprintf/memcpy with a known size.
 */

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)

#endif
