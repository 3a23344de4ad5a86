#!/usr/bin/env bash
# The Kubernetes manifests of deploy/kubernetes/, checked offline: against the Kubernetes schemas
# (kubernetes-validate, strict: an unknown field is an error), and against the game: every
# container runs a role the binary has, every probe asks a route the server serves.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
dir=deploy/kubernetes
"$KUBERNETES_VALIDATE" --strict --quiet -k 1.30.0 "$dir"/*.yaml
python3 - "$dir" <<'PY'
import pathlib, re, sys
dir = pathlib.Path(sys.argv[1])
main = pathlib.Path("server/src/main.rs").read_text()
roles = {r.lower() for r in re.findall(r"^    ([A-Z][a-z]+),$", main, re.M)}
served = {"/health", "/health/live", "/health/ready", "/metrics"}
problems = []
for file in sorted(dir.glob("*.yaml")):
    text = file.read_text()
    for image, args in re.findall(r"image: (the-button:\S+)\n\s+args: \[\"(\w+)\"", text):
        if args not in roles:
            problems.append(f"{file.name}: role {args!r} is not one of {sorted(roles)}")
    if "image: the-button" in text:
        for path in re.findall(r"path: \"?(/[^\",}]+)", text):
            if path not in served:
                problems.append(f"{file.name}: probe path {path} is not served")
if problems:
    sys.exit("check-kubernetes: " + "; ".join(problems))
print(f"check-kubernetes: {len(list(dir.glob('*.yaml')))} files valid, roles {sorted(roles)}")
PY
