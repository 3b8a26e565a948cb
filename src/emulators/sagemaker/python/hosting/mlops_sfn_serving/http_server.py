"""A small HTTP/1.1 server for the model server: keep-alive, Content-Length and chunked bodies,
"Expect: 100-continue", one thread per connection, each response sent in one write. It listens on a
unix socket (in a folder only the launcher can reach), so it answers the launcher's front whether
or not the sandbox has a network of its own.

It is written for latency: a single-row request costs a few readline calls and one sendall, far
less than http.server's email-parser based handler.
"""
import os
import socket
import sys
import threading

from .response import REASONS

MAX_LINE = 65536
MAX_HEADERS = 100
MAX_BODY = 110 * 1024 * 1024
SMALL_RESPONSE = 65536


class BadRequest(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Request(object):
    __slots__ = ('method', 'target', 'path', 'version', 'headers', 'body')

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


def _read_line(rfile):
    line = rfile.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise BadRequest(431, 'header line too long')
    return line


def _read_chunked(rfile):
    parts = []
    total = 0
    while True:
        size_line = _read_line(rfile)
        if not size_line:
            raise BadRequest(400, 'incomplete chunked body')
        try:
            size = int(size_line.split(b';', 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest(400, 'bad chunk size')
        if size == 0:
            while _read_line(rfile) not in (b'\r\n', b'\n', b''):
                pass
            return b''.join(parts)
        total += size
        if total > MAX_BODY:
            raise BadRequest(413, 'request body too large')
        chunk = rfile.read(size)
        if len(chunk) != size:
            raise BadRequest(400, 'incomplete chunked body')
        parts.append(chunk)
        rfile.readline(3)


def read_request(rfile, conn):
    """The next request on the connection, or None when the client closed it."""
    line = _read_line(rfile)
    while line in (b'\r\n', b'\n'):
        line = _read_line(rfile)
    if not line:
        return None
    parts = line.split()
    if len(parts) != 3 or not parts[2].startswith(b'HTTP/1.'):
        raise BadRequest(400, 'bad request line')
    req = Request()
    req.method = parts[0].decode('latin-1')
    req.target = parts[1].decode('latin-1')
    req.path = req.target.split('?', 1)[0]
    req.version = parts[2].decode('latin-1')
    headers = {}
    for _ in range(MAX_HEADERS + 1):
        h = _read_line(rfile)
        if h in (b'\r\n', b'\n', b''):
            break
        name, sep, value = h.partition(b':')
        if not sep:
            raise BadRequest(400, 'bad header line')
        key = name.strip().lower().decode('latin-1')
        val = value.strip().decode('latin-1')
        headers[key] = headers[key] + ', ' + val if key in headers else val
    else:
        raise BadRequest(431, 'too many headers')
    req.headers = headers
    if headers.get('expect', '').lower() == '100-continue':
        conn.sendall(b'HTTP/1.1 100 Continue\r\n\r\n')
    if 'chunked' in headers.get('transfer-encoding', '').lower():
        req.body = _read_chunked(rfile)
    else:
        length = headers.get('content-length')
        if length is None:
            req.body = b''
        else:
            try:
                n = int(length)
            except ValueError:
                raise BadRequest(400, 'bad Content-Length')
            if n < 0:
                raise BadRequest(400, 'bad Content-Length')
            if n > MAX_BODY:
                raise BadRequest(413, 'request body too large')
            req.body = rfile.read(n) if n else b''
            if len(req.body) != n:
                return None
    return req


def _keep_alive(req):
    conn = req.headers.get('connection', '').lower()
    if req.version == 'HTTP/1.0':
        return 'keep-alive' in conn
    return 'close' not in conn


def send_response(conn, status, headers, body, head_only=False, close=False):
    out = ['HTTP/1.1 %d %s\r\n' % (status, REASONS.get(status, 'UNKNOWN'))]
    for k, v in headers:
        out.append('%s: %s\r\n' % (k, v))
    out.append('Content-Length: %d\r\n' % len(body))
    if close:
        out.append('Connection: close\r\n')
    out.append('\r\n')
    head = ''.join(out).encode('latin-1')
    if head_only:
        conn.sendall(head)
    elif len(body) <= SMALL_RESPONSE:
        conn.sendall(head + body)
    else:
        conn.sendall(head)
        conn.sendall(body)


class HttpServer(object):
    def __init__(self, path, app):
        self.app = app
        self.path = path
        if os.path.exists(path):
            os.unlink(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o077)
        try:
            self.sock.bind(path)
        finally:
            os.umask(old)
        self.sock.listen(256)

    def serve_forever(self):
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self._serve_connection, args=(conn,), daemon=True).start()

    def _serve_connection(self, conn):
        rfile = conn.makefile('rb', 65536)
        try:
            while True:
                try:
                    req = read_request(rfile, conn)
                except BadRequest as e:
                    body = ('%s\n' % e).encode('utf-8')
                    send_response(conn, e.status, [('Content-Type', 'text/plain; charset=utf-8')], body, close=True)
                    return
                if req is None:
                    return
                keep = _keep_alive(req)
                status, headers, body = self.app(req)
                send_response(conn, status, headers, body, head_only=req.method == 'HEAD', close=not keep)
                if not keep:
                    return
        except (ConnectionError, socket.timeout, OSError):
            return
        except Exception:
            import traceback

            sys.stderr.write('ERROR - model server connection failed\n' + traceback.format_exc())
        finally:
            try:
                rfile.close()
                conn.close()
            except OSError:
                pass
