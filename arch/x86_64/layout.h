/* Memory layout constants shared by C and assembly. */
#ifndef HUSK_X86_LAYOUT_H
#define HUSK_X86_LAYOUT_H

/* The monitor links and loads at 16 MiB, 2 MiB aligned, so the guest keeps
 * everything below (the usual place for Multiboot kernels) and the nested
 * page tables can leave the whole region out with 2 MiB entries. */
#define MONITOR_BASE     0x1000000
#define STACK_SIZE       0x4000        /* per CPU */
#define FAULT_STACK_SIZE 0x1000        /* per CPU, IST1: #DF and #MC */
#define MAX_APIC_ID      256
/* Real-mode AP start code is copied here (SIPI vector 0x08) at boot. */
#define AP_TRAMPOLINE    0x8000

/* Boot GDT selectors (also the per-CPU GDT's, which adds the TSS) */
#define SEL_CODE64       0x08
#define SEL_DATA         0x10
#define SEL_CODE32       0x18
#define SEL_TSS          0x20

#endif
