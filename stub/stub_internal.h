/*
 * stub/stub_internal.h - what the stub's own files share. Not for embedders.
 */
#ifndef HUSK_STUB_INTERNAL_H
#define HUSK_STUB_INTERNAL_H

#include "stub.h"

/* What a packet handler asks the dispatcher to do with `resp`. */
enum reply {
    REPLY_SEND = 0,  /* send resp (possibly empty) */
    REPLY_NONE       /* send nothing now (resume: the stop reply comes later) */
};

typedef enum reply (*packet_handler)(struct stub *s, const char *args, size_t len);

/* GDB signal numbers the stub uses. */
enum { GDB_SIGINT = 2, GDB_SIGILL = 4, GDB_SIGTRAP = 5, GDB_SIGSEGV = 11 };

/* ---- hex.c ------------------------------------------------------------- */
int hex_digit_value(char c);
extern const char hex_digits[16];
/* Parse 1..16 hex digits at *p (not beyond end); advances *p. */
bool parse_hex_u64(const char **p, const char *end, uint64_t *value);
/* Thread id: hex, or -1 for all. */
bool parse_thread_id(const char **p, const char *end, int *thread);
/* Exactly 2*n hex characters into n bytes. */
bool hex_decode(const char *hex, size_t n, uint8_t *out);
/* Literal prefix test. */
bool starts_with(const char *s, size_t len, const char *prefix);

/* ---- response.c -------------------------------------------------------- */
void resp_reset(struct stub *s);
void resp_bytes(struct stub *s, const void *data, size_t n);
void resp_str(struct stub *s, const char *str);
void resp_char(struct stub *s, char c);
void resp_hex_bytes(struct stub *s, const uint8_t *data, size_t n);
void resp_hex_u64(struct stub *s, uint64_t v);   /* no leading zeros */
void resp_hex_u8(struct stub *s, unsigned v);    /* exactly two digits */
void resp_hex_str(struct stub *s, const char *text);
void resp_ok(struct stub *s);
/* E<code>, with ;<hex message> once the client enabled error strings. */
void resp_error(struct stub *s, unsigned code, const char *message);
/* Maps a target_status: OK, empty (unsupported) or an E reply. */
void resp_status(struct stub *s, int status);
size_t resp_room(const struct stub *s);

/* ---- framing.c --------------------------------------------------------- */
/* Frame and send one packet body (escaped, optionally run-length encoded). */
void send_packet(struct stub *s, const char *body, size_t len);

/* ---- dispatch.c -------------------------------------------------------- */
void dispatch_packet(struct stub *s);

/* ---- threads.c --------------------------------------------------------- */
int thread_count(const struct stub *s);
bool thread_valid(const struct stub *s, int thread);
int current_thread(const struct stub *s);   /* last stop thread */
int register_thread(const struct stub *s);  /* suffix, Hg, or current */
int thread_core(const struct stub *s, int thread);

/* ---- stop_reply.c ------------------------------------------------------ */
/* Build the stop reply for `ev` into resp. */
void build_stop_reply(struct stub *s, const struct stop_event *ev);
void send_stop_reply(struct stub *s, const struct stop_event *ev);
bool read_pc(struct stub *s, int thread, uint64_t *pc);

/* ---- points.c ---------------------------------------------------------- */
void points_remove_all(struct stub *s);

/* ---- run.c ------------------------------------------------------------- */
/* Mark the target running and hand the per-thread actions to the target. */
void start_resume(struct stub *s, const struct resume_action *actions);

/* ---- monitor.c --------------------------------------------------------- */
void output_flush(struct stub *s);

/* Handlers, by file. */
enum reply h_stop_reason(struct stub *s, const char *a, size_t n);
enum reply h_read_regs(struct stub *s, const char *a, size_t n);
enum reply h_write_regs(struct stub *s, const char *a, size_t n);
enum reply h_read_reg(struct stub *s, const char *a, size_t n);
enum reply h_write_reg(struct stub *s, const char *a, size_t n);
enum reply h_read_mem(struct stub *s, const char *a, size_t n);
enum reply h_write_mem_hex(struct stub *s, const char *a, size_t n);
enum reply h_write_mem_bin(struct stub *s, const char *a, size_t n);
enum reply h_phys_set(struct stub *s, const char *a, size_t n);
enum reply h_phys_get(struct stub *s, const char *a, size_t n);
enum reply h_continue(struct stub *s, const char *a, size_t n);
enum reply h_step(struct stub *s, const char *a, size_t n);
enum reply h_continue_sig(struct stub *s, const char *a, size_t n);
enum reply h_step_sig(struct stub *s, const char *a, size_t n);
enum reply h_vcont_query(struct stub *s, const char *a, size_t n);
enum reply h_vcont(struct stub *s, const char *a, size_t n);
enum reply h_detach(struct stub *s, const char *a, size_t n);
enum reply h_kill(struct stub *s, const char *a, size_t n);
enum reply h_vkill(struct stub *s, const char *a, size_t n);
enum reply h_set_thread(struct stub *s, const char *a, size_t n);
enum reply h_thread_alive(struct stub *s, const char *a, size_t n);
enum reply h_current_thread(struct stub *s, const char *a, size_t n);
enum reply h_thread_first(struct stub *s, const char *a, size_t n);
enum reply h_thread_next(struct stub *s, const char *a, size_t n);
enum reply h_thread_extra(struct stub *s, const char *a, size_t n);
enum reply h_thread_stop_info(struct stub *s, const char *a, size_t n);
enum reply h_xfer_features(struct stub *s, const char *a, size_t n);
enum reply h_xfer_threads(struct stub *s, const char *a, size_t n);
enum reply h_insert_point(struct stub *s, const char *a, size_t n);
enum reply h_remove_point(struct stub *s, const char *a, size_t n);
enum reply h_rcmd(struct stub *s, const char *a, size_t n);
enum reply h_supported(struct stub *s, const char *a, size_t n);
enum reply h_no_ack(struct stub *s, const char *a, size_t n);
enum reply h_attached(struct stub *s, const char *a, size_t n);
enum reply h_host_info(struct stub *s, const char *a, size_t n);
enum reply h_process_info(struct stub *s, const char *a, size_t n);
enum reply h_thread_suffix(struct stub *s, const char *a, size_t n);
enum reply h_list_threads(struct stub *s, const char *a, size_t n);
enum reply h_error_strings(struct stub *s, const char *a, size_t n);
enum reply h_watch_info(struct stub *s, const char *a, size_t n);
enum reply h_symbol(struct stub *s, const char *a, size_t n);

#endif
