/* Opening a session: the link, then the handshake every client of the
 * stub goes through. See session.h. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XML_MAX (64 * 1024)
#define MAX_INCLUDES 8

/* Reads one qXfer object whole; returns a malloc'd NUL-terminated copy. */
static char *xfer_read(struct session *s, const char *object, const char *annex)
{
    char *out = malloc(XML_MAX + 1);
    size_t len = 0;
    if (!out)
        return NULL;
    for (;;) {
        size_t want = s->packet_size > 64 ? s->packet_size - 16 : 48;
        if (session_requestf(s, SIDE_SHELL, "qXfer:%s:read:%s:%zx,%zx", object, annex, len, want) ||
            s->reply_len == 0 || (s->reply[0] != 'm' && s->reply[0] != 'l') ||
            len + s->reply_len - 1 > XML_MAX) {
            free(out);
            return NULL;
        }
        memcpy(out + len, s->reply + 1, s->reply_len - 1);
        len += s->reply_len - 1;
        if (s->reply[0] == 'l' || s->reply_len == 1)
            break;
    }
    out[len] = '\0';
    return out;
}

struct includes {
    char names[MAX_INCLUDES][64];
    int count;
};

static void note_include(void *ctx, const char *href)
{
    struct includes *inc = ctx;
    if (inc->count < MAX_INCLUDES)
        snprintf(inc->names[inc->count++], sizeof inc->names[0], "%s", href);
}

/* The register layout from target.xml; QEMU's layout when there is none. */
static void learn_registers(struct session *s)
{
    struct includes inc = { .count = 0 };
    char *xml = xfer_read(s, "features", "target.xml");
    regs_clear(&s->layout);
    if (xml)
        regs_parse_xml(&s->layout, xml, note_include, &inc);
    free(xml);
    for (int i = 0; i < inc.count; i++) {
        char *part = xfer_read(s, "features", inc.names[i]);
        if (part)
            regs_parse_xml(&s->layout, part, NULL, NULL);
        free(part);
    }
    s->layout_from_target = s->layout.count > 0;
    if (s->layout_from_target)
        regs_finish(&s->layout);
    else
        regs_default_layout(&s->layout);
}

static void learn_packet_size(struct session *s)
{
    const char *p = strstr(s->reply, "PacketSize=");
    if (p) {
        unsigned long v = strtoul(p + strlen("PacketSize="), NULL, 16);
        if (v >= 64)
            s->packet_size = v < RSP_MAX_PAYLOAD ? v : RSP_MAX_PAYLOAD;
    }
}

int session_connect(struct session *s)
{
    if (link_open(&s->link, s->err, sizeof s->err))
        return -1;
    s->noack = false;
    s->running = false;
    s->rx_pos = s->rx_len = 0;
    rsp_decoder_reset(&s->dec);
    for (int i = 0; i < SEL_COUNT; i++)   /* until the resets below */
        snprintf(s->sel_link[i], sizeof s->sel_link[i], "0");
    /* A stub left in no-ack mode by an earlier proxy answers without '+';
     * one in ack mode waits for ours. Both are fine from here. */
    if (link_write(&s->link, "+", 1) ||
        session_request(s, SIDE_SHELL, "QStartNoAckMode", 15)) {
        if (!s->err[0])
            snprintf(s->err, sizeof s->err, "cannot write to the link");
        session_disconnect(s);
        return -1;
    }
    s->noack = strcmp(s->reply, "OK") == 0;
    if (session_requestf(s, SIDE_SHELL, "qSupported:swbreak+;hwbreak+"))
        goto fail;
    learn_packet_size(s);
    /* Whatever an earlier client selected is not what we assume. */
    static const char *const resets[] = { "Hg0", "Hc0", "Qqemu.PhyMemMode:0" };
    for (int i = 0; i < SEL_COUNT; i++) {
        if (session_requestf(s, SIDE_SHELL, "%s", resets[i]))
            goto fail;
        snprintf(s->sel_link[i], sizeof s->sel_link[i], "0");
    }
    learn_registers(s);
    if (session_request(s, SIDE_SHELL, "?", 1))
        goto fail;
    return 0;
fail:
    session_disconnect(s);
    return -1;
}
