/* ELF64 core writer. See core.h. File layout:
 *   Elf64_Ehdr | Elf64_Phdr[1 + nsegs] | PT_NOTE data | page-aligned PT_LOADs */
#include "core.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>

/* GDB reads pr_reg as the kernel's user_regs_struct for x86_64. */
_Static_assert(sizeof(elf_gregset_t) == sizeof(struct user_regs_struct),
               "pr_reg must be a user_regs_struct");

#define PAGE 4096ULL
#define CHUNK (64 * 1024)

static const char note_name[] = "CORE";

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

static size_t note_size(size_t desc)
{
    return sizeof(Elf64_Nhdr) + align4(sizeof note_name) + align4(desc);
}

static int put(FILE *f, const void *p, size_t n)
{
    return fwrite(p, 1, n, f) == n ? 0 : -1;
}

static int put_note(FILE *f, uint32_t type, const void *desc, size_t size)
{
    static const char zero[4];
    Elf64_Nhdr h = { .n_namesz = sizeof note_name, .n_descsz = (Elf64_Word)size, .n_type = type };
    if (put(f, &h, sizeof h) || put(f, note_name, sizeof note_name) ||
        put(f, zero, align4(sizeof note_name) - sizeof note_name) ||
        put(f, desc, size) || put(f, zero, align4(size) - size))
        return -1;
    return 0;
}

static int write_headers(FILE *f, int ncpus, const struct core_segment *segs, int nsegs,
                         uint64_t *data_off)
{
    size_t nphdr = 1 + (size_t)nsegs;
    uint64_t notes_off = sizeof(Elf64_Ehdr) + nphdr * sizeof(Elf64_Phdr);
    uint64_t notes_len = (uint64_t)ncpus * note_size(sizeof(prstatus_t));
    Elf64_Ehdr eh = {
        .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
                     EV_CURRENT, ELFOSABI_NONE },
        .e_type = ET_CORE,
        .e_machine = EM_X86_64,
        .e_version = EV_CURRENT,
        .e_phoff = sizeof(Elf64_Ehdr),
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = (Elf64_Half)nphdr,
    };
    if (put(f, &eh, sizeof eh))
        return -1;
    Elf64_Phdr note = { .p_type = PT_NOTE, .p_offset = notes_off, .p_filesz = notes_len, .p_align = 4 };
    if (put(f, &note, sizeof note))
        return -1;
    uint64_t off = (notes_off + notes_len + PAGE - 1) & ~(PAGE - 1);
    *data_off = off;
    for (int i = 0; i < nsegs; i++) {
        Elf64_Phdr ph = {
            .p_type = PT_LOAD, .p_flags = segs[i].flags, .p_offset = off,
            .p_vaddr = segs[i].vaddr, .p_paddr = segs[i].paddr,
            .p_filesz = segs[i].size, .p_memsz = segs[i].size, .p_align = PAGE,
        };
        if (put(f, &ph, sizeof ph))
            return -1;
        off += segs[i].size;
    }
    return 0;
}

static int write_notes(FILE *f, const struct core_cpu *cpus, int ncpus)
{
    for (int i = 0; i < ncpus; i++) {
        prstatus_t st;
        memset(&st, 0, sizeof st);
        st.pr_pid = cpus[i].id;
        st.pr_info.si_signo = 5;   /* SIGTRAP: the CPUs are stopped in a debugger */
        st.pr_cursig = 5;
        memcpy(&st.pr_reg, &cpus[i].regs, sizeof st.pr_reg);
        if (put_note(f, NT_PRSTATUS, &st, sizeof st))
            return -1;
    }
    return 0;
}

static int write_segments(FILE *f, uint64_t data_off, const struct core_segment *segs, int nsegs,
                          core_read_fn read, void *read_ctx,
                          core_progress_fn progress, void *progress_ctx, struct core_result *res)
{
    uint64_t total = 0, done = 0;
    for (int i = 0; i < nsegs; i++)
        total += segs[i].size;
    if (fseeko(f, (off_t)data_off, SEEK_SET))
        return -1;
    uint8_t *buf = malloc(CHUNK);
    if (!buf)
        return -1;
    for (int i = 0; i < nsegs; i++) {
        for (uint64_t off = 0; off < segs[i].size; off += CHUNK) {
            size_t n = segs[i].size - off < CHUNK ? (size_t)(segs[i].size - off) : CHUNK;
            int r = read(read_ctx, &segs[i], off, buf, n);
            if (r == CORE_READ_ABORT) {
                free(buf);
                errno = ECANCELED;
                return -1;
            }
            if (r) {
                memset(buf, 0, n);
                res->unreadable += n;
            }
            if (put(f, buf, n)) {
                free(buf);
                return -1;
            }
            done += n;
            res->bytes += n;
            if (progress)
                progress(progress_ctx, done, total);
        }
    }
    free(buf);
    return 0;
}

int core_write(const char *path, const struct core_cpu *cpus, int ncpus,
               const struct core_segment *segs, int nsegs,
               core_read_fn read, void *read_ctx,
               core_progress_fn progress, void *progress_ctx,
               struct core_result *result, char *err, size_t errsize)
{
    struct core_result res = { 0, 0 };
    if (ncpus <= 0) {
        snprintf(err, errsize, "no CPUs to write");
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errsize, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    uint64_t data_off;
    int rc = write_headers(f, ncpus, segs, nsegs, &data_off);
    if (!rc)
        rc = write_notes(f, cpus, ncpus);
    if (!rc)
        rc = write_segments(f, data_off, segs, nsegs, read, read_ctx, progress, progress_ctx, &res);
    if (fclose(f))
        rc = -1;
    if (rc) {
        snprintf(err, errsize, "writing %s failed: %s", path, strerror(errno));
        return -1;
    }
    if (result)
        *result = res;
    return 0;
}
