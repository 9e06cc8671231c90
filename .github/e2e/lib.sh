#!/usr/bin/env bash
# Helpers for the e2e job (.github/workflows/e2e.yml): waiting for real pod states, snapshots of
# pod uids, and assertions that collect every failure before failing the step.
set -euo pipefail

E2E_SELECTOR=pod-cleaner-e2e=true
FAILURES=0

# reasons NS APP: the waiting reasons of the containers of APP's live pods, one per line
reasons() {
  kubectl get pods -n "$1" -l "app=$2" -o json |
    jq -r '.items[] | select(.metadata.deletionTimestamp == null)
           | .status.containerStatuses[]? | .state.waiting.reason // "none"'
}

# wait_reason NS APP REGEX [TIMEOUT_S]: until APP has live pods and all of them wait for REGEX
wait_reason() {
  local ns=$1 app=$2 regex=$3 timeout=${4:-240} deadline got
  deadline=$(($(date +%s) + timeout))
  while true; do
    got=$(reasons "$ns" "$app" || true)
    if [ -n "$got" ] && ! grep -Evq "^($regex)\$" <<<"$got"; then
      echo "$ns/$app: $(tr '\n' ' ' <<<"$got")"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "::error::$ns/$app did not reach $regex within ${timeout}s (now: $(tr '\n' ' ' <<<"$got"))"
      return 1
    fi
    sleep 3
  done
}

# snapshot: "namespace/app/pod uid" of every live e2e pod, sorted
snapshot() {
  kubectl get pods -A -l "$E2E_SELECTOR" -o json |
    jq -r '.items[] | select(.metadata.deletionTimestamp == null)
           | "\(.metadata.namespace)/\(.metadata.labels.app)/\(.metadata.name) \(.metadata.uid)"' |
    sort
}

# uids_of FILE APP: the uids of APP's pods in a snapshot file
uids_of() { grep -E "^[^/]+/$2/" "$1" | cut -d' ' -f2 | sort || true; }

# expect WHAT ACTUAL WANTED: records a failure instead of stopping at the first one
expect() {
  if [ "$2" = "$3" ]; then
    echo "ok   $1 = $2"
  else
    echo "::error::$1: got '$2', want '$3'"
    FAILURES=$((FAILURES + 1))
  fi
}

# decision RESULT_JSON APP: the decisions the Action reported for APP's pods (comma-separated)
decision() {
  jq -r --arg app "$2" '[.pods[] | select(.pod | startswith($app + "-") or . == $app) | .decision]
                        | join(",")' <<<"$1"
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "::error::$FAILURES assertion(s) failed"
    exit 1
  fi
}
