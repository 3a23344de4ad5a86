#!/usr/bin/env bash
# The operators' monitoring, checked: the Prometheus alert rules parse and fire on the stories
# their unit tests tell (promtool, from Debian's `prometheus` package), the Grafana dashboard is
# JSON, and every metric the rules and the dashboard read is one the game exports (a renamed
# metric would otherwise leave a panel empty and an alert silent, forever).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=deploy/monitoring
promtool check rules "$dir/alerts.yml"
(cd "$dir" && promtool test rules alerts.test.yml)
python3 - "$dir" <<'PY'
import json, re, sys, pathlib
dir = pathlib.Path(sys.argv[1])
exported = set(re.findall(r'"(button_[a-z_]+)"', pathlib.Path("server/src/metrics/mod.rs").read_text()))
dashboard = json.loads((dir / "grafana-dashboard.json").read_text())
exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
exprs += re.findall(r"expr: (.*(?:\n +[^\n:]+)*)", (dir / "alerts.yml").read_text())
unknown = set()
for expr in exprs:
    for name in re.findall(r"\bbutton_[a-z_]+", expr):
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        if name not in exported and base not in exported:
            unknown.add(name)
if unknown:
    sys.exit(f"check-monitoring: metrics the game does not export: {sorted(unknown)}")
print(f"check-monitoring: {len(dashboard['panels'])} panels and the alert rules read only exported metrics")
PY
