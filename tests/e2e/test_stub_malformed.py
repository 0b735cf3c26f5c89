"""Malformed input over the demo's socket: every bad packet is answered
with a NAK, an error or an empty reply, the stub keeps serving, and its
memory does not grow."""
import time

import pytest

from stub_demo import Demo, decode, packet, read_packet

SENTINEL = packet(b"qAttached")
SENTINEL_REPLY = b"$1#31"

# (bytes sent, expected: "nak", "error", "empty", "none" or an exact body)
CASES = [
    (b"$qAttached#00", "nak"),                       # wrong checksum
    (b"$qAttached#zz", "nak"),                       # checksum not hex
    (b"$g#6", "nak"),                                # checksum cut short by the next '$'
    (b"$" + b"A" * 20000 + b"#00", "nak"),           # beyond PacketSize
    (packet(b"X100000,1:}"), "nak"),                 # dangling escape
    (packet(b"*!"), "nak"),                          # repeat with nothing to repeat
    (packet(b"m" + b"0*~" * 300), "nak"),            # run-length bomb
    (packet(b"g*\x10"), "nak"),                      # repeat count out of range
    (b"\xff\xfe garbage \r\n", "none"),              # noise between packets
    (b"+-+-+", "none"),                              # stray acks
    (packet(b""), "empty"),
    (packet(b"\x00\x01\x02"), "empty"),
    (packet(b"qUnknownThing"), "empty"),
    (packet(b"vMustReplyEmpty"), "empty"),
    (packet(b"x0,0"), "empty"),
    (packet(b"m"), "error"),
    (packet(b"mzz,zz"), "error"),
    (packet(b"m100000,"), "error"),
    (packet(b"m0,ffffffffffffffff"), b"E14"),
    (packet(b"mffffffffffffffff,ffffffffffffffff"), b"E14"),
    (packet(b"m300000,10"), b"E14"),
    (packet(b"m123456789abcdef01,4"), "error"),      # 17 hex digits
    (packet(b"M200000,4:zz"), "error"),
    (packet(b"M200000,ffffffffffff:00"), "error"),
    (packet(b"X200000,ffffffff:abc"), "error"),
    (packet(b"X300000,1:a"), b"E14"),
    (packet(b"G" + b"0" * 7), "error"),
    (packet(b"G" + b"0" * 3000), "error"),            # longer than the register block
    (packet(b"p9999"), "error"),
    (packet(b"P10=zz"), "error"),
    (packet(b"P10=" + b"0" * 40), "error"),
    (packet(b"Z9,0,0"), "error"),
    (packet(b"Z2,200000,3"), "error"),               # x86 cannot watch 3 bytes
    (packet(b"Z2,200001,8"), "error"),               # nor unaligned
    (packet(b"Z0,100000,2"), "error"),               # int3 is one byte
    (packet(b"z1,999999,1"), "error"),               # nothing there to remove
    (packet(b"vCont;q"), "error"),
    (packet(b"vCont;s:99"), "error"),
    (packet(b"vCont;c:"), "error"),
    (packet(b"Hq1"), "error"),
    (packet(b"Hg99"), "error"),
    (packet(b"T99999999999"), "error"),
    (packet(b"qThreadExtraInfo,ffffffffffffffffff"), "error"),
    (packet(b"qXfer:features:read:../../etc/passwd:0,100"), "error"),
    (packet(b"qXfer:features:read:target.xml:0"), "error"),
    (packet(b"qXfer:threads:read::zz,zz"), "error"),
    (packet(b"qRcmd,zz"), "error"),
    (packet(b"qRcmd," + b"61" * 600), "error"),      # command too long
    (packet(b"qRcmd,6e6f7065"), "error"),            # unknown command
    (packet(b"qRcmd,7065656b"), "error"),            # peek without arguments
    (packet(b"qRcmd,7065656b2030783330303030"), "error"),   # peek an unmapped address
    (packet(b"qRcmd,7065656b207a7a"), "error"),      # peek zz
    (packet(b"Qqemu.PhyMemMode:7"), "error"),
    (packet(b"QThreadSuffixSupported"), b"OK"),
    (packet(b"g;thread:zz;"), "error"),
    (packet(b"p10;thread:9;"), "error"),
    (packet(b"C"), "error"),
    (packet(b"Sxx"), "error"),
]


def read_until(sock, marker, timeout=5):
    data = b""
    end = time.monotonic() + timeout
    while marker not in data:
        if time.monotonic() > end:
            raise AssertionError(f"no {marker!r} within {timeout}s; got {data[:200]!r}")
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed; got {data[:200]!r}")
        data += chunk
    return data


def classify(reply):
    """What the stub sent in answer to one case, before the sentinel's ack:
    nothing, a NAK, or an acked packet (after any O console packets)."""
    if reply == b"":
        return "none", None
    if reply == b"-":
        return "nak", None
    assert reply.startswith(b"+$"), reply[:100]
    packets = [p[:p.index(b"#")] for p in reply.split(b"$")[1:]]
    for console in packets[:-1]:
        assert console.startswith(b"O"), reply[:100]
    body = decode(packets[-1])
    if body == b"":
        return "empty", body
    if body.startswith(b"E") and len(body) >= 3:
        return "error", body
    return "body", body


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@pytest.fixture
def demo():
    d = Demo()
    yield d
    d.close()


def run_cases(sock):
    for sent, want in CASES:
        sock.sendall(sent + SENTINEL)
        data = read_until(sock, SENTINEL_REPLY)
        head = data[:data.rindex(SENTINEL_REPLY)]
        assert head.endswith(b"+"), (sent[:60], data[:200])
        kind, body = classify(head[:-1])
        if isinstance(want, bytes):
            assert body == want, (sent[:60], head[:200])
        else:
            assert kind == want, (sent[:60], kind, body)


def test_bad_packets_get_nak_error_or_empty(demo):
    with demo.connect() as s:
        run_cases(s)
        # still a working stub: registers and memory as documented
        s.sendall(packet(b"p10"))
        assert read_packet(s) == b"0000100000000000"
    assert demo.alive()


def test_no_growth_and_new_clients_after_abuse(demo):
    with demo.connect() as s:
        run_cases(s)
    before = rss_kib(demo.proc.pid)
    for _ in range(5):
        with demo.connect() as s:
            run_cases(s)
    after = rss_kib(demo.proc.pid)
    assert after - before < 512, (before, after)
    # a client that vanishes mid-packet does not wedge the next one
    with demo.connect() as s:
        s.sendall(b"$m200000,8#")
    with demo.connect() as s:
        s.sendall(packet(b"m200000,8"))
        assert read_packet(s) == b"8877665544332211"
    assert demo.alive()


def test_interrupt_bytes_anywhere(demo):
    with demo.connect() as s:
        # stopped target: 0x03 is ignored, packets around it still work
        s.sendall(b"\x03\x03" + SENTINEL + b"\x03")
        read_until(s, SENTINEL_REPLY)
        # running target: 0x03 stops it with SIGINT
        s.sendall(packet(b"c"))
        time.sleep(0.1)
        s.sendall(b"\x03")
        assert read_packet(s).startswith(b"T02")
        # a second 0x03 after the stop changes nothing
        s.sendall(b"\x03" + SENTINEL)
        read_until(s, SENTINEL_REPLY)
    assert demo.alive()
