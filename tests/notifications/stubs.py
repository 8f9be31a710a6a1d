"""Stand-ins for the outside servers the notifications talk to, each on 127.0.0.1 in a thread
of the test: a mail server that speaks just enough SMTP for Django's backend, and a work-chat
robot that records each post and answers as it is told. Also a port where nothing listens."""

import email
import json
import socket
import socketserver
import threading
import urllib.parse
from email.policy import default as policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def closed_port() -> int:
    """A local port where nothing listens now (connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        server = self.server
        server.attempts += 1
        if server.down:
            self.reply("421 Service not available")
            return
        self.reply("220 stub ESMTP")
        recipients = []
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 stub")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.decode().split(":", 1)[1].strip().strip("<>")
                if address in server.refused:
                    self.reply("550 No such user")
                elif address in server.busy:
                    self.reply("450 Mailbox busy, try later")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                server.sending.set()
                server.hold.wait(timeout=2)
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(part[1:] if part.startswith(b"..") else part)
                server.inbox.append(email.message_from_bytes(b"".join(data), policy=policy))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")


class SmtpStub(socketserver.ThreadingTCPServer):
    """A mail server on `port` (a free one unless given): `inbox` holds each message received
    (`email.message.EmailMessage`), `refused` the addresses it answers 550 to (for good),
    `busy` those it answers 450 to (for now); while `down` it answers each connection 421
    (service not available). `attempts` counts connections. A mail's DATA sets `sending` and
    waits (2 seconds at most) until `hold` is set, which it is unless a test clears it."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _SmtpSession)
        self.inbox = []
        self.refused = set()
        self.busy = set()
        self.down = False
        self.sending = threading.Event()
        self.hold = threading.Event()
        self.hold.set()
        self.attempts = 0
        self.port = self.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _RobotRequest(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        path, _, query = self.path.partition("?")
        self.server.posts.append(
            {
                "path": path,
                "query": urllib.parse.parse_qs(query),
                "raw_query": query,
                "content_type": self.headers["Content-Type"],
                "json": json.loads(body),
            }
        )
        waiting = self.server.answers.get(path)
        answer = waiting.pop(0) if waiting else {"errcode": 0}
        payload = json.dumps({"errmsg": "ok", **answer}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class RobotStub(ThreadingHTTPServer):
    """Group robots' webhooks: `posts` records each post (path, query, JSON); `answers[path]`
    are the replies to give there, in order (then `{"errcode": 0}`); `url(path)` is where to
    post."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _RobotRequest)
        self.posts = []
        self.answers = {}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
