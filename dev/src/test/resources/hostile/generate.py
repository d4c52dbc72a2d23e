#!/usr/bin/env python3
"""Writes cases.jsonl: hostile requests for POST /v1/applications (HostileInputIT sends each over a raw socket).
Each case: name, contentType (null = no header), headers (extra lines), framing (length | chunked | claim:N |
chunk-size:HEX, a chunked body whose first chunk claims that size),
body (base64), expect {status, type} (the answer the contract calls for, or {0, "closed"}: the connection closed,
at most a 400 malformed-request before, where the body's framing is lost; HostileInputIT asserts both, so a case
cannot pass on some other 4xx, say a 401 for all when authentication breaks), and optionally pad {char, count}: the
body's @@PAD@@ stands for count copies of char (keeps the file small). {{KEY}} in a header stands for a valid
demo-web API key, {{N}} for the case's number. Run again after changing it:
python3 src/test/resources/hostile/generate.py"""
import base64, json, os

VALID = ('{"serviceCode":"SHTAX-0001","applicant":{"type":"INDIVIDUAL","id":"310101199001011234"},"channel":"WEB",'
         '"payload":{"taxYear":2025,"annualIncome":180000,"withheldTax":9000}}')
cases = []

MALFORMED = (400, "malformed-request")
INVALID = (422, "invalid-application")

def case(name, body, expect, content_type="application/json", headers=None, framing="length", key=True, idem=True, pad=None):
    lines = []
    if key: lines.append("Authorization: Bearer {{KEY}}")
    if idem: lines.append("Idempotency-Key: hostile-{{N}}")
    lines += headers or []
    if isinstance(body, str): body = body.encode("utf-8")
    entry = {"name": name, "contentType": content_type, "headers": lines, "framing": framing,
             "body": base64.b64encode(body).decode(), "expect": {"status": expect[0], "type": expect[1]}}
    if pad: entry["pad"] = {"char": pad[0], "count": pad[1]}
    cases.append(entry)

# 1. not JSON, or not one JSON object
NOT_AN_OBJECT = {'1', '"string"', 'null', 'true', '[]', '[' + VALID + ']'}
for i, text in enumerate(['', ' ', '{', '}', '{"a"}', '{"a":}', '[', 'nul', 'tru', '"unterminated', '{"a":1,}', '{,}',
        "{'serviceCode':'SHTAX-0001'}", '{serviceCode:1}', 'NaN', 'Infinity', '-Infinity', '01', '1.', '.5', '--1',
        '{"a":1}}', VALID + ' x', VALID + VALID, '/* c */' + VALID, '// c\n' + VALID, '{"a":"line\nbreak"}',
        '{"a":"tab\there"}', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"\\uZZZZ"}', '\ufeff' + VALID, '1', '"string"',
        'null', 'true', '[]', '[' + VALID + ']', '{"a":1,"a":2}', VALID.replace('"channel":"WEB"', '"channel":"WEB","channel":"WEB"'),
        VALID.replace('"id":"310101199001011234"', '"id":"310101199001011234","id":"x"'), '{"":}', '{"a" 1}', '{"a":[1,]}',
        '{"a":[,1]}', '{"a":tRue}', '{"a":undefined}', '{"a":0x10}', '{"a":+1}', '{"a":1e}', '{"a":1e+}', '{"a":"\u0000"}',
        '\x00\x00\x00{', '{"a":"b"' + '\x00', 'plain text', '<xml/>', 'serviceCode=SHTAX-0001', '{"a":1}\x1a']):
    # JSON, but not an application object: the envelope is wrong (422), the JSON is not (400)
    case(f"not-json-{i:02d}", text, INVALID if text in NOT_AN_OBJECT else MALFORMED)

# 2. a valid application cut short at many places
for cut in range(1, len(VALID), max(1, len(VALID) // 45)):
    case(f"truncated-at-{cut:03d}", VALID[:cut], MALFORMED)

# 3. invalid UTF-8 in keys, values and at the end
bad_bytes = [b'\xff', b'\xfe', b'\xc0\xaf', b'\xe0\x80\xaf', b'\xed\xa0\x80', b'\xf8\x88\x80\x80\x80', b'\xc3', b'\xe4\xb8',
             b'\x80', b'\xbf', b'\xf4\x90\x80\x80']
for i, bad in enumerate(bad_bytes):
    v = VALID.encode()
    case(f"utf8-value-{i:02d}", v.replace(b'"WEB"', b'"W' + bad + b'B"'), MALFORMED)
    case(f"utf8-key-{i:02d}", v.replace(b'"channel"', b'"chan' + bad + b'nel"'), MALFORMED)
case("utf8-cut-at-end", VALID.encode()[:-2] + '上'.encode()[:2], MALFORMED)
case("utf16-body", VALID.encode("utf-16"), MALFORMED)
case("utf32-body", VALID.encode("utf-32"), MALFORMED)

# 4. nesting far past 32
for depth in [33, 40, 64, 100, 1000, 5000, 20000]:
    case(f"deep-arrays-{depth}", '{"payload":' + '[' * depth + ']' * depth + '}', MALFORMED)
    case(f"deep-objects-{depth}", '{"payload":' + '{"a":' * depth + '1' + '}' * depth + '}', MALFORMED)
case("deep-unclosed", '[' * 50000, MALFORMED)

# 5. huge numbers and strings
for i, number in enumerate(['1' * 101, '1' * 5000, '9' * 100 + '.5', '1e999999999', '-' + '9' * 300, '0.' + '0' * 200 + '1']):
    # more than 100 digits is refused by the parser (400); 1e999999999 is short, and no integer year (422)
    case(f"huge-number-{i}", VALID.replace('"taxYear":2025', '"taxYear":' + number), INVALID if number == '1e999999999' else MALFORMED)
for size in [100_000, 200_000]:
    case(f"huge-string-{size}", VALID.replace('"WEB"', '"@@PAD@@"'), INVALID, pad=("W", size))      # no such channel
    case(f"huge-key-{size}", VALID.replace('"channel"', '"@@PAD@@"'), MALFORMED, pad=("c", size))   # name past the parser's limit
case("many-members", '{' + ','.join(f'"m{i}":{i}' for i in range(5000)) + '}', INVALID)
case("huge-applicant-id", VALID.replace('310101199001011234', '3' * 10000), INVALID)

# 6. wrong content types
for i, ct in enumerate([None, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
                        'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/jsonp',
                        'application/xml', 'text/json', 'application/*', '*/*', 'application', 'json',
                        'application/json, text/plain', 'application/problem+json']):
    case(f"content-type-{i:02d}", VALID, (415, "unsupported-media-type"), content_type=ct)

# 7. bodies over the limit, announced or not
TOO_LARGE = (413, "payload-too-large")
for size in [256 * 1024 + 1, 300 * 1024, 2 * 1024 * 1024]:
    case(f"oversized-length-{size}", VALID[:-1] + ',"pad":"@@PAD@@"}', TOO_LARGE, pad=("p", size))
    case(f"oversized-chunked-{size}", VALID[:-1] + ',"pad":"@@PAD@@"}', TOO_LARGE, framing="chunked", pad=("p", size))
case("oversized-claim-only", VALID, TOO_LARGE, framing="claim:50000000")
case("oversized-claim-negative", VALID, MALFORMED, framing="claim:-1")   # not a length: the decoder refuses the request
case("oversized-claim-garbage", VALID, MALFORMED, framing="claim:abc")
# found by load-tests/hostile: a chunk size past a long was a 500 and an ERROR line with a stack trace (Netty's decoder
# throws NumberFormatException). Vert.x closes such a connection at once: at most a 400, and no error of Intake's
CLOSED = (0, "closed")
case("chunk-size-overflow", VALID, CLOSED, framing="chunk-size:ffffffffffffffff")
case("chunk-size-not-hex", VALID, CLOSED, framing="chunk-size:zz")

# 8. header floods
HEADERS = (431, "headers-too-large")
case("header-one-huge", VALID, HEADERS, headers=["X-Flood: " + 'f' * 9000])
case("header-many-small", VALID, HEADERS, headers=[f"X-Flood-{i}: {'v' * 40}" for i in range(250)])
case("header-huge-idempotency-key", VALID, HEADERS, idem=False, headers=["Idempotency-Key: " + 'k' * 10000])
case("header-huge-authorization", VALID, HEADERS, key=False, headers=["Authorization: Bearer " + 'a' * 10000])
case("header-huge-request-id", VALID, HEADERS, headers=["X-Request-Id: " + 'r' * 9000])
case("header-huge-accept-language", VALID, HEADERS, headers=["Accept-Language: " + 'en,' * 3000])
case("header-huge-traceparent", VALID, HEADERS, headers=["traceparent: " + '0' * 9000])
case("header-huge-cookie", VALID, HEADERS, headers=["Cookie: " + 'c=1; ' * 2000])
case("header-no-colon", VALID, MALFORMED, headers=["ThisHeaderHasNoColon"])
case("header-space-before-colon", VALID, MALFORMED, headers=["X-Bad : 1"])

# 9. bad keys
for i, key in enumerate(['', '""', '"', '"abc', 'abc"', '"a"b"', 'k' * 256, '"' + 'k' * 256 + '"', 'tab\there',
                         '"esc\\"aped"', '"back\\\\slash"']):
    case(f"bad-idempotency-key-{i:02d}", VALID, MALFORMED, idem=False, headers=["Idempotency-Key: " + key])
case("bad-idempotency-key-non-ascii", VALID, MALFORMED, idem=False, headers=["Idempotency-Key: 幂等键"])
for i, auth in enumerate([None, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer ik_short', 'Bearer ik_AAAAAAAA_' + 'A' * 43,
                          'Bearer ' + 'x' * 60, 'bearer', 'Token abc', 'Bearer ik_AAAAAAAA_' + 'A' * 42 + '=',
                          'Bearer {{KEY}}x', 'Bearer {{KEY}} {{KEY}}', 'Bearer 密钥']):
    case(f"bad-api-key-{i:02d}", VALID, (401, "unauthenticated"), key=False, headers=[] if auth is None else ["Authorization: " + auth])

# 10. envelope and payload that break the catalog's rules
def mutate(name, fn, expect=INVALID):
    app = json.loads(VALID)
    fn(app)
    case(name, json.dumps(app, ensure_ascii=False), expect)
mutate("envelope-no-service", lambda a: a.pop("serviceCode"))
mutate("envelope-service-number", lambda a: a.update(serviceCode=42))
UNKNOWN_SERVICE = (422, "unknown-service")
mutate("envelope-service-unknown", lambda a: a.update(serviceCode="NOPE-0000"), UNKNOWN_SERVICE)
mutate("envelope-service-closed", lambda a: a.update(serviceCode="SHAMR-0020"), UNKNOWN_SERVICE)
mutate("envelope-service-injection", lambda a: a.update(serviceCode="'; DROP TABLE services; --"), UNKNOWN_SERVICE)
mutate("envelope-no-applicant", lambda a: a.pop("applicant"))
mutate("envelope-applicant-string", lambda a: a.update(applicant="me"))
mutate("envelope-applicant-type-alien", lambda a: a["applicant"].update(type="ALIEN"))
mutate("envelope-applicant-id-number", lambda a: a["applicant"].update(id=310101199001011234))
mutate("envelope-applicant-id-empty", lambda a: a["applicant"].update(id=""))
mutate("envelope-no-channel", lambda a: a.pop("channel"))
mutate("envelope-channel-fax", lambda a: a.update(channel="FAX"))
mutate("envelope-channel-lower", lambda a: a.update(channel="web"))
mutate("envelope-channel-counter-not-allowed", lambda a: a.update(channel="COUNTER"), (403, "forbidden"))   # demo-web: WEB, MOBILE
mutate("envelope-no-payload", lambda a: a.pop("payload"))
mutate("envelope-payload-array", lambda a: a.update(payload=[1, 2]))
mutate("envelope-payload-null", lambda a: a.update(payload=None))
mutate("payload-empty", lambda a: a.update(payload={}))
mutate("payload-year-string", lambda a: a["payload"].update(taxYear="2025"))
mutate("payload-year-float", lambda a: a["payload"].update(taxYear=2025.5))
mutate("payload-year-too-old", lambda a: a["payload"].update(taxYear=1900))
mutate("payload-income-negative", lambda a: a["payload"].update(annualIncome=-1))
mutate("payload-income-huge", lambda a: a["payload"].update(annualIncome=1e300))
mutate("payload-extra-member", lambda a: a["payload"].update(admin=True))
mutate("payload-deductions-not-enum", lambda a: a["payload"].update(specialDeductions=["FREE_MONEY"]))
mutate("payload-deductions-too-many", lambda a: a["payload"].update(specialDeductions=["CHILD_EDUCATION"] * 11))
mutate("payload-account-too-short", lambda a: a["payload"].update(refundBankAccount="1"))
mutate("payload-null-members", lambda a: a["payload"].update(taxYear=None, annualIncome=None))
mutate("payload-proto-pollution", lambda a: a["payload"].update(__proto__={"admin": True}))
mutate("payload-script", lambda a: a["payload"].update(refundBankAccount="<script>alert(document.cookie)</script>"))

with open(os.path.join(os.path.dirname(__file__), "cases.jsonl"), "w") as out:
    for c in cases:
        out.write(json.dumps(c) + "\n")
print(len(cases), "cases")
