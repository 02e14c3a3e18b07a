#include "common.h"
#include "error.h"

static const char *const messages[] = {
#define X(name, msg) [FG_ERR_##name] = msg,
	FG_ERRORS
#undef X
};

const char *fg_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= FG_ERR__COUNT)
		return "unknown error";
	return messages[err];
}
