#!/usr/bin/env python3
"""expected.py - the Authorization header sign_lambda must print, computed
without libawsv4, two ways that must agree:

  1. botocore's SigV4Auth (the signer of the AWS CLI and boto3), with its
     clock pinned to AWSV4_TIME;
  2. the SigV4 steps written out with hmac/hashlib (AWS General Reference,
     "Create a signed AWS API request").

Usage: python3 expected.py   (prints the Authorization value)
The result is pasted into the Makefile (EXPECTED_AUTH); run this script
again to check it, e.g. after changing the request.
"""
import datetime
import hashlib
import hmac
import sys

AKID = "AKIDEXAMPLE"  # the AWS documentation's example credentials
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
WHEN = datetime.datetime(2025, 1, 15, 10, 30, 0, tzinfo=datetime.timezone.utc)  # AWSV4_TIME
REGION, SERVICE = "us-east-1", "lambda"
HOST = "lambda.us-east-1.amazonaws.com"
PATH = "/2015-03-31/functions/my-function/invocations"
BODY = b'{"name":"awsv4"}'


def by_hand():
    amz_date = WHEN.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    payload = hashlib.sha256(BODY).hexdigest()
    canonical = "\n".join([
        "POST", PATH, "",
        "content-type:application/json", "host:" + HOST, "x-amz-date:" + amz_date, "",
        "content-type;host;x-amz-date", payload])
    scope = f"{day}/{REGION}/{SERVICE}/aws4_request"
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + SECRET).encode()
    for part in (day, REGION, SERVICE, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return (f"AWS4-HMAC-SHA256 Credential={AKID}/{scope}, "
            f"SignedHeaders=content-type;host;x-amz-date, Signature={sig}")


def by_botocore():
    from unittest import mock
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    req = AWSRequest(method="POST", url="https://" + HOST + PATH, data=BODY,
                     headers={"Content-Type": "application/json"})
    with mock.patch("botocore.auth.get_current_datetime", return_value=WHEN.replace(tzinfo=None)):
        SigV4Auth(Credentials(AKID, SECRET), SERVICE, REGION).add_auth(req)
    return req.headers["Authorization"]


if __name__ == "__main__":
    a = by_hand()
    try:
        b = by_botocore()
    except ImportError:
        b = None
        print("botocore not installed: hmac/hashlib result only", file=sys.stderr)
    if b is not None and a != b:
        sys.exit(f"botocore and the hand computation disagree:\n {b}\n {a}")
    print(a)
