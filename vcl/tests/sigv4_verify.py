#!/usr/bin/env python3
"""A SigV4-verifying HTTP backend for the VMOD's varnishtest files.

Independent of libawsv4: it rebuilds the canonical request from what it
*received* (the AWS rules, written from the AWS documentation with the
Python standard library) and recomputes the signature with the key given
on the command line. It answers 200 when the signature matches and 403
otherwise; both carry:
  x-verify      "ok" or the reason of the failure
  x-wire-path   the path and query as received
A request may carry x-expect (the body's SHA-256 as the client computed it)
and x-expect-len (its length); they must match too.
and the body holds the canonical request (for the test log).

Usage: sigv4_verify.py SOCKET_PATH ACCESS_KEY_ID SECRET [MAX_SKEW_SECONDS]
Listens on a Unix socket (mode 0666, for the jailed varnishd child).
Test keys only: the secret is on the command line.
"""
import calendar
import hashlib
import hmac
import os
import re
import socketserver
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

SOCK, AKID, SECRET = sys.argv[1], sys.argv[2], sys.argv[3]
MAX_SKEW = int(sys.argv[4]) if len(sys.argv) > 4 else 0  # 0: no time check

AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
    r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$")
EMPTY = hashlib.sha256(b"").hexdigest()


def enc(s, safe=""):
    # URI-encode every byte but A-Z a-z 0-9 - _ . ~ (and safe), %XX upper case
    return urllib.parse.quote(s, safe=safe)


def sha256hex(b):
    return hashlib.sha256(b).hexdigest()


def signing_key(day, region, service):
    k = ("AWS4" + SECRET).encode()
    for m in (day, region, service, "aws4_request"):
        k = hmac.new(k, m.encode(), hashlib.sha256).digest()
    return k


def normalize(path):
    out = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    n = "/" + "/".join(out)
    if path.endswith("/") and n != "/":
        n += "/"
    return n


def canonical_query(pairs):
    enc_pairs = sorted((enc(urllib.parse.unquote(k)), enc(urllib.parse.unquote(v)))
                       for k, v in pairs)
    return "&".join(k + "=" + v for k, v in enc_pairs)


def split_query(q):
    pairs = []
    for p in q.split("&") if q else []:
        k, _, v = p.partition("=")
        pairs.append((k, v))
    return pairs


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.read(2)
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def header(self, name):
        vals = self.headers.get_all(name) or []
        return ",".join(" ".join(v.split()) for v in vals)

    def verify(self, body):
        # tests may state what they sent: the hash and the length of the body
        expect = self.headers.get("x-expect")
        if expect is not None and self.headers.get("x-amz-content-sha256") != expect:
            return "x-amz-content-sha256 is not x-expect", ""
        expect_len = self.headers.get("x-expect-len")
        if expect_len is not None and str(len(body)) != expect_len:
            return "body length is not x-expect-len", ""
        path, _, query = self.path.partition("?")
        pairs = split_query(query)
        presigned = any(k == "X-Amz-Signature" for k, _ in pairs)
        if presigned:
            q = dict(pairs)
            cred = urllib.parse.unquote(q.get("X-Amz-Credential", "")).split("/")
            if len(cred) != 5 or q.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
                return "bad presigned query", ""
            akid, day, region, service = cred[:4]
            signed = urllib.parse.unquote(q.get("X-Amz-SignedHeaders", ""))
            sig = q["X-Amz-Signature"]
            amzdate = q.get("X-Amz-Date", "")
            pairs = [(k, v) for k, v in pairs if k != "X-Amz-Signature"]
            payload = "UNSIGNED-PAYLOAD" if service == "s3" else EMPTY
        else:
            m = AUTH_RE.match(self.headers.get("Authorization", ""))
            if not m:
                return "no or malformed Authorization", ""
            akid, day, region, service, signed, sig = m.groups()
            amzdate = self.headers.get("X-Amz-Date", "")
            claimed = self.headers.get("X-Amz-Content-Sha256")
            if service == "s3":
                if claimed is None:
                    return "s3 without x-amz-content-sha256", ""
                if claimed != "UNSIGNED-PAYLOAD" and claimed != sha256hex(body):
                    return "x-amz-content-sha256 is not the body's hash", ""
                payload = claimed
            else:
                payload = sha256hex(body)
                if claimed is not None and claimed != payload:
                    return "x-amz-content-sha256 is not the body's hash", ""
        if akid != AKID:
            return "unknown access key id " + akid, ""
        if not amzdate.startswith(day):
            return "date and scope disagree", ""
        if MAX_SKEW:
            t = calendar.timegm(time.strptime(amzdate, "%Y%m%dT%H%M%SZ"))
            if abs(time.time() - t) > MAX_SKEW:
                return "request time too skewed", ""
        names = signed.split(";")
        if "host" not in names or names != sorted(names):
            return "bad SignedHeaders", ""
        if service == "s3":
            curi = enc(urllib.parse.unquote(path), "/")
        else:
            curi = enc(normalize(path), "/")
        creq = "\n".join([
            self.command, curi, canonical_query(pairs),
            "".join(n + ":" + self.header(n) + "\n" for n in names),
            signed, payload])
        scope = "/".join([day, region, service, "aws4_request"])
        sts = "\n".join(["AWS4-HMAC-SHA256", amzdate, scope,
                         sha256hex(creq.encode())])
        want = hmac.new(signing_key(day, region, service), sts.encode(),
                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, sig):
            return "signature mismatch", creq
        return "ok", creq

    def handle_any(self):
        body = self.read_body()
        try:
            verdict, creq = self.verify(body)
        except Exception as e:  # a test helper: report, never hang
            verdict, creq = "verifier error: %r" % (e,), ""
        out = (creq + "\n").encode()
        self.send_response(200 if verdict == "ok" else 403)
        self.send_header("x-verify", verdict)
        self.send_header("x-wire-path", self.path)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any


if __name__ == "__main__":
    if os.path.exists(SOCK):
        os.unlink(SOCK)
    srv = socketserver.ThreadingUnixStreamServer(SOCK, Handler)
    srv.daemon_threads = True
    os.chmod(SOCK, 0o666)
    srv.serve_forever()
