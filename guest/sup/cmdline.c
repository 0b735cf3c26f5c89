#include "cmdline.h"
#include "console.h"
#include "../abi.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

#define WORD_MAX 64

/* Defaults for a shard named without `=N`. */
#define COUNTER_DEFAULT_REPORTS 3
#define FLOAT_DEFAULT_ROUNDS    40     /* about two seconds of TCG: thousands of preemptions */
#define SPIN_DEFAULT_ROUNDS     8

static const char *const default_words[] = { "hello", "counter=3", "float", "spin" };

struct fault_kind {
    const char *name;
    int vector;             /* what it must die of */
};

/* Indexed by FAULT_* from abi.h. */
static const struct fault_kind fault_kinds[FAULT_KINDS] = {
    [FAULT_NULL]  = { "null",  14 },    /* #PF */
    [FAULT_WCODE] = { "wcode", 14 },    /* #PF */
    [FAULT_XDATA] = { "xdata", 14 },    /* #PF */
    [FAULT_RDTSC] = { "rdtsc", 13 },    /* #GP */
    [FAULT_UD2]   = { "ud2",    6 },    /* #UD */
};

static struct shard_request *add(struct run_config *cfg, const char *image)
{
    if (cfg->nshards == MAX_SHARDS) {
        kprintf("[BOOT] error: more than %d shards requested; '%s' dropped\n", MAX_SHARDS, image);
        cfg->errors++;
        return 0;
    }
    struct shard_request *r = &cfg->shards[cfg->nshards++];
    memset(r, 0, sizeof *r);
    r->image = image;
    strlcpy(r->name, image, sizeof r->name);
    r->expect_vector = -1;
    return r;
}

static int number_or_default(const char *word, const char *value, uint64_t def,
                             uint64_t max, uint64_t *out, struct run_config *cfg)
{
    if (!value) {
        *out = def;
        return 0;
    }
    if (parse_u64(value, out) || *out > max) {
        kprintf("[BOOT] error: '%s': want a number from 0 to %lu\n", word, (unsigned long)max);
        cfg->errors++;
        return -1;
    }
    return 0;
}

/* `fault`, `fault=KIND` or `fault=KIND+KIND...`: one shard per kind. */
static void add_faults(struct run_config *cfg, const char *word, const char *value)
{
    char kinds[WORD_MAX];
    strlcpy(kinds, value ? value : "null", sizeof kinds);
    for (char *k = kinds, *next; k; k = next) {
        next = 0;
        for (char *c = k; *c; c++)
            if (*c == '+') {
                *c = '\0';
                next = c + 1;
                break;
            }
        int found = -1;
        for (int i = 0; i < FAULT_KINDS; i++)
            if (!strcmp(k, fault_kinds[i].name))
                found = i;
        if (found < 0) {
            kprintf("[BOOT] error: '%s': unknown fault kind '%s' (null, wcode, xdata, rdtsc, ud2)\n",
                    word, k);
            cfg->errors++;
            continue;
        }
        struct shard_request *r = add(cfg, "fault");
        if (!r)
            return;
        r->arg = (uint64_t)found;
        r->expect_vector = fault_kinds[found].vector;
        fmt_snprintf(r->name, sizeof r->name, "fault-%s", fault_kinds[found].name);
    }
}

static void parse_word(struct run_config *cfg, char *word)
{
    char *value = 0;
    for (char *c = word; *c; c++)
        if (*c == '=') {
            *c = '\0';
            value = c + 1;
            break;
        }
    uint64_t n;
    struct shard_request *r;
    if (!strcmp(word, "exit-when-done") && !value) {
        cfg->exit_when_done = 1;
    } else if (!strcmp(word, "oops") && !value) {
        cfg->oops = 1;
    } else if (!strcmp(word, "hello") && !value) {
        add(cfg, "hello");
    } else if (!strcmp(word, "counter")) {
        /* `counter` runs until stopped; `counter=N` prints N reports and exits. */
        if (!number_or_default(word, value, COUNTER_FOREVER, 1000000, &n, cfg) && (r = add(cfg, "counter"))) {
            r->arg = n;
            r->daemon = (n == COUNTER_FOREVER);
        }
    } else if (!strcmp(word, "float")) {
        if (!number_or_default(word, value, FLOAT_DEFAULT_ROUNDS, 1000, &n, cfg) && (r = add(cfg, "float")))
            r->arg = n;
    } else if (!strcmp(word, "spin")) {
        if (!number_or_default(word, value, SPIN_DEFAULT_ROUNDS, 100000, &n, cfg) && (r = add(cfg, "spin")))
            r->arg = n;
    } else if (!strcmp(word, "fault")) {
        add_faults(cfg, word, value);
    } else {
        kprintf("[BOOT] error: unknown word '%s%s%s' (known: hello counter[=N] float[=N] "
                "fault[=KIND+...] spin[=N] exit-when-done oops)\n", word, value ? "=" : "", value ? value : "");
        cfg->errors++;
    }
}

/* Splits `line` on spaces; calls parse_word on each word after the first
 * `skip` words. */
static void parse_words(struct run_config *cfg, const char *line, int skip)
{
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (skip > 0) {
            skip--;
            continue;
        }
        char word[WORD_MAX];
        size_t len = (size_t)(p - start);
        if (len >= sizeof word) {
            kprintf("[BOOT] error: a command-line word is longer than %d characters\n", WORD_MAX - 1);
            cfg->errors++;
            continue;
        }
        memcpy(word, start, len);
        word[len] = '\0';
        parse_word(cfg, word);
    }
}

void cmdline_parse(const char *cmdline, struct run_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    parse_words(cfg, cmdline, 1);   /* the first word is the image path */
    if (cfg->nshards == 0 && cfg->errors == 0)
        for (unsigned i = 0; i < sizeof default_words / sizeof default_words[0]; i++) {
            char word[WORD_MAX];
            strlcpy(word, default_words[i], sizeof word);
            parse_word(cfg, word);
        }
}
