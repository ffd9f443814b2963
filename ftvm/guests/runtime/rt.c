/* The runtime's C half: memory helpers, console writer, HTIF exit and trap dispatch. */
#include "rt.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(8), used));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8), used));

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(uint32_t *)d = *(const uint32_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    if (((uintptr_t)d & 3u) == 0) {
        uint32_t w = (uint8_t)c * 0x01010101u;
        for (; n >= 4; n -= 4, d += 4)
            *(uint32_t *)d = w;
    }
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

void rt_putc(char c) { MMIO32(CONSOLE_TX) = (uint8_t)c; }

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

static void put_padded(const char *digits, int len, int width, char pad, int negative)
{
    if (negative && pad == '0')
        rt_putc('-');
    for (int i = len + negative; i < width; i++)
        rt_putc(pad);
    if (negative && pad != '0')
        rt_putc('-');
    while (len > 0)
        rt_putc(digits[--len]);
}

static void put_number(uint32_t v, uint32_t base, int upper, int width, char pad, int negative)
{
    static const char lower_digits[] = "0123456789abcdef";
    static const char upper_digits[] = "0123456789ABCDEF";
    const char *set = upper ? upper_digits : lower_digits;
    char buf[12];
    int len = 0;
    do {
        buf[len++] = set[v % base];
        v /= base;
    } while (v != 0);
    put_padded(buf, len, width, pad, negative);
}

void rt_vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            rt_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            fmt++;
        switch (*fmt) {
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            uint32_t mag = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
            put_number(mag, 10, 0, width, pad, v < 0);
            break;
        }
        case 'u': put_number(va_arg(ap, uint32_t), 10, 0, width, pad, 0); break;
        case 'x': put_number(va_arg(ap, uint32_t), 16, 0, width, pad, 0); break;
        case 'X': put_number(va_arg(ap, uint32_t), 16, 1, width, pad, 0); break;
        case 'c': rt_putc((char)va_arg(ap, int)); break;
        case 's': rt_puts(va_arg(ap, const char *)); break;
        case '%': rt_putc('%'); break;
        case '\0': return;
        default: rt_putc('%'); rt_putc(*fmt); break;
        }
    }
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}

void rt_exit(int code)
{
    ((volatile uint32_t *)&tohost)[0] = ((uint32_t)code << 1) | 1u;
    for (;;)
        wfi();
}

__attribute__((weak)) void rt_interrupt(uint32_t cause, uint32_t mepc)
{
    rt_printf("rt: unexpected interrupt cause=%u mepc=%08x\n", cause, mepc);
    rt_exit(RT_EXIT_TRAP);
}

/* Called by rt_trap_entry (crt0.S). Exceptions are guest bugs: report and end the run. */
void rt_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    if (mcause & MCAUSE_INTERRUPT) {
        rt_interrupt(mcause & ~MCAUSE_INTERRUPT, mepc);
        return;
    }
    rt_printf("rt: trap mcause=%u mepc=%08x mtval=%08x\n", mcause, mepc, mtval);
    rt_exit(RT_EXIT_TRAP);
}
