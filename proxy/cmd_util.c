/* Helpers the command handlers share. See cmd_handlers.h. */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cmd_handlers.h"
#include "cmdline.h"
#include "rsp.h"

bool arg_address(struct proxy *p, const char *s, uint64_t *out)
{
    char err[160];
    if (s[0] == '$') {   /* a register of the selected CPU */
        return acc_reg(p, p->cpu, s + 1, out) == 0;
    }
    if (!parse_address(s, p->syms ? symtab_lookup : NULL, p->syms, out, err, sizeof err)) {
        if (!p->syms && strstr(err, "unknown symbol"))
            proxy_error(p, "%s (no guest ELF loaded: --elf FILE)", err);
        else
            proxy_error(p, "%s", err);
        return false;
    }
    return true;
}

bool arg_number(struct proxy *p, const char *s, const char *what, uint64_t *out)
{
    if (parse_u64(s, out))
        return true;
    proxy_error(p, "bad %s '%s'", what, s);
    return false;
}

const char *describe_address(struct proxy *p, uint64_t addr)
{
    static char buf[320];
    uint64_t off;
    const char *name = p->syms ? symtab_symbolize(p->syms, addr, &off) : NULL;
    if (name)
        snprintf(buf, sizeof buf, "0x%016llx <%s+0x%llx>", (unsigned long long)addr, name,
                 (unsigned long long)off);
    else
        snprintf(buf, sizeof buf, "0x%016llx", (unsigned long long)addr);
    return buf;
}

void print_stop(struct proxy *p, const char *reply, size_t len, bool to_notify)
{
    struct rsp_stop st;
    char line[512], what[200];
    if (!rsp_parse_stop(reply, len, &st)) {
        snprintf(line, sizeof line, "resume refused: %s", acc_error_text(reply));
    } else {
        rsp_describe_stop(&st, what, sizeof what);
        if (st.thread > 0)
            p->cpu = st.thread;   /* like GDB: the stopping CPU becomes current */
        const struct reg_desc *rip = regs_find(&p->sess.layout, "rip");
        uint64_t pc;
        bool have_pc = rip && rsp_stop_register(reply, len, rip->regnum, &pc);
        /* A stub that sends no registers along (QEMU's): ask for rip. */
        if (!have_pc && st.kind == 'T' && session_up(&p->sess) && !p->sess.running)
            have_pc = acc_reg(p, p->cpu, "rip", &pc) == 0;
        if (have_pc)
            snprintf(line, sizeof line, "stopped: %s at %s", what, describe_address(p, pc));
        else
            snprintf(line, sizeof line, "stopped: %s", what);
    }
    if (to_notify)
        shell_notify(&p->shell, line);
    else
        printf("%s\n", line);
}
