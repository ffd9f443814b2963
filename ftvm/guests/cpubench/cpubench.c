/*
 * cpubench: CPU-bound work for measuring the interpreter: a multiplicative hash over a buffer, integer
 * multiply and divide, and a store per word. The iteration count is the patchable word
 * cpubench_iterations (default CPUBENCH_ITERATIONS, about 1.5 G instructions: 31 per 4 words). Prints a checksum and
 * the retired-instruction count, exits 0.
 */
#include "../runtime/rt.h"

#ifndef CPUBENCH_ITERATIONS
#define CPUBENCH_ITERATIONS 12000u
#endif

RT_PARAM(cpubench_iterations, CPUBENCH_ITERATIONS);

#define BUF_WORDS 16384u

static uint32_t buf[BUF_WORDS];

static void fill(uint32_t seed)
{
    uint32_t x = seed;
    for (uint32_t i = 0; i < BUF_WORDS; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = x;
    }
}

/* One pass: every word is hashed, one in four feeds a division, every word is rewritten. */
static uint32_t pass(uint32_t h, uint32_t *acc)
{
    uint32_t a = *acc;
    for (uint32_t i = 0; i < BUF_WORDS; i += 4) {
        uint32_t w0 = buf[i], w1 = buf[i + 1], w2 = buf[i + 2], w3 = buf[i + 3];
        h = (h ^ w0) * 16777619u;
        h = (h ^ w1) * 16777619u;
        h = (h ^ w2) * 16777619u;
        h = (h ^ w3) * 16777619u;
        a += (w0 >> 1) / ((w1 & 0xFFFFu) | 1u);
        buf[i] = w0 * 2654435761u + h;
        buf[i + 1] = w1 ^ (a << 3);
        buf[i + 2] = w2 + (w3 >> 7);
        buf[i + 3] = w3 - a;
    }
    *acc = a;
    return h;
}

int main(void)
{
    uint32_t iterations = cpubench_iterations;
    uint32_t h = 2166136261u, acc = 1u;
    fill(0x12345678u);
    for (uint32_t it = 0; it < iterations; it++)
        h = pass(h, &acc);
    uint32_t instret_lo = CSR_READ(instret);
    uint32_t instret_hi = CSR_READ(instreth);
    rt_printf("cpubench: iterations=%u checksum=%08x%08x instret=0x%08x%08x\n", iterations, h, acc, instret_hi,
              instret_lo);
    return 0;
}
