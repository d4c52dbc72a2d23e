#!/usr/bin/env python3
"""Reads the open-model sweep's Gatling report (one OpenSweep run, with the percentile indicators 50, 99, 99.9
and 100: its per-request pages, one a step), prints a line a step and draws the chart: latency against the
offered rate.
   sweep.py REPORT_DIR SATURATION SVG_OUT"""
import glob, math, os, re, sys

report, saturation, svg_out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
# a row of a step's statistics: title, then total, OK and KO; latency from the OK column (a 503 shed at once would
# make the percentiles look better than what was served)
ROW = re.compile(r'<td class="title">([^<]*)</td>\s*<td class="total">([^<]*)</td>\s*<td class="ok">([^<]*)</td>\s*<td class="ko">([^<]*)</td>')
steps = []
for page in glob.glob(os.path.join(report, "req_open-*.html")):
    percent = int(re.match(r"req_open-(\d+)-", os.path.basename(page)).group(1))
    rows = {t: (total, ok, ko) for t, total, ok, ko in ROW.findall(open(page, encoding="utf-8").read())}
    def num(title, column):
        v = rows.get(title, ("-", "-", "-"))[column].replace(",", "")
        return 0.0 if v in ("-", "") else float(v)
    steps.append((percent, int(num("Total count", 0)), num("50th percentile", 1), num("99th percentile", 1),
                  num("99.9th percentile", 1), int(num("Total count", 2))))
steps.sort()
if not steps:
    sys.exit(f"no step pages in {report}")
for p, n, p50, p99, p999, ko in steps:
    print(f"open-{p}% offered={saturation * p / 100:.0f}/s requests={n} failed={ko} ({100 * ko / max(n, 1):.1f} %, 503 shed) "
          f"p50_ms={p50:.0f} p99_ms={p99:.0f} p999_ms={p999:.0f} (of the accepted)")

# the chart: x = offered rate in % of saturation, y = latency in ms on a log scale, one line per percentile
W, H, L, R, T, B = 640, 400, 70, 130, 40, 50
ys = [v for st in steps for v in st[2:5] if v > 0] or [1]
lo, hi = 10 ** math.floor(math.log10(max(1, min(ys)))), 10 ** math.ceil(math.log10(max(ys)))
hi = max(hi, lo * 10)
def x(p): return L + (W - L - R) * p / 100
def y(ms): return T + (H - T - B) * (1 - (math.log10(max(ms, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="22" font-size="14">Intake, open-model sweep: latency by offered rate (saturation {saturation:.0f}/s, 2 cores)</text>']
d = lo
while d <= hi:
    out.append(f'<line x1="{L}" x2="{W - R}" y1="{y(d):.1f}" y2="{y(d):.1f}" stroke="#ddd"/>')
    out.append(f'<text x="{L - 8}" y="{y(d) + 4:.1f}" text-anchor="end">{d:g} ms</text>')
    d *= 10
for p in (0, 25, 50, 75, 100):
    out.append(f'<line x1="{x(p):.1f}" x2="{x(p):.1f}" y1="{T}" y2="{H - B}" stroke="#eee"/>')
    out.append(f'<text x="{x(p):.1f}" y="{H - B + 18}" text-anchor="middle">{p} %</text>')
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">offered rate, % of the saturation rate</text>')
for idx, (label, colour) in enumerate((("p50", "#2b6cb0"), ("p99", "#d69e2e"), ("p99.9", "#c53030"))):
    pts = " ".join(f"{x(st[0]):.1f},{y(st[2 + idx]):.1f}" for st in steps)
    out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for st in steps:
        out.append(f'<circle cx="{x(st[0]):.1f}" cy="{y(st[2 + idx]):.1f}" r="3" fill="{colour}"/>')
    out.append(f'<text x="{W - R + 12}" y="{T + 20 + 18 * idx}" fill="{colour}">{label}</text>')
for st in steps:
    if st[5]:
        out.append(f'<text x="{x(st[0]):.1f}" y="{H - B - 6}" text-anchor="middle" fill="#c53030">{100 * st[5] / max(st[1], 1):.0f} % shed</text>')
out.append("</svg>")
open(svg_out, "w").write("\n".join(out) + "\n")
print(f"chart: {svg_out}")
