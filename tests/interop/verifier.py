"""Loopback verifier server for the interop check and the load benchmark.

Every request is checked with the official library's own signature code:
`alibabacloud_tea_openapi.utils.Utils.get_authorization` is recomputed on the request *as
received* (decoded query, the signed headers that arrived, the SHA-256 of the body that arrived)
and must equal the `Authorization` header the client sent. A request that fails any check is
answered `400 SignatureDoesNotMatch` (or a sibling code), like the service does.

What each request carried (method, path, x-acs-version, content type, the query and body both as
sent and decoded, header parameters, verdict) is kept
in memory; `GET /__interop/log` returns the records and forgets them; `GET /__interop/stats`
gives the server's own CPU time and request count (for load runs). The control paths are not
signed: they are for the driver on the same machine. The server binds 127.0.0.1 only.

Usage: python verifier.py [--port 0] [--no-record]
Prints `LISTENING 127.0.0.1:<port>` on stdout once it accepts connections, and exits when its
standard input closes (so it never outlives the driver that started it).
"""

import argparse
import datetime
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from darabonba.request import DaraRequest

try:  # alibabacloud_tea_openapi >= 0.4 (darabonba-based)
    from alibabacloud_tea_openapi.utils import Utils as _OfficialUtils

    def official_authorization(request, payload, ak, secret):
        return _OfficialUtils.get_authorization(request, "ACS3-HMAC-SHA256", payload, ak, secret)

except ImportError:  # older releases keep it in alibabacloud_openapi_util
    from alibabacloud_openapi_util.client import Client as _OfficialUtils

    def official_authorization(request, payload, ak, secret):
        return _OfficialUtils.get_authorization(request, "ACS3-HMAC-SHA256", payload, ak, secret)


ALGORITHM = "ACS3-HMAC-SHA256"

# The credentials the server knows: access key id -> (secret, security token or None).
# The same values are in cases.json; nothing here is a real credential.
KEYS = {
    "LTAI5tInteropAccessKeyId": ("interop-secret-value", None),
    "STS.NUInteropStsAccessKeyId": ("interop-sts-secret", "interop-sts-token/with+odd=chars"),
}

# Operations sent without credentials (AnonymousHello in the fixture spec: `security: []`).
ANONYMOUS = {"AnonymousHello"}

SEED_SAMPLE = {
    "Data": {
        "TaskId": "fc98d58eb56f699d49bf7ebbd6d7****",
        "TotalCount": 5,
        "FinishCount": 5,
        "CollectTime": 1644286364150,
        "ExecTime": 1644286364150,
        "Status": "SUCCESS",
        "Progress": 100,
        "Result": "SUCCESS",
        "CanCreate": True,
    },
    "HttpStatusCode": 200,
}

# Headers that are request parameters of an operation (`in: header`), echoed in the record.
HEADER_PARAM_PREFIX = "x-acs-fixture-"
# Headers every request carries (the client's own); any other header is a header parameter of
# the operation and recorded as `other_headers` (ROA products name theirs freely: `workspace`).
STANDARD_HEADERS = {
    "host", "user-agent", "accept", "accept-encoding", "connection", "content-type",
    "content-length", "authorization", "x-acs-date", "x-acs-signature-nonce",
    "x-acs-content-sha256", "x-acs-version", "x-acs-action", "x-acs-security-token",
    "x-acs-accesskey-id", "x-acs-credentials-provider",
}


class Rejected(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def parse_authorization(value):
    prefix = ALGORITHM + " "
    if not value.startswith(prefix):
        raise Rejected("IncompleteSignature", f"not {ALGORITHM}: {value!r}")
    parts = {}
    for part in value[len(prefix):].split(","):
        key, sep, val = part.strip().partition("=")
        if not sep:
            raise Rejected("IncompleteSignature", f"bad authorization part {part!r}")
        parts[key] = val
    for key in ("Credential", "SignedHeaders", "Signature"):
        if key not in parts:
            raise Rejected("IncompleteSignature", f"authorization has no {key}")
    return parts


def decode_pairs(text, what):
    """Decodes `a=b&c=d` as the gateway does (form rules: `+` is a space); keys must be unique."""
    pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    out = {}
    for key, value in pairs:
        if key in out:
            raise Rejected("InvalidParameter", f"{what} parameter {key!r} sent twice")
        out[key] = value
    return out


def check(method, path, query, headers, body):
    """Raises Rejected unless the request is signed correctly. `headers` has lower-case names."""
    action = headers.get("x-acs-action", "")
    body_hash = hashlib.sha256(body).hexdigest()
    if headers.get("x-acs-content-sha256") != body_hash:
        raise Rejected(
            "SignatureDoesNotMatch",
            f"x-acs-content-sha256 {headers.get('x-acs-content-sha256')!r} is not the body's hash {body_hash}",
        )
    for required in ("x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "host"):
        if not headers.get(required):
            raise Rejected("MissingParameter", f"header {required} is missing")
    date = headers["x-acs-date"]
    try:
        sent = datetime.datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise Rejected("InvalidTimeStamp.Format", f"x-acs-date {date!r} is not YYYY-MM-DDTHH:MM:SSZ")
    skew = abs((datetime.datetime.now(datetime.timezone.utc) - sent).total_seconds())
    if skew > 900:
        raise Rejected("InvalidTimeStamp.Expired", f"x-acs-date {date} is {skew:.0f}s away from now")
    if "authorization" not in headers:
        if action in ANONYMOUS:
            return None
        raise Rejected("MissingAuthorization", "no authorization header")
    auth = parse_authorization(headers["authorization"])
    ak = auth["Credential"]
    if ak not in KEYS:
        raise Rejected("InvalidAccessKeyId.NotFound", f"unknown access key id {ak!r}")
    secret, token = KEYS[ak]
    if token is not None and headers.get("x-acs-security-token") != token:
        raise Rejected("InvalidSecurityToken.Mismatch", "security token missing or wrong")
    if token is None and "x-acs-security-token" in headers:
        raise Rejected("InvalidSecurityToken.Malformed", "security token sent with a permanent key")
    signed = auth["SignedHeaders"].split(";")
    for name in headers:
        if (name.startswith("x-acs-") or name in ("host", "content-type")) and name not in signed:
            raise Rejected("SignatureDoesNotMatch", f"header {name} was sent but not signed")
    request = DaraRequest()
    request.method = method
    request.pathname = path
    request.query = dict(query)
    request.headers = {}
    for name in signed:
        if name not in headers:
            raise Rejected("SignatureDoesNotMatch", f"signed header {name} was not sent")
        request.headers[name] = headers[name]
    expected = official_authorization(request, body_hash, ak, secret)
    if expected != headers["authorization"]:
        raise Rejected(
            "SignatureDoesNotMatch",
            "the request signature we calculated does not match the signature you provided",
        )
    return ak


class State:
    def __init__(self, record):
        self.record = record
        self.lock = threading.Lock()
        self.records = []
        self.nonces = set()
        self.count = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately: without TCP_NODELAY each answer would wait for
    # the client's delayed ACK (about 40 ms on Linux).
    disable_nagle_algorithm = True
    server_version = "interop-verifier"
    sys_version = ""

    def log_message(self, format, *args):  # quiet: the driver prints the table
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    # ROA operations use the other methods too.
    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def reply(self, status, payload, extra_headers=()):
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json;charset=utf-8")
        self.send_header("content-length", str(len(data)))
        for k, v in extra_headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        state = self.server.state
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, raw_query = self.path.partition("?")
        if path.startswith("/__interop/"):
            return self.control(path, state)
        headers = {}
        for name, value in self.headers.items():
            headers[name.lower()] = value
        with state.lock:
            state.count += 1
            request_id = f"interop-{state.count}"
        record = {
            "method": self.command,
            "path": path,
            "action": headers.get("x-acs-action"),
            "version": headers.get("x-acs-version"),
            "raw_query": raw_query,
            "raw_body": body.decode("utf-8", errors="replace"),
            "query": {},
            "body": {},
            "header_params": {k: v for k, v in headers.items() if k.startswith(HEADER_PARAM_PREFIX)},
            "other_headers": {
                k: v
                for k, v in headers.items()
                if k not in STANDARD_HEADERS and not k.startswith(HEADER_PARAM_PREFIX)
            },
            "security_token": headers.get("x-acs-security-token"),
            "content_type": headers.get("content-type"),
            "signed": False,
            "accepted": False,
            "code": None,
            "message": None,
        }
        try:
            query = decode_pairs(raw_query, "query")
            record["query"] = query
            if body:
                ctype = (headers.get("content-type") or "").split(";")[0].strip()
                if ctype == "application/json":
                    # A ROA JSON body: compared as raw bytes (`raw_body`); it must be JSON.
                    try:
                        json.loads(body.decode("utf-8"))
                    except ValueError as e:
                        raise Rejected("InvalidParameter", f"the JSON body is not JSON: {e}")
                elif ctype != "application/x-www-form-urlencoded":
                    raise Rejected("InvalidParameter", f"unexpected body content type {ctype!r}")
                else:
                    record["body"] = decode_pairs(body.decode("utf-8"), "form")
            ak = check(self.command, path, query, headers, body)
            nonce = headers["x-acs-signature-nonce"]
            with state.lock:
                if nonce in state.nonces:
                    raise Rejected("SignatureNonceUsed", f"nonce {nonce} was used before")
                state.nonces.add(nonce)
            record["signed"] = ak is not None
            record["accepted"] = True
        except Rejected as e:
            record["code"] = e.code
            record["message"] = e.message
        except UnicodeDecodeError as e:
            record["code"] = "InvalidParameter"
            record["message"] = f"not UTF-8: {e}"
        if state.record:
            with state.lock:
                state.records.append(record)
        if not record["accepted"]:
            return self.reply(
                400,
                {
                    "RequestId": request_id,
                    "HostId": "127.0.0.1",
                    "Code": record["code"],
                    "Message": record["message"],
                    "Recommend": "interop verifier",
                },
                [("x-acs-request-id", request_id)],
            )
        if record["action"] == "CreateContainerScanTaskByAppName":
            payload = dict(SEED_SAMPLE, RequestId=request_id)
        else:
            payload = {"RequestId": request_id, "Text": "accepted"}
        self.reply(200, payload, [("x-acs-request-id", request_id)])

    def control(self, path, state):
        if path == "/__interop/log":
            with state.lock:
                records, state.records = state.records, []
            return self.reply(200, {"records": records})
        if path == "/__interop/health":
            return self.reply(200, {"ok": True})
        if path == "/__interop/stats":
            # The verifier's own CPU time, so a load run can tell how busy the server was.
            with state.lock:
                count = state.count
            return self.reply(200, {"cpu_s": time.process_time(), "requests": count})
        return self.reply(404, {"Code": "NotFound", "Message": path})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # listen() runs in the constructor: a class attribute is the only way to a deeper backlog.
    # The default (5) drops the SYNs of a burst of connections, which then wait for the
    # retransmission (1 s, 3 s, ...).
    request_queue_size = 256


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-record", action="store_true", help="keep no records (load runs)")
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(record=not args.no_record)

    def watch_stdin():
        try:
            sys.stdin.read()
        finally:
            os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    host, port = server.server_address[:2]
    print(f"LISTENING {host}:{port}", flush=True)
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
