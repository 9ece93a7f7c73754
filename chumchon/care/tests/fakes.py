"""Local fakes of the outside world, real servers on 127.0.0.1 in a thread:

- FakeHttp: LINE's Messaging API push endpoint (checked exactly: path, bearer token, content type,
  JSON body shape, X-Line-Retry-Key) or a webhook receiver; told what to answer next
  (200, 400, 429 with Retry-After, 500).
- FakeSmtp: just enough SMTP (220, EHLO/HELO, MAIL FROM, RCPT TO, DATA, QUIT) to receive mail,
  or to refuse a recipient with 550.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LINE_TOKEN = "test-line-channel-token"
LINE_PATH = "/v2/bot/message/push"


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str = "{}"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


class FakeHttp:
    """A real HTTP server. ``answers`` is a queue (the last one repeats); ``problems`` lists every
    way a request differed from what LINE requires (empty for a well-formed request)."""

    def __init__(self, *, line: bool) -> None:
        self.line = line
        self.answers: list[Answer] = [Answer()]
        self.received: list[Received] = []
        self.problems: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = None
                    fake.problems.append("body is not JSON")
                headers = {key.lower(): value for key, value in self.headers.items()}
                fake.received.append(Received(self.path, headers, body))
                if fake.line:
                    fake.check_line(self.path, headers, body)
                answer = fake.answers[0] if len(fake.answers) == 1 else fake.answers.pop(0)
                payload = answer.body.encode()
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:  # what a followed redirect would turn the POST into
                headers = {key.lower(): value for key, value in self.headers.items()}
                fake.received.append(Received(self.path, headers, None))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def answer(self, *answers: Answer) -> None:
        self.answers = list(answers)

    def check_line(self, path: str, headers: dict[str, str], body: Any) -> None:
        if path != LINE_PATH:
            self.problems.append(f"path {path}")
        if headers.get("authorization") != f"Bearer {LINE_TOKEN}":
            self.problems.append(f"authorization {headers.get('authorization')!r}")
        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            self.problems.append(f"content-type {headers.get('content-type')!r}")
        try:
            uuid.UUID(headers.get("x-line-retry-key", ""))
        except ValueError:
            self.problems.append(f"retry key {headers.get('x-line-retry-key')!r}")
        if not (isinstance(body, dict) and set(body) == {"to", "messages"} and isinstance(body["to"], str)
                and isinstance(body["messages"], list) and 1 <= len(body["messages"]) <= 5
                and all(isinstance(m, dict) and m.get("type") == "text" and isinstance(m.get("text"), str)
                        and 0 < len(m["text"]) <= 5000 and set(m) == {"type", "text"}
                        for m in body["messages"])):
            self.problems.append(f"body {body!r}")

    def start(self) -> FakeHttp:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def fake_http(*, line: bool) -> Iterator[FakeHttp]:
    server = FakeHttp(line=line).start()
    try:
        yield server
    finally:
        server.stop()


def closed_port_url() -> str:
    """An address where nothing listens: connecting is refused (a channel that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FakeSmtp:
    """A minimal SMTP server; ``refuse`` lists recipients answered with 550."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.refuse: set[str] = set()
        self.greylist: set[str] = set()  # recipients answered 450 (try later)
        self.refuse_data = False  # answer 554 to the message itself
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode())

            def handle(self) -> None:
                self.reply("220 fake.smtp ready")
                sender, recipients = "", list[str]()
                while True:
                    line = self.rfile.readline().decode("utf-8", "replace").rstrip("\r\n")
                    if not line:
                        return
                    verb = line.split(" ", 1)[0].upper()
                    if verb in {"EHLO", "HELO"}:
                        self.reply("250 fake.smtp")
                    elif verb == "MAIL":
                        sender, recipients = line.split(":", 1)[1].strip().strip("<>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = line.split(":", 1)[1].strip().strip("<>")
                        if address in fake.refuse:
                            self.reply(f"550 5.1.1 <{address}>: no such mailbox")
                        elif address in fake.greylist:
                            self.reply(f"450 4.2.0 <{address}>: greylisted, try again later")
                        else:
                            recipients.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        data = []
                        while (chunk := self.rfile.readline().decode("utf-8", "replace")) not in {".\r\n", ""}:
                            data.append(chunk)
                        if fake.refuse_data:
                            self.reply(f"554 5.7.1 message from <{sender}> to {recipients} refused as spam")
                            continue
                        fake.messages.append({"from": sender, "to": recipients, "data": "".join(data)})
                        self.reply("250 queued")
                    elif verb == "RSET":
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])


@contextmanager
def fake_smtp() -> Iterator[FakeSmtp]:
    server = FakeSmtp()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
