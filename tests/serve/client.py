#!/usr/bin/env python3
"""client.py — the raw-socket HTTP/1.1 client of the serve suite
(tests/serve/run.sh): the cases curl cannot express (pipelining, slow
clients, chunked uploads, malformed requests, bursts, many connections).

    python3 tests/serve/client.py COMMAND PORT [ARGS...]

Commands (each prints what it saw; a failed check prints "FAIL: why" and
the command exits 1):

  raw PORT REQUEST [--responses N] [--linger S] [--timeout S]
        sends REQUEST (Python string escapes: \\r\\n, \\x00...) in one write,
        reads N responses (default 1) and prints each as
            N status: CODE REASON
            N header NAME: VALUE      (names lower-cased, in order)
            N body-length: LEN
            N body: REPR              (the first 300 bytes, Python repr)
        then "closed" when the server closed the connection within --linger
        seconds (default 0.5) after them, "open" otherwise; "elapsed: S".
        Never fails by itself: run.sh greps the output.
  keepalive PORT PATH N         N requests on one connection, then one with
                                "Connection: close"
  body PORT PATH SIZE length|chunked
                                POSTs SIZE random bytes, checks the echo
  concurrent PORT PATH NREQ NCONN [TRAP_PATH]
                                NREQ echo requests over NCONN keep-alive
                                connections at once, each response checked
                                against its own request; with TRAP_PATH every
                                5th request goes there instead and must be 500
  overload PORT PATH N MS       N simultaneous requests for PATH?ms=MS
                                (a slow handler) against a small queue
  flood PORT FLOOD_PATH PROBE_PATH
                                one client pipelines FLOOD_PATH requests
                                without end; 3 probes of PROBE_PATH on other
                                connections must each be answered in < 3 s
  reset PORT PATH MS PID        a request for PATH?ms=MS, then a TCP reset
                                while its handler runs: server PID must not
                                spin (CPU < 30% of the time), then serves on
  slowloris PORT PATH READ_TIMEOUT NSLOW
                                NSLOW clients drip headers one byte a second;
                                others must be served meanwhile; the slow
                                ones get 408 after READ_TIMEOUT and are closed
  slowbody PORT PATH READ_TIMEOUT
                                complete headers, a body that never completes:
                                408 after READ_TIMEOUT, closed
  idle PORT PATH IDLE_TIMEOUT   a keep-alive connection survives a short
                                pause, and is closed quietly (no bytes) after
                                IDLE_TIMEOUT of idleness
  toolarge PORT PATH SIZE length|chunked
                                a body over --max-body: 413 (read while the
                                body is still being sent)
  maxconn PORT PATH N           --max-connections N: one more connection gets
                                503 and is closed; the N go on being served
"""

import codecs
import random
import select
import os
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"


class Failure(Exception):
    pass


def check(cond, why):
    if not cond:
        raise Failure(why)


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # [(lower-cased name, value)]
        self.body = body

    def get(self, name, default=None):
        name = name.lower()
        for n, v in self.headers:
            if n == name:
                return v
        return default

    def __repr__(self):
        return "<%d %s, %d bytes: %r>" % (self.status, self.reason, len(self.body), self.body[:80])


class Conn:
    """One client connection with its own read buffer."""

    def __init__(self, port, timeout=30.0):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.eof = False

    def close(self):
        self.sock.close()

    def local_port(self):
        return self.sock.getsockname()[1]

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        if self.eof:
            return False
        try:
            chunk = self.sock.recv(1 << 16)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _line(self):
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line = bytes(self.buf[: i + 1])
                del self.buf[: i + 1]
                return line.rstrip(b"\r\n")
            if not self._fill():
                raise Failure("connection closed in the middle of a response head: %r" % bytes(self.buf[:200]))

    def _exactly(self, n):
        while len(self.buf) < n:
            if not self._fill():
                raise Failure("connection closed after %d of %d body bytes" % (len(self.buf), n))
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def at_eof(self, wait):
        """True when the server closes the connection within `wait` seconds
        without sending anything more."""
        if self.buf:
            return False
        old = self.sock.gettimeout()
        self.sock.settimeout(wait)
        try:
            return not self._fill()
        except (socket.timeout, TimeoutError):
            return False
        finally:
            self.sock.settimeout(old)

    def response(self, head=False):
        """The next response, or None when the connection closed first."""
        while True:
            if not self.buf and not self._fill():
                return None
            line = self._line()
            parts = line.decode("latin-1").split(" ", 2)
            check(len(parts) >= 2 and parts[0].startswith("HTTP/1.") and parts[1].isdigit(),
                  "bad status line %r" % line)
            status = int(parts[1])
            reason = parts[2] if len(parts) > 2 else ""
            headers = []
            while True:
                h = self._line()
                if not h:
                    break
                name, sep, value = h.decode("latin-1").partition(":")
                check(sep, "bad header line %r" % h)
                headers.append((name.strip().lower(), value.strip()))
            if 100 <= status < 200:
                continue  # 100 Continue: the real response follows
            r = Response(status, reason, headers, b"")
            te = r.get("transfer-encoding", "").lower()
            if head or status in (204, 304):
                pass
            elif "chunked" in te:
                body = bytearray()
                while True:
                    size_line = self._line().split(b";")[0].strip()
                    size = int(size_line, 16)
                    if size == 0:
                        while self._line():  # trailers
                            pass
                        break
                    body += self._exactly(size)
                    check(self._exactly(2) == b"\r\n", "chunk not followed by CRLF")
                r.body = bytes(body)
            elif r.get("content-length") is not None:
                r.body = self._exactly(int(r.get("content-length")))
            else:
                while self._fill():
                    pass
                r.body = bytes(self.buf)
                self.buf.clear()
            return r


def request_bytes(method, target, headers=(), body=b""):
    head = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, target, HOST)
    for h in headers:
        head += h + "\r\n"
    if body or method in ("POST", "PUT"):
        head += "Content-Length: %d\r\n" % len(body)
    return head.encode("latin-1") + b"\r\n" + body


def chunked(data, rng):
    """data in Transfer-Encoding: chunked framing, random chunk sizes."""
    out = bytearray()
    i = 0
    while i < len(data):
        n = min(len(data) - i, rng.choice([1, 7, 100, 4096, 65536, rng.randint(1, 100000)]))
        size = "%x" % n
        out += (size.upper() if rng.random() < 0.5 else size).encode()
        if rng.random() < 0.2:
            out += b";ext=1"
        out += b"\r\n" + data[i : i + n] + b"\r\n"
        i += n
    out += b"0\r\n\r\n"
    return bytes(out)


def echo_check(r, body, query=None):
    """r is the echo handler's answer to a request with this body/query."""
    check(r is not None, "no response (connection closed)")
    check(r.status == 200, "status %d, want 200: %r" % (r.status, r.body[:300]))
    check(r.get("x-body-length") == str(len(body)),
          "the handler read %s body bytes, want %d" % (r.get("x-body-length"), len(body)))
    check(r.body == body, "the echoed body differs (%d bytes back, %d sent)" % (len(r.body), len(body)))
    if query is not None:
        check(r.get("x-env-query_string") == query,
              "QUERY_STRING %r, want %r" % (r.get("x-env-query_string"), query))
    check(r.get("x-runs") == "1", "X-Runs %r: the instance was reused" % r.get("x-runs"))


# ------------------------------------------------------------------ commands


def cmd_raw(port, request, *opts):
    want, linger, timeout = 1, 0.5, 20.0
    opts = list(opts)
    while opts:
        o = opts.pop(0)
        if o == "--responses":
            want = int(opts.pop(0))
        elif o == "--linger":
            linger = float(opts.pop(0))
        elif o == "--timeout":
            timeout = float(opts.pop(0))
        else:
            raise SystemExit("raw: unknown option %s" % o)
    data = codecs.decode(request, "unicode_escape").encode("latin-1")
    t0 = time.monotonic()
    c = Conn(port, timeout=timeout)
    try:
        c.send(data)
    except (BrokenPipeError, ConnectionResetError) as e:
        print("send failed: %s" % e)
    got = 0
    try:
        while got < want:
            r = c.response()
            if r is None:
                break
            got += 1
            print("%d status: %d %s" % (got, r.status, r.reason))
            for n, v in r.headers:
                print("%d header %s: %s" % (got, n, v))
            print("%d body-length: %d" % (got, len(r.body)))
            print("%d body: %r" % (got, r.body[:300]))
        print("closed" if c.eof or c.at_eof(linger) else "open")
    except (socket.timeout, TimeoutError):
        print("timeout after %.1f s" % timeout)
    except Failure as e:
        print("malformed response: %s" % e)
    print("elapsed: %.2f" % (time.monotonic() - t0))
    c.close()
    return True


def cmd_keepalive(port, path, n):
    c = Conn(port)
    port_seen = set()
    for i in range(int(n)):
        body = b"" if i % 2 == 0 else ("body %d\r\n\x00" % i).encode()
        c.send(request_bytes("POST" if body else "GET", "%s?i=%d" % (path, i), body=body))
        r = c.response()
        echo_check(r, body, "i=%d" % i)
        check(r.get("connection", "").lower() != "close", "request %d: Connection: close" % i)
        port_seen.add(r.get("x-env-remote_port"))
    check(not c.at_eof(0.05), "the server closed the connection after %s requests" % n)
    check(port_seen == {str(c.local_port())},
          "REMOTE_PORT %s, want just %d: not one connection" % (sorted(map(str, port_seen)), c.local_port()))
    c.send(request_bytes("GET", path + "?last", ["Connection: close"]))
    echo_check(c.response(), b"", "last")
    check(c.at_eof(5), "still open after a request with Connection: close")
    print("%s requests on one connection (port %d), then Connection: close" % (n, c.local_port()))
    return True


def cmd_body(port, path, size, mode):
    size = int(size)
    rng = random.Random(size)
    data = bytes(rng.getrandbits(8) for _ in range(size)) if size < 4096 else rng.randbytes(size)
    if mode == "chunked":
        req = ("POST %s HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n"
               "Content-Type: application/octet-stream\r\n\r\n" % (path, HOST)).encode() + chunked(data, rng)
    else:
        req = request_bytes("POST", path, ["Content-Type: application/octet-stream"], data)
    c = Conn(port, timeout=60)
    c.send(req)
    r = c.response()
    echo_check(r, data)
    cl = r.get("x-env-content_length")
    check(cl in (None, str(size)), "CONTENT_LENGTH %r, want %d" % (cl, size))
    check(r.get("x-env-content_type") == "application/octet-stream",
          "CONTENT_TYPE %r" % r.get("x-env-content_type"))
    check(r.get("x-env-http_transfer_encoding") is None, "HTTP_TRANSFER_ENCODING passed to the handler")
    print("%d bytes (%s) echoed byte for byte" % (size, mode))
    return True


def cmd_concurrent(port, path, nreq, nconn, trap_path=None):
    nreq, nconn = int(nreq), int(nconn)
    errors, done = [], [0]
    lock = threading.Lock()

    def one(k):
        mine = range(k, nreq, nconn)
        c = None
        for i in mine:
            rng = random.Random(i)
            try:
                if c is None:
                    c = Conn(port, timeout=60)
                if trap_path and i % 5 == 4:
                    c.send(request_bytes("GET", "%s?i=%d" % (trap_path, i)))
                    r = c.response()
                    check(r is not None, "no response")
                    check(r.status == 500, "trap: status %d, want 500" % r.status)
                    check(b"trap" in r.body.lower(), "trap: the body %r does not say 'trap'" % r.body[:200])
                else:
                    body = rng.randbytes(rng.choice([0, 1, 100, 3000, 20000]))
                    target = "%s/c%d?id=%d" % (path, i, i)
                    c.send(request_bytes("POST", target, ["X-Request: %d" % i], body))
                    r = c.response()
                    echo_check(r, body, "id=%d" % i)
                    check(r.get("x-env-path_info", "").endswith("/c%d" % i),
                          "PATH_INFO %r, want .../c%d" % (r.get("x-env-path_info"), i))
                    check(r.get("x-env-http_x_request") == str(i),
                          "HTTP_X_REQUEST %r, want %d" % (r.get("x-env-http_x_request"), i))
                with lock:
                    done[0] += 1
                if r.get("connection", "").lower() == "close":
                    c.close()
                    c = None
            except (Failure, OSError) as e:
                with lock:
                    errors.append("request %d: %s" % (i, e))
                if c:
                    c.close()
                c = None
        if c:
            c.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=one, args=(k,)) for k in range(nconn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%d of %d requests answered right over %d connections in %.1f s"
          % (done[0], nreq, nconn, time.monotonic() - t0))
    for e in errors[:10]:
        print("FAIL: " + e)
    return not errors


def cmd_overload(port, path, n, ms):
    n, ms = int(n), int(ms)
    results = [None] * n
    barrier = threading.Barrier(n)

    def one(k):
        try:
            c = Conn(port, timeout=ms / 1000 * n + 30)
            req = request_bytes("GET", "%s?ms=%d&id=%d" % (path, ms, k))
            barrier.wait()
            t0 = time.monotonic()
            c.send(req)
            r = c.response()
            results[k] = (r, time.monotonic() - t0)
            c.close()
        except Exception as e:  # every failure is reported below
            results[k] = (e, 0)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = busy = 0
    for k, (r, dt) in enumerate(results):
        check(isinstance(r, Response), "request %d: no response: %r" % (k, r))
        if r.status == 200:
            ok += 1
            check(("id=%d" % k).encode() in r.body, "request %d: someone else's body %r" % (k, r.body))
        elif r.status == 503:
            busy += 1
            check(r.get("retry-after") == "1", "request %d: 503 with Retry-After %r" % (k, r.get("retry-after")))
            check(r.get("content-type", "").startswith("text/plain"),
                  "request %d: 503 with Content-Type %r" % (k, r.get("content-type")))
            check(dt < ms / 1000, "request %d: the 503 took %.2f s, not at once" % (k, dt))
        else:
            raise Failure("request %d: status %d, want 200 or 503" % (k, r.status))
    print("%d requests at once: %d answered 200, %d answered 503 at once" % (n, ok, busy))
    check(ok >= 1, "no request was served")
    check(busy >= 1, "no request was turned away with 503")
    c = Conn(port)
    c.send(request_bytes("GET", "%s?ms=1&id=after" % path))
    r = c.response()
    check(r is not None and r.status == 200, "after the burst: %r" % r)
    return True


def cmd_slowloris(port, path, read_timeout, nslow):
    read_timeout, nslow = float(read_timeout), int(nslow)
    drip = b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
    slow = [None] * nslow
    t0 = time.monotonic()

    def dripper(k):
        c = Conn(port, timeout=read_timeout + 30)
        sent = 0
        try:
            while time.monotonic() - t0 < read_timeout + 20:
                readable, _, _ = select.select([c.sock], [], [], 1.0)
                if readable:
                    break
                c.send(drip[sent : sent + 1])
                sent += 1
            r = c.response()
            slow[k] = (r, time.monotonic() - t0, c.at_eof(3), sent)
        except Exception as e:
            slow[k] = (e, time.monotonic() - t0, False, sent)
        c.close()

    threads = [threading.Thread(target=dripper, args=(k,)) for k in range(nslow)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    fast = []
    for i in range(5):
        t1 = time.monotonic()
        c = Conn(port, timeout=10)
        c.send(request_bytes("GET", "%s?fast=%d" % (path, i), ["Connection: close"]))
        r = c.response()
        fast.append(time.monotonic() - t1)
        echo_check(r, b"", "fast=%d" % i)
        c.close()
        time.sleep(0.1)
    print("while %d clients dripped headers: 5 others served in %s s"
          % (nslow, " ".join("%.2f" % t for t in fast)))
    check(max(fast) < 3, "a request took %.2f s while slow clients were connected" % max(fast))
    for t in threads:
        t.join()
    for k, (r, at, closed, sent) in enumerate(slow):
        check(isinstance(r, Response), "slow client %d: no response (%r) after %d bytes" % (k, r, sent))
        check(r.status == 408, "slow client %d: status %d, want 408" % (k, r.status))
        check(read_timeout - 0.5 <= at <= read_timeout + 5,
              "slow client %d: 408 after %.1f s, want about %.0f s" % (k, at, read_timeout))
        check(closed, "slow client %d: the connection stayed open after the 408" % k)
    print("each slow client: 408 after %s s, then closed"
          % " ".join("%.1f" % s[1] for s in slow))
    return True


def cmd_slowbody(port, path, read_timeout):
    read_timeout = float(read_timeout)
    c = Conn(port, timeout=read_timeout + 30)
    t0 = time.monotonic()
    c.send(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" % path).encode() + b"x" * 10)
    r = c.response()
    at = time.monotonic() - t0
    check(r is not None, "closed without a response after %.1f s" % at)
    check(r.status == 408, "status %d, want 408: %r" % (r.status, r.body[:200]))
    check(read_timeout - 0.5 <= at <= read_timeout + 5, "408 after %.1f s, want about %.0f" % (at, read_timeout))
    check(c.at_eof(3), "the connection stayed open after the 408")
    print("a body stuck at 10 of 1000 bytes: 408 after %.1f s, then closed" % at)
    return True


def cmd_idle(port, path, idle_timeout):
    idle_timeout = float(idle_timeout)
    c = Conn(port, timeout=idle_timeout + 30)
    c.send(request_bytes("GET", path + "?one"))
    echo_check(c.response(), b"", "one")
    time.sleep(idle_timeout / 3)
    c.send(request_bytes("GET", path + "?two"))
    echo_check(c.response(), b"", "two")
    t0 = time.monotonic()
    closed = c.at_eof(idle_timeout + 10)
    at = time.monotonic() - t0
    check(closed, "still open %.1f s after the last response" % at
          if not c.buf else "the server sent %r instead of closing quietly" % bytes(c.buf[:200]))
    check(idle_timeout - 0.5 <= at <= idle_timeout + 5,
          "closed after %.1f s of idleness, want about %.1f" % (at, idle_timeout))
    print("open after %.1f s idle; closed quietly after %.1f s" % (idle_timeout / 3, at))
    return True


def cmd_toolarge(port, path, size, mode):
    """A body of SIZE bytes over the server's --max-body: 413, read while
    still sending (the server may answer before the body is all there)."""
    size = int(size)
    c = Conn(port, timeout=30)
    if mode == "chunked":
        head = "POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" % path
        piece = b"2000\r\n" + b"x" * 0x2000 + b"\r\n"
    else:
        head = "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (path, size)
        piece = b"x" * 0x2000
    c.send(head.encode())
    sent = 0
    try:
        while sent < size:
            readable, _, _ = select.select([c.sock], [], [], 0.05 if sent else 0.3)
            if readable:
                break
            c.send(piece)
            sent += 0x2000
    except (BrokenPipeError, ConnectionResetError):
        pass
    r = c.response()
    check(r is not None, "closed without a response after %d body bytes" % sent)
    check(r.status == 413, "status %d, want 413: %r" % (r.status, r.body[:200]))
    check(r.get("content-type", "").startswith("text/plain"), "Content-Type %r" % r.get("content-type"))
    check(b"larger than --max-body" in r.body, "the body does not name the limit: %r" % r.body[:200])
    print("a %d-byte %s body: 413 after %d bytes were sent: %r" % (size, mode, sent, r.body[:100]))
    return True


def cmd_maxconn(port, path, n):
    """--max-connections N: N connections are served, one more gets 503 and
    is closed, and once one of the N goes a new one is served again."""
    n = int(n)
    conns = []
    for i in range(n):
        c = Conn(port)
        c.send(request_bytes("GET", "%s?conn=%d" % (path, i)))
        echo_check(c.response(), b"", "conn=%d" % i)
        conns.append(c)
    extra = Conn(port)
    try:
        extra.send(request_bytes("GET", path + "?extra"))
    except (BrokenPipeError, ConnectionResetError):
        pass
    r = extra.response()
    check(r is not None, "connection %d: closed without a 503" % (n + 1))
    check(r.status == 503, "connection %d: status %d, want 503" % (n + 1, r.status))
    check(r.get("retry-after") == "1", "connection %d: Retry-After %r" % (n + 1, r.get("retry-after")))
    check(extra.at_eof(3), "connection %d: still open after the 503" % (n + 1))
    for i, c in enumerate(conns):  # the first N are still served
        c.send(request_bytes("GET", "%s?again=%d" % (path, i)))
        echo_check(c.response(), b"", "again=%d" % i)
    conns.pop().close()
    deadline = time.monotonic() + 5
    while True:
        c = Conn(port)
        try:
            c.send(request_bytes("GET", path + "?later"))
            r = c.response()
        except OSError:
            r = None
        if r is not None and r.status == 200 or time.monotonic() > deadline:
            break
        c.close()
        time.sleep(0.1)
    check(r is not None and r.status == 200, "after one of %d connections closed, a new one got %r" % (n, r))
    print("%d connections served, one more got 503 and was closed, then a new one was served" % n)
    return True


def cpu_seconds(pid):
    """User + system CPU time of process pid so far, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cmd_reset(port, path, ms, pid):
    """A client resets its connection while its request sleeps in a worker:
    the server must not spin on the dead socket, and serves on."""
    ms, pid = int(ms), int(pid)
    c = Conn(port, timeout=10)
    c.send(request_bytes("GET", "%s?ms=%d" % (path, ms)))
    time.sleep(0.2)
    before, t0 = cpu_seconds(pid), time.monotonic()
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()  # RST
    time.sleep(ms / 1000.0)
    used, wall = cpu_seconds(pid) - before, time.monotonic() - t0
    print("server CPU while the reset request's handler ran: %.2f s in %.2f s" % (used, wall))
    check(used < 0.3 * wall, "the server burnt %.2f s of CPU in %.2f s" % (used, wall))
    c = Conn(port, timeout=10)
    c.send(request_bytes("GET", "%s?ms=1" % path, ["Connection: close"]))
    r = c.response()
    check(r.status == 200, "after the reset: status %d, want 200" % r.status)
    c.close()
    return True


def cmd_flood(port, flood_path, probe_path):
    """One client pipelines requests for FLOOD_PATH without end (answered by
    the loop itself, e.g. 404s) while reading the answers as fast as they
    come: requests on other connections must still be served at once."""
    stop = threading.Event()
    flood = socket.create_connection((HOST, port), timeout=5)
    burst = request_bytes("GET", flood_path) * 2000

    def drain():
        while not stop.is_set():
            try:
                if not flood.recv(1 << 20):
                    return
            except OSError:
                return

    def send():
        while not stop.is_set():
            try:
                flood.sendall(burst)
            except OSError:
                return

    threads = [threading.Thread(target=drain, daemon=True),
               threading.Thread(target=send, daemon=True)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    took = []
    try:
        for i in range(3):
            t0 = time.monotonic()
            c = Conn(port, timeout=10)
            c.send(request_bytes("GET", "%s?probe=%d" % (probe_path, i), ["Connection: close"]))
            r = c.response()
            took.append(time.monotonic() - t0)
            c.close()
            check(r.status == 200, "probe %d during the flood: status %d" % (i, r.status))
    finally:
        stop.set()
        flood.close()
    print("during the flood, 3 probes answered in %s s" % " ".join("%.3f" % t for t in took))
    check(max(took) < 3, "a probe took %.2f s during the flood" % max(took))
    return True


COMMANDS = {
    "flood": cmd_flood,
    "reset": cmd_reset,
    "raw": cmd_raw,
    "keepalive": cmd_keepalive,
    "body": cmd_body,
    "concurrent": cmd_concurrent,
    "overload": cmd_overload,
    "slowloris": cmd_slowloris,
    "slowbody": cmd_slowbody,
    "idle": cmd_idle,
    "toolarge": cmd_toolarge,
    "maxconn": cmd_maxconn,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        ok = COMMANDS[argv[1]](int(argv[2]), *argv[3:])
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    except (OSError, socket.timeout) as e:
        print("FAIL: %s: %s" % (type(e).__name__, e))
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
