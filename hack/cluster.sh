#!/usr/bin/env bash
# Local, real Kubernetes control plane for tests, benchmarks and the demo.
#
#   bash hack/cluster.sh build        build (or reuse cached) binaries
#   bash hack/cluster.sh up DIR       start etcd, kube-apiserver, kube-controller-manager,
#                                     kube-scheduler and kwok on 127.0.0.1; writes DIR/cluster.json
#   bash hack/cluster.sh down DIR     stop everything started by `up DIR` and remove its data
#   bash hack/cluster.sh env          print BIN_DIR=... (where kubectl etc. live)
#
# POD_CLEANER_AUTHN_CONFIG=FILE (optional, for `up`): the apiserver also gets
# --authentication-config FILE (a structured AuthenticationConfiguration, e.g. a JWT issuer for
# the keyless GitHub OIDC tests). Unset, nothing changes. The static tokens keep working.
#
# Binaries are built from Go modules (hack/k8s, hack/etcd, kwok's module source with
# hack/kwok/uid-preconditions.patch) and cached in
# ${POD_CLEANER_CACHE:-$HOME/.cache/pod-cleaner}/k8s/<k8s-version>/bin. See hack/README.md.
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
source "$HACK_DIR/versions.sh"
KWOK_PATCH="$HACK_DIR/kwok/uid-preconditions.patch" # applied to kwok's source before building
[ -f "$KWOK_PATCH" ] || { echo "missing $KWOK_PATCH" >&2; exit 1; }

CACHE_ROOT=${POD_CLEANER_CACHE:-$HOME/.cache/pod-cleaner}
VERSION_DIR=$CACHE_ROOT/k8s/$K8S_VERSION
BIN_DIR=$VERSION_DIR/bin
K8S_MINOR=$(echo "$K8S_VERSION" | cut -d. -f2)
K8S_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl)

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH=/usr/local/go/bin:$PATH
fi

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------
stamp_of() { # name -> expected stamp content
  case "$1" in
    etcd) echo "etcd $ETCD_VERSION" ;;
    kwok) echo "kwok $KWOK_VERSION+$(sha256sum <"$KWOK_PATCH" | cut -c1-12)" ;;
    *) echo "$1 $K8S_VERSION" ;;
  esac
}

is_built() {
  local name=$1
  [ -x "$BIN_DIR/$name" ] && [ -f "$BIN_DIR/.stamp-$name" ] &&
    [ "$(cat "$BIN_DIR/.stamp-$name")" = "$(stamp_of "$name")" ]
}

all_built() {
  local b
  for b in etcd kwok "${K8S_BINARIES[@]}"; do is_built "$b" || return 1; done
}

# build_one NAME: cmd_build calls it on the left of `||`, where `set -e` does not apply, so every
# step below checks itself and returns 1 on failure.
build_one() {
  local name=$1 start tmp
  if is_built "$name"; then return 0; fi
  start=$(now_ms)
  tmp="$BIN_DIR/.tmp-$name.$$"
  log "building $name ($(stamp_of "$name")) ..."
  export CGO_ENABLED=0 GOFLAGS="-buildvcs=false" GOTOOLCHAIN=${GOTOOLCHAIN:-local}
  case "$name" in
    etcd)
      (cd "$HACK_DIR/etcd" && go build -p 2 -trimpath -ldflags "-s -w" -o "$tmp" .) || return 1
      ;;
    kwok)
      # kwok's module source with hack/kwok/uid-preconditions.patch applied (see there).
      local src="$BIN_DIR/.kwok-src.$$" mod
      mod=$(cd "$HACK_DIR" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
      [ -d "$mod" ] || { log "go mod download sigs.k8s.io/kwok@$KWOK_VERSION gave no directory"; return 1; }
      rm -rf "$src" && cp -R "$mod" "$src" && chmod -R u+w "$src" &&
        patch -s -d "$src" -p1 --no-backup-if-mismatch <"$KWOK_PATCH" &&
        (cd "$src" && go build -p 2 -trimpath -ldflags "-s -w" -o "$tmp" ./cmd/kwok) || return 1
      rm -rf "$src"
      ;;
    *)
      local ld="-s -w"
      local pkg
      for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        ld="$ld -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$K8S_MINOR"
        ld="$ld -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
      done
      (cd "$HACK_DIR/k8s" && go build -p 2 -trimpath -ldflags "$ld" -o "$tmp" "k8s.io/kubernetes/cmd/$name") || return 1
      ;;
  esac
  mv -f "$tmp" "$BIN_DIR/$name" || return 1
  stamp_of "$name" >"$BIN_DIR/.stamp-$name" || return 1
  log "built $name in $(secs_since "$start")s ($(du -h "$BIN_DIR/$name" | cut -f1))"
}

cmd_build() {
  if all_built; then
    log "binaries present in $BIN_DIR (k8s $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION)"
    return 0
  fi
  command -v go >/dev/null 2>&1 || die "go is not installed (need Go >= 1.24)"
  mkdir -p "$BIN_DIR"
  local start
  start=$(now_ms)
  exec 9>"$VERSION_DIR/build.lock"
  if ! flock -n 9; then
    log "another build holds $VERSION_DIR/build.lock; waiting ..."
    flock 9
  fi
  local b
  for b in etcd kwok "${K8S_BINARIES[@]}"; do
    build_one "$b" || { rm -rf "$BIN_DIR"/.tmp-*."$$" "$BIN_DIR"/.kwok-src."$$"; die "build of $b failed"; }
  done
  exec 9>&-
  log "all binaries ready in $BIN_DIR ($(secs_since "$start")s)"
}

# ---------------------------------------------------------------------------------------------
# up / down
# ---------------------------------------------------------------------------------------------
FAULT_LABEL=pod-cleaner.test/fault
NODE_NAMES=(kwok-node-0 kwok-node-1)
KCM_CONTROLLERS=$(printf '%s,' deployment-controller replicaset-controller statefulset-controller \
  job-controller cronjob-controller daemonset-controller garbage-collector-controller \
  disruption-controller namespace-controller serviceaccount-controller \
  serviceaccount-token-controller pod-garbage-collector-controller ttl-after-finished-controller \
  endpointslice-controller resourcequota-controller clusterrole-aggregation-controller \
  root-ca-certificate-publisher-controller)
KCM_CONTROLLERS=${KCM_CONTROLLERS%,}

port_in_use() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }
free_port() { # prints a currently free TCP port on 127.0.0.1, not handed out before in this run
  local p
  for _ in $(seq 1 200); do
    # below the kernel's ephemeral range (32768+), so outgoing connections don't grab it
    p=$((20000 + RANDOM % 12000))
    case " ${USED_PORTS:-} " in *" $p "*) continue ;; esac
    if ! port_in_use "$p"; then
      USED_PORTS="${USED_PORTS:-} $p"
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

rand_token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# start NAME CMD... : runs CMD in its own session (pgid == pid), output to DIR/logs/NAME.log
start_proc() {
  local name=$1
  shift
  # fds 8/9 (the DIR and build locks) must not leak into the daemons
  setsid "$@" </dev/null >"$LOG_DIR/$name.log" 2>&1 8>&- 9>&- &
  local pid=$!
  echo "$pid" >"$PID_DIR/$name.pid"
  STARTED+=("$name")
  log "started $name (pid $pid)"
}

proc_alive() { [ -f "$PID_DIR/$1.pid" ] && kill -0 "$(cat "$PID_DIR/$1.pid")" 2>/dev/null; }

fail_with_logs() { # component message
  local name=$1
  shift
  log "ERROR: $*"
  if [ -n "$name" ] && [ -f "$LOG_DIR/$name.log" ]; then
    echo "----- last 30 lines of $LOG_DIR/$name.log -----" >&2
    tail -n 30 "$LOG_DIR/$name.log" >&2
    echo "-----" >&2
  fi
  log "cleaning up ..."
  stop_all "$CLUSTER_DIR" || true
  rm -f "$CLUSTER_DIR/.cluster.lock"
  exit 1
}

# wait_for NAME TIMEOUT_S CMD... : polls CMD until it succeeds; NAME's process must stay alive
wait_for() {
  local name=$1 timeout=$2
  shift 2
  local deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$name" ] && ! proc_alive "$name"; then
      fail_with_logs "$name" "$name exited while waiting for: $*"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail_with_logs "$name" "timed out after ${timeout}s waiting for: $*"
    fi
    sleep 0.2
  done
}

kc() { "$BIN_DIR/kubectl" --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" "$@"; }

write_kubeconfig() { # file user token
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: pod-cleaner-local
  cluster:
    server: $SERVER
    certificate-authority: $PKI_DIR/ca.crt
contexts:
- name: $2@pod-cleaner-local
  context:
    cluster: pod-cleaner-local
    user: $2
    namespace: default
current-context: $2@pod-cleaner-local
users:
- name: $2
  user:
    token: $3
EOF
}

make_pki() {
  mkdir -p "$PKI_DIR"
  (
    cd "$PKI_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 \
      -subj "/CN=pod-cleaner-local-ca" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver" >/dev/null 2>&1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1\nextendedKeyUsage=serverAuth\n' >san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
      -extfile san.ext -out apiserver.crt >/dev/null 2>&1
    openssl genrsa -out sa.key 2048 >/dev/null 2>&1
    openssl rsa -in sa.key -pubout -out sa.pub >/dev/null 2>&1
  ) || die "openssl failed"
}

cmd_up() {
  [ $# -ge 1 ] || die "usage: cluster.sh up DIR"
  local t_all t
  local authn_args=()
  if [ -n "${POD_CLEANER_AUTHN_CONFIG:-}" ]; then
    [ -f "$POD_CLEANER_AUTHN_CONFIG" ] || die "POD_CLEANER_AUTHN_CONFIG=$POD_CLEANER_AUTHN_CONFIG is not a file"
    authn_args=(--authentication-config "$(cd "$(dirname "$POD_CLEANER_AUTHN_CONFIG")" && pwd)/$(basename "$POD_CLEANER_AUTHN_CONFIG")")
  fi
  t_all=$(now_ms)
  mkdir -p "$1"
  CLUSTER_DIR=$(cd "$1" && pwd)
  LOG_DIR=$CLUSTER_DIR/logs
  PID_DIR=$CLUSTER_DIR/pids
  PKI_DIR=$CLUSTER_DIR/pki
  DATA_DIR=$CLUSTER_DIR/data
  STARTED=()
  exec 8>"$CLUSTER_DIR/.cluster.lock"
  flock -w 30 8 || die "another cluster.sh holds $CLUSTER_DIR/.cluster.lock"
  if [ -d "$PID_DIR" ] && ls "$PID_DIR"/*.pid >/dev/null 2>&1; then
    die "$CLUSTER_DIR already has a running cluster (pids/); run: cluster.sh down $CLUSTER_DIR"
  fi

  t=$(now_ms)
  cmd_build
  log "step build: $(secs_since "$t")s"

  rm -rf "$DATA_DIR" "$PKI_DIR"
  mkdir -p "$LOG_DIR" "$PID_DIR" "$DATA_DIR"
  trap 'log "interrupted"; stop_all "$CLUSTER_DIR" || true; exit 130' INT TERM

  t=$(now_ms)
  make_pki
  local etcd_port etcd_peer api_port kcm_port sched_port kwok_port
  etcd_port=$(free_port)
  etcd_peer=$(free_port)
  api_port=$(free_port)
  kcm_port=$(free_port)
  sched_port=$(free_port)
  kwok_port=$(free_port)
  SERVER=https://127.0.0.1:$api_port
  local admin_token restricted_token component_token
  admin_token=$(rand_token)
  restricted_token=$(rand_token)
  component_token=$(rand_token)
  {
    echo "$admin_token,admin,uid-admin,\"system:masters\""
    echo "$restricted_token,restricted,uid-restricted"
    echo "$component_token,system:pod-cleaner-components,uid-components,\"system:masters\""
  } >"$PKI_DIR/tokens.csv"
  write_kubeconfig "$CLUSTER_DIR/admin.kubeconfig" admin "$admin_token"
  write_kubeconfig "$CLUSTER_DIR/restricted.kubeconfig" restricted "$restricted_token"
  write_kubeconfig "$PKI_DIR/components.kubeconfig" system:pod-cleaner-components "$component_token"
  log "step pki+config: $(secs_since "$t")s"

  # --- etcd ---
  t=$(now_ms)
  start_proc etcd "$BIN_DIR/etcd" --name pod-cleaner --data-dir "$DATA_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "pod-cleaner=http://127.0.0.1:$etcd_peer" \
    --unsafe-no-fsync --quota-backend-bytes 4294967296 --log-level warn
  wait_for etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health"
  log "step etcd ready: $(secs_since "$t")s"

  # --- kube-apiserver ---
  t=$(now_ms)
  start_proc kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
    --client-ca-file "$PKI_DIR/ca.crt" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI_DIR/sa.pub" --service-account-signing-key-file "$PKI_DIR/sa.key" \
    --token-auth-file "$PKI_DIR/tokens.csv" "${authn_args[@]}" \
    --authorization-mode Node,RBAC \
    --disable-admission-plugins ServiceAccount,TaintNodesByCondition \
    --allow-privileged=true --profiling=false \
    --kubelet-preferred-address-types InternalIP \
    --max-requests-inflight 1000 --max-mutating-requests-inflight 500 \
    --v=1
  wait_for kube-apiserver 120 curl -fsS --cacert "$PKI_DIR/ca.crt" -H "Authorization: Bearer $admin_token" "$SERVER/readyz"
  log "step kube-apiserver ready: $(secs_since "$t")s"

  # --- kube-controller-manager ---
  t=$(now_ms)
  start_proc kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$PKI_DIR/components.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" \
    --leader-elect=false \
    --controllers "$KCM_CONTROLLERS" \
    --service-account-private-key-file "$PKI_DIR/sa.key" --root-ca-file "$PKI_DIR/ca.crt" \
    --use-service-account-credentials=false \
    --kube-api-qps 500 --kube-api-burst 1000 \
    --concurrent-deployment-syncs 10 --concurrent-replicaset-syncs 10 --concurrent-statefulset-syncs 10 \
    --concurrent-gc-syncs 20 \
    --v=1
  # --- kube-scheduler ---
  cat >"$PKI_DIR/scheduler.yaml" <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: $PKI_DIR/components.kubeconfig
  qps: 500
  burst: 1000
leaderElection:
  leaderElect: false
EOF
  start_proc kube-scheduler "$BIN_DIR/kube-scheduler" --config "$PKI_DIR/scheduler.yaml" \
    --bind-address 127.0.0.1 --secure-port "$sched_port" --v=1

  # --- kwok ---
  cat >"$PKI_DIR/kwok.yaml" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  podPlayStageParallelism: 16
  nodePlayStageParallelism: 4
---
# kubectl logs [--previous] through the apiserver: every container of every pod serves these
# files (CRI log format) from kwok's kubelet-like server.
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: pod-cleaner-logs
spec:
  logs:
  - logsFile: $HACK_DIR/kwok/logs/current.log
    previousLogsFile: $HACK_DIR/kwok/logs/previous.log
    follow: false
EOF
  start_proc kwok "$BIN_DIR/kwok" --kubeconfig "$PKI_DIR/components.kubeconfig" \
    --config "$PKI_DIR/kwok.yaml" --config "$HACK_DIR/kwok/stages.yaml" \
    --manage-all-nodes=true \
    --server-address "127.0.0.1:$kwok_port" --node-ip 127.0.0.1 --node-port "$kwok_port" \
    --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
    --cidr 10.244.0.1/16

  local n
  for n in "${NODE_NAMES[@]}"; do
    kc apply -f - >/dev/null <<EOF || fail_with_logs kube-apiserver "creating node $n failed"
apiVersion: v1
kind: Node
metadata:
  name: $n
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: $n
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
spec: {}
status:
  allocatable: {cpu: "1000", memory: 4Ti, pods: "100000"}
  capacity: {cpu: "1000", memory: 4Ti, pods: "100000"}
EOF
  done
  log "step controllers+scheduler+kwok started, nodes created: $(secs_since "$t")s"

  # --- readiness: nodes Ready, default SA, a pod goes Running+Ready and is deleted ---
  t=$(now_ms)
  for n in "${NODE_NAMES[@]}"; do
    wait_for kwok 60 kc wait --for=condition=Ready "node/$n" --timeout=5s
  done
  wait_for kube-controller-manager 60 kc get serviceaccount default -n default
  kc apply -f - >/dev/null <<EOF || fail_with_logs kube-apiserver "creating readiness pod failed"
apiVersion: v1
kind: Pod
metadata:
  name: cluster-readiness-check
  namespace: default
spec:
  containers:
  - name: c
    image: registry.k8s.io/pause:3.10
EOF
  wait_for kube-scheduler 60 kc wait --for=condition=Ready pod/cluster-readiness-check -n default --timeout=5s
  kc delete pod cluster-readiness-check -n default --wait=true --timeout=60s >/dev/null ||
    fail_with_logs kwok "readiness pod was not deleted"
  log "step readiness (nodes Ready, default SA, pod Running+Ready, pod deleted): $(secs_since "$t")s"

  local nodes_json
  nodes_json=$(printf '"%s",' "${NODE_NAMES[@]}")
  cat >"$CLUSTER_DIR/cluster.json.tmp" <<EOF
{
  "server": "$SERVER",
  "adminKubeconfig": "$CLUSTER_DIR/admin.kubeconfig",
  "restrictedKubeconfig": "$CLUSTER_DIR/restricted.kubeconfig",
  "adminToken": "$admin_token",
  "adminUser": "admin",
  "restrictedToken": "$restricted_token",
  "restrictedUser": "restricted",
  "caFile": "$PKI_DIR/ca.crt",
  "version": "$K8S_VERSION",
  "etcdVersion": "$ETCD_VERSION",
  "kwokVersion": "$KWOK_VERSION",
  "nodes": [${nodes_json%,}],
  "faultLabel": "$FAULT_LABEL",
  "binDir": "$BIN_DIR",
  "kubectl": "$BIN_DIR/kubectl",
  "dir": "$CLUSTER_DIR",
  "logsDir": "$LOG_DIR",
  "etcdServer": "http://127.0.0.1:$etcd_port",
  "kwokServer": "https://127.0.0.1:$kwok_port",
  "authenticationConfig": "${authn_args[1]:-}"
}
EOF
  mv "$CLUSTER_DIR/cluster.json.tmp" "$CLUSTER_DIR/cluster.json"
  trap - INT TERM
  log "cluster up in $(secs_since "$t_all")s: $SERVER ($CLUSTER_DIR/cluster.json)"
}

# stop_group NAME...: SIGTERM the process groups (pgid == pid) of NAMEs, SIGKILL after 5s
# all_exited PID...: waits up to 5 s for all of them to be gone; fails if some are still running
all_exited() {
  local pid alive
  for _ in $(seq 1 25); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.2
  done
  return 1
}

stop_group() {
  local name f pid pids=()
  for name in "$@"; do
    f="$STOP_DIR/pids/$name.pid"
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  all_exited "${pids[@]}" && return 0
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop within 5s of SIGTERM; sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  all_exited "${pids[@]}" || log "some of pids ${pids[*]} are still running after SIGKILL"
}

# stop_all DIR: stops clients first (so the apiserver still has etcd while it shuts down),
# then kube-apiserver, then etcd; removes data, keys, kubeconfigs, cluster.json (logs stay).
stop_all() {
  STOP_DIR=$1
  [ -d "$STOP_DIR/pids" ] || return 0
  stop_group kwok kube-scheduler kube-controller-manager
  stop_group kube-apiserver
  stop_group etcd
  rm -rf "$STOP_DIR/pids" "$STOP_DIR/data" "$STOP_DIR/pki" "$STOP_DIR/cluster.json" \
    "$STOP_DIR/admin.kubeconfig" "$STOP_DIR/restricted.kubeconfig"
}

cmd_down() {
  [ $# -ge 1 ] || die "usage: cluster.sh down DIR"
  [ -d "$1" ] || { log "$1 does not exist; nothing to stop"; return 0; }
  local t
  t=$(now_ms)
  exec 8>"$1/.cluster.lock"
  # a concurrent `up` of the same DIR holds this lock; don't wait forever for it
  flock -w 20 8 || log "lock $1/.cluster.lock still busy after 20s; stopping anyway"
  stop_all "$(cd "$1" && pwd)"
  rm -f "$1/.cluster.lock"
  log "cluster in $1 stopped in $(secs_since "$t")s (logs kept in $1/logs)"
}

# ---------------------------------------------------------------------------------------------
main() {
  local cmd=${1:-}
  shift || true
  case "$cmd" in
    build) cmd_build "$@" ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    env) echo "BIN_DIR=$BIN_DIR" ;;
    *) echo "usage: $0 build | up DIR | down DIR | env" >&2; exit 2 ;;
  esac
}

main "$@"
