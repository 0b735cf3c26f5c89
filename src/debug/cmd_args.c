#include "cmd_args.h"

#include "lib/string.h"
#include "stub/stub.h"

enum cmd_arg cmd_arg_cpu(const char **args, unsigned ncpus, uint64_t *cpu)
{
    if (!stub_arg_number(args, cpu))
        return ARG_NONE;
    return *cpu < ncpus ? ARG_OK : ARG_RANGE;
}

enum cmd_arg cmd_arg_pin(const char *args, unsigned ncpus, uint64_t *cpu)
{
    char word[8];
    const char *a = args;
    if (stub_arg_end(args))
        return ARG_NONE;
    if (stub_arg_number(&a, cpu) && stub_arg_end(a))
        return *cpu < ncpus ? ARG_OK : ARG_RANGE;
    a = args;
    if (stub_arg_word(&a, word, sizeof word) && !strcmp(word, "off") && stub_arg_end(a))
        return ARG_OFF;
    return ARG_BAD;
}

enum cmd_arg cmd_arg_on_off(const char *args, bool *on)
{
    /* a table, so a third spelling is one line */
    static const struct { const char *word; bool on; } words[] = { { "on", true }, { "off", false } };
    char word[8];
    if (!stub_arg_word(&args, word, sizeof word))
        return stub_arg_end(args) ? ARG_NONE : ARG_BAD;
    if (!stub_arg_end(args))
        return ARG_BAD;
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(word, words[i].word)) {
            *on = words[i].on;
            return ARG_OK;
        }
    return ARG_BAD;
}
