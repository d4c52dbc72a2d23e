#!/usr/bin/env python3
"""Writes cases.jsonl: hostile requests for POST /v1/applications (HostileInputIT sends each over a raw socket).
Each case: name, contentType (null = no header), headers (extra lines), framing (length | chunked | claim:N),
body (base64), and optionally pad {char, count}: the body's @@PAD@@ stands for count copies of char (keeps the
file small). {{KEY}} in a header stands for a valid demo-web API key, {{N}} for the case's number. Run again after changing it:
python3 src/test/resources/hostile/generate.py"""
import base64, json, os

VALID = ('{"serviceCode":"SHTAX-0001","applicant":{"type":"INDIVIDUAL","id":"310101199001011234"},"channel":"WEB",'
         '"payload":{"taxYear":2025,"annualIncome":180000,"withheldTax":9000}}')
cases = []

def case(name, body, content_type="application/json", headers=None, framing="length", key=True, idem=True, pad=None):
    lines = []
    if key: lines.append("Authorization: Bearer {{KEY}}")
    if idem: lines.append("Idempotency-Key: hostile-{{N}}")
    lines += headers or []
    if isinstance(body, str): body = body.encode("utf-8")
    entry = {"name": name, "contentType": content_type, "headers": lines, "framing": framing,
             "body": base64.b64encode(body).decode()}
    if pad: entry["pad"] = {"char": pad[0], "count": pad[1]}
    cases.append(entry)

# 1. not JSON, or not one JSON object
for i, text in enumerate(['', ' ', '{', '}', '{"a"}', '{"a":}', '[', 'nul', 'tru', '"unterminated', '{"a":1,}', '{,}',
        "{'serviceCode':'SHTAX-0001'}", '{serviceCode:1}', 'NaN', 'Infinity', '-Infinity', '01', '1.', '.5', '--1',
        '{"a":1}}', VALID + ' x', VALID + VALID, '/* c */' + VALID, '// c\n' + VALID, '{"a":"line\nbreak"}',
        '{"a":"tab\there"}', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"\\uZZZZ"}', '\ufeff' + VALID, '1', '"string"',
        'null', 'true', '[]', '[' + VALID + ']', '{"a":1,"a":2}', VALID.replace('"channel":"WEB"', '"channel":"WEB","channel":"WEB"'),
        VALID.replace('"id":"310101199001011234"', '"id":"310101199001011234","id":"x"'), '{"":}', '{"a" 1}', '{"a":[1,]}',
        '{"a":[,1]}', '{"a":tRue}', '{"a":undefined}', '{"a":0x10}', '{"a":+1}', '{"a":1e}', '{"a":1e+}', '{"a":"\u0000"}',
        '\x00\x00\x00{', '{"a":"b"' + '\x00', 'plain text', '<xml/>', 'serviceCode=SHTAX-0001', '{"a":1}\x1a']):
    case(f"not-json-{i:02d}", text)

# 2. a valid application cut short at many places
for cut in range(1, len(VALID), max(1, len(VALID) // 45)):
    case(f"truncated-at-{cut:03d}", VALID[:cut])

# 3. invalid UTF-8 in keys, values and at the end
bad_bytes = [b'\xff', b'\xfe', b'\xc0\xaf', b'\xe0\x80\xaf', b'\xed\xa0\x80', b'\xf8\x88\x80\x80\x80', b'\xc3', b'\xe4\xb8',
             b'\x80', b'\xbf', b'\xf4\x90\x80\x80']
for i, bad in enumerate(bad_bytes):
    v = VALID.encode()
    case(f"utf8-value-{i:02d}", v.replace(b'"WEB"', b'"W' + bad + b'B"'))
    case(f"utf8-key-{i:02d}", v.replace(b'"channel"', b'"chan' + bad + b'nel"'))
case("utf8-cut-at-end", VALID.encode()[:-2] + '上'.encode()[:2])
case("utf16-body", VALID.encode("utf-16"))
case("utf32-body", VALID.encode("utf-32"))

# 4. nesting far past 32
for depth in [33, 40, 64, 100, 1000, 5000, 20000]:
    case(f"deep-arrays-{depth}", '{"payload":' + '[' * depth + ']' * depth + '}')
    case(f"deep-objects-{depth}", '{"payload":' + '{"a":' * depth + '1' + '}' * depth + '}')
case("deep-unclosed", '[' * 50000)

# 5. huge numbers and strings
for i, number in enumerate(['1' * 101, '1' * 5000, '9' * 100 + '.5', '1e999999999', '-' + '9' * 300, '0.' + '0' * 200 + '1']):
    case(f"huge-number-{i}", VALID.replace('"taxYear":2025', '"taxYear":' + number))
for size in [100_000, 200_000]:
    case(f"huge-string-{size}", VALID.replace('"WEB"', '"@@PAD@@"'), pad=("W", size))
    case(f"huge-key-{size}", VALID.replace('"channel"', '"@@PAD@@"'), pad=("c", size))
case("many-members", '{' + ','.join(f'"m{i}":{i}' for i in range(5000)) + '}')
case("huge-applicant-id", VALID.replace('310101199001011234', '3' * 10000))

# 6. wrong content types
for i, ct in enumerate([None, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
                        'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/jsonp',
                        'application/xml', 'text/json', 'application/*', '*/*', 'application', 'json',
                        'application/json, text/plain', 'application/problem+json']):
    case(f"content-type-{i:02d}", VALID, content_type=ct)

# 7. bodies over the limit, announced or not
for size in [256 * 1024 + 1, 300 * 1024, 2 * 1024 * 1024]:
    case(f"oversized-length-{size}", VALID[:-1] + ',"pad":"@@PAD@@"}', pad=("p", size))
    case(f"oversized-chunked-{size}", VALID[:-1] + ',"pad":"@@PAD@@"}', framing="chunked", pad=("p", size))
case("oversized-claim-only", VALID, framing="claim:50000000")
case("oversized-claim-negative", VALID, framing="claim:-1")
case("oversized-claim-garbage", VALID, framing="claim:abc")

# 8. header floods
case("header-one-huge", VALID, headers=["X-Flood: " + 'f' * 9000])
case("header-many-small", VALID, headers=[f"X-Flood-{i}: {'v' * 40}" for i in range(250)])
case("header-huge-idempotency-key", VALID, idem=False, headers=["Idempotency-Key: " + 'k' * 10000])
case("header-huge-authorization", VALID, key=False, headers=["Authorization: Bearer " + 'a' * 10000])
case("header-huge-request-id", VALID, headers=["X-Request-Id: " + 'r' * 9000])
case("header-huge-accept-language", VALID, headers=["Accept-Language: " + 'en,' * 3000])
case("header-huge-traceparent", VALID, headers=["traceparent: " + '0' * 9000])
case("header-huge-cookie", VALID, headers=["Cookie: " + 'c=1; ' * 2000])
case("header-no-colon", VALID, headers=["ThisHeaderHasNoColon"])
case("header-space-before-colon", VALID, headers=["X-Bad : 1"])

# 9. bad keys
for i, key in enumerate(['', '""', '"', '"abc', 'abc"', '"a"b"', 'k' * 256, '"' + 'k' * 256 + '"', 'tab\there',
                         '"esc\\"aped"', '"back\\\\slash"']):
    case(f"bad-idempotency-key-{i:02d}", VALID, idem=False, headers=["Idempotency-Key: " + key])
case("bad-idempotency-key-non-ascii", VALID, idem=False, headers=["Idempotency-Key: 幂等键"])
for i, auth in enumerate([None, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer ik_short', 'Bearer ik_AAAAAAAA_' + 'A' * 43,
                          'Bearer ' + 'x' * 60, 'bearer', 'Token abc', 'Bearer ik_AAAAAAAA_' + 'A' * 42 + '=',
                          'Bearer {{KEY}}x', 'Bearer {{KEY}} {{KEY}}', 'Bearer 密钥']):
    case(f"bad-api-key-{i:02d}", VALID, key=False, headers=[] if auth is None else ["Authorization: " + auth])

# 10. envelope and payload that break the catalog's rules
def mutate(name, fn):
    app = json.loads(VALID)
    fn(app)
    case(name, json.dumps(app, ensure_ascii=False))
mutate("envelope-no-service", lambda a: a.pop("serviceCode"))
mutate("envelope-service-number", lambda a: a.update(serviceCode=42))
mutate("envelope-service-unknown", lambda a: a.update(serviceCode="NOPE-0000"))
mutate("envelope-service-closed", lambda a: a.update(serviceCode="SHAMR-0020"))
mutate("envelope-service-injection", lambda a: a.update(serviceCode="'; DROP TABLE services; --"))
mutate("envelope-no-applicant", lambda a: a.pop("applicant"))
mutate("envelope-applicant-string", lambda a: a.update(applicant="me"))
mutate("envelope-applicant-type-alien", lambda a: a["applicant"].update(type="ALIEN"))
mutate("envelope-applicant-id-number", lambda a: a["applicant"].update(id=310101199001011234))
mutate("envelope-applicant-id-empty", lambda a: a["applicant"].update(id=""))
mutate("envelope-no-channel", lambda a: a.pop("channel"))
mutate("envelope-channel-fax", lambda a: a.update(channel="FAX"))
mutate("envelope-channel-lower", lambda a: a.update(channel="web"))
mutate("envelope-channel-counter-not-allowed", lambda a: a.update(channel="COUNTER"))
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
