#!/usr/bin/env python3
"""Where Intake's CPU samples go: reads `jfr print --events jdk.ExecutionSample --stack-depth 96` output on stdin and
counts each sample once, under the category of the frame nearest the top of its stack that matches one (JDK frames
such as HashMap's count for the library that called them; the order below only breaks ties within one frame).
Usage: jfr print --events jdk.ExecutionSample --stack-depth 96 intake.jfr | python3 load-tests/bench/profile.py"""
import re, sys, collections

CATEGORIES = [  # (name, regex on a frame)
    ("receipt signature (Ed25519)", r"ReceiptSigner|org\.bouncycastle"),
    ("ledger consumer", r"eu\.gov\.intake\.ledger\."),
    ("relay / spool", r"eu\.gov\.intake\.publish\.(Relay|Spool)"),
    ("payload schema validation", r"com\.networknt\.schema|PayloadSchema"),
    ("kafka producer (send, I/O thread)", r"org\.apache\.kafka\.clients\.producer|org\.apache\.kafka\.common\.(record|compress)|net\.jpountz"),
    ("kafka network / other client", r"org\.apache\.kafka"),
    ("vertx-kafka-client hand-off", r"io\.vertx\.kafka"),
    ("redis client", r"io\.vertx\.redis"),
    ("postgres client", r"io\.vertx\.pgclient|io\.vertx\.sqlclient"),
    ("metrics (micrometer)", r"io\.micrometer|io\.vertx\.micrometer"),
    ("JSON (Jackson, Vert.x JSON)", r"com\.fasterxml\.jackson|io\.vertx\.core\.json"),
    ("hashing / HMAC", r"javax\.crypto|com\.sun\.crypto|sun\.security\.provider"),
    ("intake request path (own code)", r"eu\.gov\.intake\."),
    ("vert.x http / web", r"io\.vertx\.ext\.web|io\.vertx\.core\.http"),
    ("netty I/O, event loop", r"io\.netty"),
    ("vert.x core (futures, contexts)", r"io\.vertx\.core"),
]
stacks, cur, inside = [], [], False
for line in sys.stdin:
    s = line.strip()
    if s.startswith("stackTrace = ["):
        cur, inside = [], True
    elif inside and s == "]":
        stacks.append(cur); inside = False
    elif inside and s and s != "...":
        cur.append(s)
counts = collections.Counter()
for st in stacks:
    name = next((n for f in st for n, pat in CATEGORIES if re.search(pat, f)), "other (JDK only)")
    counts[name] += 1
total = len(stacks) or 1
print(f"{len(stacks)} execution samples of Intake's threads, each counted once (by the nearest frame of a known kind):")
for name, n in counts.most_common():
    print(f"  {100.0 * n / total:5.1f} %  {n:6d}  {name}")
