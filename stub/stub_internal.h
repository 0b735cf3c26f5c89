/*
 * stub/stub_internal.h - what the stub's own files share. Not for embedders.
 */
#ifndef HUSK_STUB_INTERNAL_H
#define HUSK_STUB_INTERNAL_H

#include "stub.h"

/* What a packet handler asks the dispatcher to do with `resp`. */
enum reply {
    REPLY_SEND = 0,  /* send resp (possibly empty) */
    REPLY_NONE       /* send nothing now (resume: the stop reply comes later;
                        or the handler sent its reply itself, as `m` does) */
};

typedef enum reply (*packet_handler)(struct stub *s, const char *args, size_t len);

/* GDB signal numbers the stub uses. */
enum { GDB_SIGINT = 2, GDB_SIGILL = 4, GDB_SIGTRAP = 5, GDB_SIGSEGV = 11 };

/* ---- hex.c ------------------------------------------------------------- */
int rsp_hex_value(char c);
extern const char rsp_hex_digits[16];
/* Parse 1..16 hex digits at *p (not beyond end); advances *p. */
bool rsp_parse_hex(const char **p, const char *end, uint64_t *value);
/* Thread id: hex, or -1 for all. */
bool rsp_parse_thread(const char **p, const char *end, int *thread);
/* Exactly 2*n hex characters into n bytes. */
bool rsp_hex_decode(const char *hex, size_t n, uint8_t *out);
/* Literal prefix test. */
bool rsp_starts_with(const char *s, size_t len, const char *prefix);

/* ---- response.c -------------------------------------------------------- */
void rsp_resp_reset(struct stub *s);
void rsp_resp_bytes(struct stub *s, const void *data, size_t n);
void rsp_resp_str(struct stub *s, const char *str);
void rsp_resp_char(struct stub *s, char c);
void rsp_resp_hex_bytes(struct stub *s, const uint8_t *data, size_t n);
void rsp_resp_hex_u64(struct stub *s, uint64_t v);   /* no leading zeros */
void rsp_resp_hex_u8(struct stub *s, unsigned v);    /* exactly two digits */
void rsp_resp_hex_str(struct stub *s, const char *text);
void rsp_resp_ok(struct stub *s);
/* E<code>, with ;<hex message> once the client enabled error strings. */
void rsp_resp_error(struct stub *s, unsigned code, const char *message);
/* Maps a target_status: OK, empty (unsupported) or an E reply. */
void rsp_resp_status(struct stub *s, int status);
size_t rsp_resp_room(const struct stub *s);

/* ---- memory_reply.c --------------------------------------------------- */
/* Send n bytes (at most STUB_PACKET_SIZE / 2) as the hex reply to `m`,
 * framed and run-length encoded exactly as rsp_send_packet() would. */
void rsp_send_memory_reply(struct stub *s, const uint8_t *data, size_t n);

/* ---- framing.c --------------------------------------------------------- */
/* Frame and send one packet body (escaped, optionally run-length encoded). */
void rsp_send_packet(struct stub *s, const char *body, size_t len);
/* The run-length rule: how many of `more` further copies of the character
 * just sent one `*` repeat stands for (the largest count whose code is
 * neither framing nor too large), 0 when none may. */
unsigned rsp_repeat_count(size_t more);
/* Send the frame already in tx (len bytes, `$` to checksum) and keep it
 * for a resend until the ack comes. */
void rsp_send_frame(struct stub *s, size_t len);

/* ---- dispatch.c -------------------------------------------------------- */
void rsp_dispatch_packet(struct stub *s);

/* ---- threads.c --------------------------------------------------------- */
int rsp_thread_count(const struct stub *s);
bool rsp_thread_valid(const struct stub *s, int thread);
int rsp_current_thread(const struct stub *s);   /* last stop thread */
int rsp_register_thread(const struct stub *s);  /* suffix, Hg, or current */
int rsp_thread_core(const struct stub *s, int thread);

/* ---- stop_reply.c ------------------------------------------------------ */
/* Build the stop reply for `ev` into resp. */
void rsp_build_stop_reply(struct stub *s, const struct stop_event *ev);
void rsp_send_stop_reply(struct stub *s, const struct stop_event *ev);
bool rsp_read_pc(struct stub *s, int thread, uint64_t *pc);

/* ---- points.c ---------------------------------------------------------- */
void rsp_points_remove_all(struct stub *s);

/* ---- run.c ------------------------------------------------------------- */
/* Mark the target running and hand the per-thread actions to the target. */
void rsp_start_resume(struct stub *s, const struct resume_action *actions);

/* ---- monitor.c --------------------------------------------------------- */
void rsp_output_flush(struct stub *s);

/* Handlers, by file. */
enum reply rsp_h_stop_reason(struct stub *s, const char *a, size_t n);
enum reply rsp_h_read_regs(struct stub *s, const char *a, size_t n);
enum reply rsp_h_write_regs(struct stub *s, const char *a, size_t n);
enum reply rsp_h_read_reg(struct stub *s, const char *a, size_t n);
enum reply rsp_h_write_reg(struct stub *s, const char *a, size_t n);
enum reply rsp_h_read_mem(struct stub *s, const char *a, size_t n);
enum reply rsp_h_write_mem_hex(struct stub *s, const char *a, size_t n);
enum reply rsp_h_write_mem_bin(struct stub *s, const char *a, size_t n);
enum reply rsp_h_phys_set(struct stub *s, const char *a, size_t n);
enum reply rsp_h_phys_get(struct stub *s, const char *a, size_t n);
enum reply rsp_h_continue(struct stub *s, const char *a, size_t n);
enum reply rsp_h_step(struct stub *s, const char *a, size_t n);
enum reply rsp_h_continue_sig(struct stub *s, const char *a, size_t n);
enum reply rsp_h_step_sig(struct stub *s, const char *a, size_t n);
enum reply rsp_h_vcont_query(struct stub *s, const char *a, size_t n);
enum reply rsp_h_vcont(struct stub *s, const char *a, size_t n);
enum reply rsp_h_detach(struct stub *s, const char *a, size_t n);
enum reply rsp_h_kill(struct stub *s, const char *a, size_t n);
enum reply rsp_h_vkill(struct stub *s, const char *a, size_t n);
enum reply rsp_h_set_thread(struct stub *s, const char *a, size_t n);
enum reply rsp_h_thread_alive(struct stub *s, const char *a, size_t n);
enum reply rsp_h_current_thread(struct stub *s, const char *a, size_t n);
enum reply rsp_h_thread_first(struct stub *s, const char *a, size_t n);
enum reply rsp_h_thread_next(struct stub *s, const char *a, size_t n);
enum reply rsp_h_thread_extra(struct stub *s, const char *a, size_t n);
enum reply rsp_h_thread_stop_info(struct stub *s, const char *a, size_t n);
enum reply rsp_h_xfer_features(struct stub *s, const char *a, size_t n);
enum reply rsp_h_xfer_threads(struct stub *s, const char *a, size_t n);
enum reply rsp_h_insert_point(struct stub *s, const char *a, size_t n);
enum reply rsp_h_remove_point(struct stub *s, const char *a, size_t n);
enum reply rsp_h_rcmd(struct stub *s, const char *a, size_t n);
enum reply rsp_h_supported(struct stub *s, const char *a, size_t n);
enum reply rsp_h_no_ack(struct stub *s, const char *a, size_t n);
enum reply rsp_h_attached(struct stub *s, const char *a, size_t n);
enum reply rsp_h_host_info(struct stub *s, const char *a, size_t n);
enum reply rsp_h_process_info(struct stub *s, const char *a, size_t n);
enum reply rsp_h_thread_suffix(struct stub *s, const char *a, size_t n);
enum reply rsp_h_list_threads(struct stub *s, const char *a, size_t n);
enum reply rsp_h_error_strings(struct stub *s, const char *a, size_t n);
enum reply rsp_h_watch_info(struct stub *s, const char *a, size_t n);
enum reply rsp_h_symbol(struct stub *s, const char *a, size_t n);

#endif
