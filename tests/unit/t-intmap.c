#include "unit.h"
#include "../../lib/intmap.h"

TEST(intmap_put_get_del)
{
	struct intmap m = INTMAP_INIT;
	uint64_t i, k, v, sum = 0;
	size_t it = 0;

	CHECK(intmap_get(&m, 5) == NULL);
	for (i = 0; i < 10000; i++)
		intmap_put(&m, i * 7, i);
	CHECK(m.nr == 10000);
	CHECK(*intmap_get(&m, 700) == 100);
	intmap_put(&m, 700, 1);
	CHECK(*intmap_get(&m, 700) == 1);
	for (i = 0; i < 10000; i += 2)
		CHECK(intmap_del(&m, i * 7));
	CHECK(!intmap_del(&m, 0));
	CHECK(m.nr == 5000);
	for (i = 1; i < 10000; i += 2)
		CHECK(intmap_get(&m, i * 7) && *intmap_get(&m, i * 7) == i);
	for (i = 0; i < 10000; i += 2)
		CHECK(intmap_get(&m, i * 7) == NULL);
	while (intmap_next(&m, &it, &k, &v))
		sum += v;
	CHECK_U64EQ(sum, 25000000);
	intmap_release(&m);
	CHECK(m.cap == 0);
}
