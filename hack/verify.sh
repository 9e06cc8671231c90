#!/usr/bin/env bash
# Smoke test of a cluster started with `hack/cluster.sh up DIR`:
#   bash hack/verify.sh DIR [--load N]
# Checks healthy/crashloop/fault pods, delete+replace, StatefulSet, PDB-blocked eviction (429),
# restricted user 403, kubectl logs --previous, and (with --load N) times N pods to Running.
set -uo pipefail
DIR=$(cd "${1:?usage: verify.sh DIR [--load N]}" && pwd)
LOAD=0
[ "${2:-}" = "--load" ] && LOAD=${3:-1200}
KUBECTL=$(sed -n 's/.*"kubectl": "\(.*\)".*/\1/p' "$DIR/cluster.json")
kc() { "$KUBECTL" --kubeconfig "$DIR/admin.kubeconfig" "$@"; }
kr() { "$KUBECTL" --kubeconfig "$DIR/restricted.kubeconfig" "$@"; }
PASS=0
FAIL=0
ok() { echo "PASS: $*"; PASS=$((PASS + 1)); }
bad() { echo "FAIL: $*"; FAIL=$((FAIL + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
# until_true TIMEOUT CMD...
until_true() { local d=$(($(date +%s) + $1)); shift; until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -ge $d ] && return 1; sleep 0.5; done; }
ms() { date +%s%3N; }

NS=verify-$RANDOM
kc create namespace "$NS" >/dev/null
# pods must be creatable right after namespace creation
check "pod created right after namespace creation" kc run early --image=busybox -n "$NS" --restart=Never

deploy() { # name replicas [fault]
  local labels="app: $1"
  [ -n "${3:-}" ] && labels="$labels
        pod-cleaner.test/fault: $3"
  kc apply -n "$NS" -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1}
spec:
  replicas: $2
  selector: {matchLabels: {app: $1}}
  template:
    metadata:
      labels:
        $labels
    spec:
      initContainers: [{name: init, image: busybox}]
      containers: [{name: app, image: nginx:1.27}]
EOF
}
count_pods() { # selector jsonpath-filter expected
  [ "$(kc get pods -n "$NS" -l "$1" -o json | jq "[.items[] | select(.metadata.deletionTimestamp == null) | select($2)] | length")" = "$3" ]
}

t=$(ms)
deploy healthy 3
check "healthy deployment: 3 Running+Ready pods" until_true 60 count_pods app=healthy \
  '.status.phase == "Running" and (.status.conditions[] | select(.type == "Ready") | .status) == "True" and .status.initContainerStatuses[0].state.terminated.reason == "Completed"' 3
echo "  (healthy deployment ready in $(( $(ms) - t )) ms)"
check "deployment status availableReplicas=3" until_true 30 sh -c "[ \"\$($KUBECTL --kubeconfig $DIR/admin.kubeconfig get deploy healthy -n $NS -o jsonpath='{.status.availableReplicas}')\" = 3 ]"

deploy crash 2 crashloop
check "crashloop deployment: Running + CrashLoopBackOff + exitCode 1" until_true 60 count_pods app=crash \
  '.status.phase == "Running" and .status.containerStatuses[0].state.waiting.reason == "CrashLoopBackOff" and .status.containerStatuses[0].lastState.terminated.exitCode == 1 and .status.containerStatuses[0].restartCount > 0 and .status.containerStatuses[0].ready == false' 2
for f in imagepull init-crashloop exit-error configerror; do deploy "f-$f" 1 "$f"; done
check "imagepull: Pending + ImagePullBackOff" until_true 60 count_pods app=f-imagepull \
  '.status.phase == "Pending" and .status.containerStatuses[0].state.waiting.reason == "ImagePullBackOff"' 1
check "init-crashloop: Pending + init CrashLoopBackOff + PodInitializing" until_true 60 count_pods app=f-init-crashloop \
  '.status.phase == "Pending" and .status.initContainerStatuses[0].state.waiting.reason == "CrashLoopBackOff" and .status.initContainerStatuses[0].lastState.terminated.exitCode == 1 and .status.containerStatuses[0].state.waiting.reason == "PodInitializing"' 1
check "exit-error: Running + terminated exitCode 2" until_true 60 count_pods app=f-exit-error \
  '.status.phase == "Running" and .status.containerStatuses[0].state.terminated.exitCode == 2 and .status.containerStatuses[0].state.terminated.reason == "Error"' 1
check "configerror: Pending + CreateContainerConfigError" until_true 60 count_pods app=f-configerror \
  '.status.phase == "Pending" and .status.containerStatuses[0].state.waiting.reason == "CreateContainerConfigError" and .status.containerStatuses[0].state.waiting.message == "secret \"db-creds\" not found"' 1

echo "--- crashloop pod status excerpt ---"
CPOD=$(kc get pods -n "$NS" -l app=crash -o jsonpath='{.items[0].metadata.name}')
kc get pod "$CPOD" -n "$NS" -o yaml | sed -n '/^status:/,$p'
echo "---"

# delete one crashloop pod (default grace period): it disappears, the ReplicaSet makes a new one
OLD_UID=$(kc get pod "$CPOD" -n "$NS" -o jsonpath='{.metadata.uid}')
t=$(ms)
check "delete crashloop pod completes" kc delete pod "$CPOD" -n "$NS" --wait=true --timeout=30s
echo "  (delete took $(( $(ms) - t )) ms)"
new_pod_present() {
  kc get pods -n "$NS" -l app=crash -o json | jq -e --arg u "$OLD_UID" \
    '[.items[] | select(.metadata.uid != $u and .status.containerStatuses[0].state.waiting.reason == "CrashLoopBackOff")] | length == 2' >/dev/null
}
check "replacement crashloop pod (new uid) appears" until_true 30 new_pod_present

# healing: patch template to remove the label -> new pods are healthy
kc patch deploy crash -n "$NS" --type=json -p '[{"op":"remove","path":"/spec/template/metadata/labels/pod-cleaner.test~1fault"}]' >/dev/null
check "healed crashloop deployment: 2 Running+Ready pods" until_true 60 count_pods app=crash \
  '.status.phase == "Running" and (.status.conditions[] | select(.type == "Ready") | .status) == "True"' 2

# restart count rises
kc run riser -n "$NS" --image=busybox --restart=Always --labels=pod-cleaner.test/fault=crashloop >/dev/null
rc() { kc get pod riser -n "$NS" -o jsonpath='{.status.containerStatuses[0].restartCount}'; }
until_true 30 sh -c "[ -n \"\$($KUBECTL --kubeconfig $DIR/admin.kubeconfig get pod riser -n $NS -o jsonpath='{.status.containerStatuses[0].restartCount}')\" ]"
RC1=$(rc)
check "crashloop restartCount rises (was $RC1)" until_true 70 sh -c "[ \"\$($KUBECTL --kubeconfig $DIR/admin.kubeconfig get pod riser -n $NS -o jsonpath='{.status.containerStatuses[0].restartCount}')\" -gt $RC1 ]"
echo "  (restartCount now $(rc))"

# StatefulSet
kc apply -n "$NS" -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres:16}]
EOF
check "statefulset: db-0 and db-1 Running+Ready" until_true 60 count_pods app=db \
  '.status.phase == "Running" and (.status.conditions[] | select(.type == "Ready") | .status) == "True"' 2

# PDB blocks eviction -> 429
kc apply -n "$NS" -f - >/dev/null <<EOF
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: healthy}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: healthy}}
EOF
until_true 30 sh -c "[ \"\$($KUBECTL --kubeconfig $DIR/admin.kubeconfig get pdb healthy -n $NS -o jsonpath='{.status.currentHealthy}')\" = 3 ]"
HPOD=$(kc get pods -n "$NS" -l app=healthy -o jsonpath='{.items[0].metadata.name}')
SERVER=$(jq -r .server "$DIR/cluster.json")
TOKEN=$(jq -r .adminToken "$DIR/cluster.json")
CA=$(jq -r .caFile "$DIR/cluster.json")
code=$(curl -s -o /tmp/evict.$$ -w '%{http_code}' --cacert "$CA" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -X POST \
  -d "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"$HPOD\",\"namespace\":\"$NS\"}}" \
  "$SERVER/api/v1/namespaces/$NS/pods/$HPOD/eviction")
check "eviction blocked by PDB returns 429 (got $code: $(jq -r .message /tmp/evict.$$ 2>/dev/null))" [ "$code" = 429 ]
rm -f /tmp/evict.$$

# restricted user
out=$(kr get pods -n "$NS" 2>&1)
check "restricted user gets Forbidden on list pods" grep -q 'Forbidden' <<<"$out"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA" -H "Authorization: Bearer $(jq -r .restrictedToken "$DIR/cluster.json")" "$SERVER/api/v1/namespaces/$NS/pods")
check "restricted user list pods HTTP 403 (got $code)" [ "$code" = 403 ]

# logs through apiserver -> kwok
CPOD=$(kc get pods -n "$NS" -l app=f-exit-error -o jsonpath='{.items[0].metadata.name}')
out=$(kc logs "$CPOD" -n "$NS" -c app --previous 2>&1)
check "kubectl logs --previous returns kwok previous log" grep -q 'panic: failed to connect' <<<"$out"
out=$(kc logs "$CPOD" -n "$NS" -c app 2>&1)
check "kubectl logs returns kwok current log" grep -q 'starting app' <<<"$out"

t=$(ms)
if kc delete namespace "$NS" --wait=true --timeout=120s >/dev/null; then
  ok "namespace deleted in $(( $(ms) - t )) ms"
else
  bad "namespace deletion"
fi

if [ "$LOAD" -gt 0 ]; then
  NSN=20
  PER=$((LOAD / NSN))
  echo "--- load: $LOAD pods (nodeName set, no scheduler) over $NSN namespaces ---"
  GEN=$(mktemp -d)
  mapfile -t nodes < <(jq -r '.nodes[]' "$DIR/cluster.json")
  for i in $(seq 1 $NSN); do
    {
      echo "apiVersion: v1"; echo "kind: Namespace"; echo "metadata: {name: load-$i}"
      for j in $(seq 1 $PER); do
        echo "---"
        echo "apiVersion: v1"
        echo "kind: Pod"
        echo "metadata: {name: p-$j, namespace: load-$i, labels: {app: load}}"
        echo "spec: {nodeName: ${nodes[$((j % ${#nodes[@]}))]}, containers: [{name: c, image: busybox}]}"
      done
    } >"$GEN/ns-$i.yaml"
  done
  t=$(ms)
  find "$GEN" -name '*.yaml' -print0 | xargs -0 -P 4 -I{} "$KUBECTL" --kubeconfig "$DIR/admin.kubeconfig" create -f {} >/dev/null
  created=$(( $(ms) - t ))
  running() { [ "$(kc get pods -A -l app=load --field-selector=status.phase=Running --no-headers 2>/dev/null | wc -l)" -ge "$LOAD" ]; }
  until_true 600 running
  all=$(( $(ms) - t ))
  echo "LOAD: created $LOAD pods in ${created} ms; all Running after ${all} ms"
  t=$(ms)
  for i in $(seq 1 $NSN); do echo "load-$i"; done | xargs -P 4 -I{} "$KUBECTL" --kubeconfig "$DIR/admin.kubeconfig" delete namespace {} --wait=true --timeout=300s >/dev/null
  echo "LOAD: deleted $NSN namespaces ($LOAD pods) in $(( $(ms) - t )) ms"
  rm -rf "$GEN"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
