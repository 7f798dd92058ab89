#!/usr/bin/env python3
"""Cross-check the vectors under testdata/v4/ with botocore.

For every case this recomputes, with botocore's own SigV4 code, the
canonical request, the string to sign and the signature at the case's
fixed time, and compares them with the expected files written by
testdata/gen/main.go (which come from aws-sdk-go-v2):

* header mode: SigV4Auth (S3SigV4Auth when double_uri_encode is false),
  through its _modify_request_before_signing (X-Amz-Date, the session
  token, S3's X-Amz-Content-SHA256), canonical_request, string_to_sign
  and signature. The clock is never read: request.context['timestamp']
  is set from context.json.
* query mode: SigV4QueryAuth (S3SigV4QueryAuth) through its
  _modify_request_before_signing. That method keeps one value per query
  key (parse_qs + dict), so for a query with repeated keys the request's
  parameters and botocore's X-Amz-* parameters are given to botocore's
  canonicalizer as request.params instead (marked "params path").

The query of the request is handed to botocore decoded, as
urllib.parse.parse_qsl(keep_blank_values=True) parses it ('+' is a
space), in request.params: botocore re-encodes params itself, while a
query left in the URL is taken as already canonical.

Prints one line per (case, mode): OK or MISMATCH with the first
difference. With --record, the second line of each case's SOURCE is
rewritten with the result. Exit status 1 on any mismatch.

Run from the module root with Debian's python3-botocore:
    /usr/bin/python3 testdata/gen/botocore_check.py [--record] [dir]
"""

import hashlib
import json
import os
import sys
import types
import urllib.parse

import botocore
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def parse_request(raw):
    """request.txt as FORMAT.md §6 describes it (bytes in, str out)."""
    raw = raw.replace(b"\r", b"")
    line, _, rest = raw.partition(b"\n")
    sp = line.index(b" ")
    assert line.endswith(b" HTTP/1.1"), line
    method = line[:sp].decode()
    target = line[sp + 1 : -len(b" HTTP/1.1")].decode("utf-8")
    headers, body = [], b""
    while rest:
        line, _, rest = rest.partition(b"\n")
        if line == b"":
            body = rest
            break
        if line[:1] in (b" ", b"\t"):
            n, v = headers[-1]
            headers[-1] = (n, v + " " + line.decode("utf-8").lstrip(" \t"))
            continue
        n, _, v = line.partition(b":")
        headers.append((n.decode(), v.decode("utf-8")))
    return method, target, headers, body


def read(path):
    with open(path, "rb") as f:
        return f.read()


def first_diff(got, want):
    g, w = got.split("\n"), want.split("\n")
    for i in range(max(len(g), len(w))):
        gl = g[i] if i < len(g) else "<end>"
        wl = w[i] if i < len(w) else "<end>"
        if gl != wl:
            return f"line {i + 1}: botocore {gl!r} vs expected {wl!r}"
    return "trailing bytes differ"


def build(case_dir, query_in_url):
    ctx = json.loads(read(os.path.join(case_dir, "context.json")))
    method, target, headers, body = parse_request(read(os.path.join(case_dir, "request.txt")))
    path, _, query = target.partition("?")
    host = next(v for n, v in headers if n.lower() == "host")
    url = "https://" + host + path
    if query_in_url and query:
        url += "?" + query
    req = AWSRequest(method=method, url=url, data=body)
    if not query_in_url:
        req.params = urllib.parse.parse_qsl(query, keep_blank_values=True)
    for n, v in headers:
        req.headers[n] = v  # HTTPHeaders appends: repeated headers stay repeated
    c = ctx["credentials"]
    token = None if ctx.get("omit_session_token") else c.get("token")
    creds = Credentials(c["access_key_id"], c["secret_access_key"], token)
    ts = ctx["timestamp"].replace("-", "").replace(":", "")  # 2026-11-26T12:00:00Z -> 20261126T120000Z
    req.context["timestamp"] = ts
    return ctx, req, creds, body, query


def check_header(case_dir):
    ctx, req, creds, body, _ = build(case_dir, query_in_url=False)
    s3 = ctx.get("double_uri_encode") is False
    sbv = ctx.get("signed_body_value")
    if s3:
        auth = S3SigV4Auth(creds, ctx["service"], ctx["region"])
        if sbv == "UNSIGNED-PAYLOAD":
            # What botocore's S3 client does with payload signing disabled.
            req.context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})
        elif sbv:
            raise SystemExit(f"{case_dir}: signed_body_value {sbv!r} not handled")
    else:
        auth = SigV4Auth(creds, ctx["service"], ctx["region"])
        if ctx.get("sign_body"):
            # SigV4Auth adds no X-Amz-Content-SHA256 of its own (only S3's does).
            req.headers["X-Amz-Content-SHA256"] = sbv or hashlib.sha256(body).hexdigest()
    auth._modify_request_before_signing(req)
    return finish(case_dir, "header", auth, req, "")


def check_query(case_dir):
    ctx, req, creds, body, query = build(case_dir, query_in_url=True)
    s3 = ctx.get("double_uri_encode") is False
    cls = S3SigV4QueryAuth if s3 else SigV4QueryAuth
    if not s3 and ctx.get("signed_body_value"):
        raise SystemExit(f"{case_dir}: signed_body_value in a non-S3 query case not handled")
    if s3 and ctx.get("signed_body_value") not in (None, "UNSIGNED-PAYLOAD"):
        raise SystemExit(f"{case_dir}: S3 presign signs UNSIGNED-PAYLOAD only")
    auth = cls(creds, ctx["service"], ctx["region"], expires=ctx["expiration_in_seconds"])
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    note = ""
    if len({k for k, _ in pairs}) == len(pairs):
        auth._modify_request_before_signing(req)
    else:
        # Repeated keys: give the canonicalizer every parameter.
        note = " (params path)"
        req.url = req.url.split("?", 1)[0]
        params = list(pairs)
        params += [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", auth.scope(req)),
            ("X-Amz-Date", req.context["timestamp"]),
            ("X-Amz-Expires", auth._expires),
            ("X-Amz-SignedHeaders", auth.signed_headers(auth.headers_to_sign(req))),
        ]
        if creds.token is not None:
            params.append(("X-Amz-Security-Token", creds.token))
        req.params = params
    return finish(case_dir, "query", auth, req, note)


def finish(case_dir, mode, auth, req, note):
    cr = auth.canonical_request(req)
    sts = auth.string_to_sign(req, cr)
    sig = auth.signature(sts, req)
    want_cr = read(os.path.join(case_dir, f"{mode}-canonical-request.txt")).decode("utf-8")
    want_sts = read(os.path.join(case_dir, f"{mode}-string-to-sign.txt")).decode("utf-8")
    want_sig = read(os.path.join(case_dir, f"{mode}-signature.txt")).decode().strip()
    if cr != want_cr:
        return False, "canonical request " + first_diff(cr, want_cr)
    if sts != want_sts:
        return False, "string to sign " + first_diff(sts, want_sts)
    if sig != want_sig:
        return False, f"signature {sig} vs expected {want_sig}"
    return True, "OK" + note


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    record = "--record" in sys.argv[1:]
    root = args[0] if args else "testdata/v4"
    where = "Debian python3-botocore" if botocore.__file__.startswith("/usr/lib/python3/") else "pip"
    label = f"botocore {botocore.__version__} ({where})"
    bad = 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isdir(d):
            continue
        results = []
        for mode, fn in (("header", check_header), ("query", check_query)):
            if not os.path.exists(os.path.join(d, f"{mode}-canonical-request.txt")):
                continue
            ok, msg = fn(d)
            bad += not ok
            print(f"{'OK' if ok else 'MISMATCH'} {name} [{mode}]" + ("" if ok else ": " + msg))
            results.append(f"{mode} {msg if ok else 'MISMATCH: ' + msg}")
        if record:
            src = os.path.join(d, "SOURCE")
            first = read(src).decode().split("\n", 1)[0]
            line = f"cross-checked with {label} SigV4Auth/SigV4QueryAuth (S3 variants for S3): " + "; ".join(results)
            with open(src, "w") as f:
                f.write(first + "\n" + line + "\n")
    print(f"{label}: {bad} mismatch(es)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
