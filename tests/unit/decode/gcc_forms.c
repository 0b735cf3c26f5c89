/* Stores and loads the way C code makes them, for the gcc-output check
 * (gcc_oracle.py): compiled for 64-, 32- and 16-bit code, disassembled, and
 * every MOV in it decoded. Never run, only compiled. */
#include <stdint.h>

struct regs {
    uint32_t pad[8];
    uint32_t icr_low, pad2[3], icr_high;
};

#define FORMS(T, N)                                                                               \
    volatile T N##_global;                                                                        \
    volatile T N##_array[4096];                                                                   \
    void N##_store_ptr(volatile T *p, T v) { *p = v; }                                           \
    void N##_store_disp8(volatile T *p, T v) { p[5] = v; }                                       \
    void N##_store_disp32(volatile T *p, T v) { p[3000] = v; }                                   \
    void N##_store_neg(volatile T *p, T v) { p[-9] = v; }                                        \
    void N##_store_index(volatile T *p, long i, T v) { p[i] = v; }                               \
    void N##_store_index_disp(volatile T *p, long i, T v) { p[i + 3] = v; }                      \
    void N##_store_index_big(volatile T *p, long i, T v) { p[i + 5000] = v; }                    \
    void N##_store_global(T v) { N##_global = v; }                                               \
    void N##_store_global_index(long i, T v) { N##_array[i] = v; }                               \
    void N##_store_abs(T v) { *(volatile T *)0x7f00 = v; }                                     \
    void N##_store_imm(volatile T *p) { *p = (T)0x5a; p[7] = (T)-1; p[1000] = (T)0x12345678; }   \
    void N##_store_imm_global(void) { N##_global = (T)0x7f; N##_array[100] = (T)0x80; }          \
    void N##_store_many(volatile T *p, volatile T *q, T a, T b, T c, T d)                        \
    {                                                                                             \
        p[1] = a; q[2] = b; p[3] = c; q[4] = d; p[5] = a; q[6] = b;                               \
    }                                                                                             \
    T N##_load_ptr(volatile T *p) { return *p; }                                                 \
    T N##_load_disp(volatile T *p) { return p[200]; }                                            \
    T N##_load_index(volatile T *p, long i) { return p[i]; }                                     \
    T N##_load_global(void) { return N##_global; }                                               \
    T N##_load_abs(void) { return *(volatile T *)0x7f20; }

FORMS(uint8_t, u8)
FORMS(uint16_t, u16)
FORMS(uint32_t, u32)
FORMS(unsigned long, ul)

/* The xAPIC ICR written the way kernels do. */
void icr_send(volatile struct regs *lapic, uint32_t dest, uint32_t low)
{
    lapic->icr_high = dest << 24;
    lapic->icr_low = low;
}

#ifndef GCC_FORMS_16BIT   /* 0xFEE00300 is out of reach of 16-bit code */
void icr_init_fixed(void) { *(volatile uint32_t *)0xFEE00300 = 0x000C4500; }
#endif

/* Pressure on the registers so the r8-r15 and REX forms appear in 64-bit code. */
void spill(volatile unsigned long *p, unsigned long a, unsigned long b, unsigned long c,
           unsigned long d, unsigned long e, unsigned long f)
{
    unsigned long g = a * b, h = c * d, i = e * f, j = a ^ f, k = b ^ e, l = c ^ d;
    for (int n = 0; n < 3; n++) {
        p[n] = g; p[n + 8] = h; p[n + 16] = i; p[n + 24] = j; p[n + 32] = k; p[n + 40] = l;
        g += h; h += i; i += j; j += k; k += l; l += g;
        ((volatile uint8_t *)p)[n + 400] = (uint8_t)(g >> 3);
        ((volatile uint16_t *)p)[n + 500] = (uint16_t)(h >> 5);
        ((volatile uint32_t *)p)[n + 600] = (uint32_t)(i >> 7);
    }
}
