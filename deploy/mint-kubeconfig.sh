#!/usr/bin/env bash
# Mints a kubeconfig for Pod Cleaner's ServiceAccount, ready to store as the workflow's KUBECONFIG
# secret: the server and CA of a context in your kubeconfig, and a time-bounded token
# (`kubectl create token --duration`, the TokenRequest API; no long-lived Secret is created).
#
#   kubectl apply -f deploy/rbac.yaml
#   deploy/mint-kubeconfig.sh --context prod --duration 8760h > pod-cleaner.kubeconfig
#   gh secret set KUBECONFIG < pod-cleaner.kubeconfig            # or: --base64 | gh secret set …
#
# Options:
#   --namespace NS           namespace of the ServiceAccount            (default: pod-cleaner)
#   --service-account NAME   the ServiceAccount                         (default: pod-cleaner)
#   --duration DURATION      token lifetime, e.g. 720h, 8760h; the apiserver may shorten it
#                            (--service-account-max-token-expiration)   (default: 8760h)
#   --context NAME           read the server and CA from this context   (default: current-context)
#   --kubeconfig FILE        kubeconfig to read and to authenticate with (default: kubectl's own)
#   --kubectl PATH           the kubectl binary                         (default: kubectl)
#   --cluster-name NAME      cluster/context name in the minted file    (default: the context's cluster)
#   --base64                 print the kubeconfig base64-encoded (one line)
#
# The kubeconfig goes to stdout, everything else to stderr. The token is a credential: mint it
# into a file or straight into the secret, not into a terminal log. Rotate it before it expires
# (the expiry is printed); an expired token fails the Action with 401 Unauthorized.
set -euo pipefail

NAMESPACE=pod-cleaner
SERVICE_ACCOUNT=pod-cleaner
DURATION=8760h
CONTEXT=
KUBECONFIG_FILE=
KUBECTL=kubectl
CLUSTER_NAME=
BASE64=false

die() { printf 'mint-kubeconfig: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,25s/^# \{0,1\}//p' "$0" >&2; exit "${1:-2}"; }

need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace) need_value "$@"; NAMESPACE=$2; shift 2 ;;
    --service-account) need_value "$@"; SERVICE_ACCOUNT=$2; shift 2 ;;
    --duration) need_value "$@"; DURATION=$2; shift 2 ;;
    --context) need_value "$@"; CONTEXT=$2; shift 2 ;;
    --kubeconfig) need_value "$@"; KUBECONFIG_FILE=$2; shift 2 ;;
    --kubectl) need_value "$@"; KUBECTL=$2; shift 2 ;;
    --cluster-name) need_value "$@"; CLUSTER_NAME=$2; shift 2 ;;
    --base64) BASE64=true; shift ;;
    -h | --help) usage 0 ;;
    *) printf 'mint-kubeconfig: unknown option %s\n' "$1" >&2; usage 2 ;;
  esac
done

[[ $DURATION =~ ^([0-9]+h)?([0-9]+m)?([0-9]+s)?$ && -n $DURATION ]] ||
  die "--duration '$DURATION' is not a duration (e.g. 8760h, 720h, 90m)"
command -v "$KUBECTL" >/dev/null 2>&1 || die "kubectl not found ('$KUBECTL'); pass --kubectl PATH"

# kubectl with the chosen kubeconfig and context
kc() {
  local args=()
  [ -n "$KUBECONFIG_FILE" ] && args+=(--kubeconfig "$KUBECONFIG_FILE")
  [ -n "$CONTEXT" ] && args+=(--context "$CONTEXT")
  "$KUBECTL" "${args[@]}" "$@"
}

# The context's cluster, with the CA inlined (--flatten turns a CA file into data).
view() { kc config view --minify --flatten --raw -o "jsonpath=$1"; }
SERVER=$(view '{.clusters[0].cluster.server}') || die "cannot read the kubeconfig${CONTEXT:+ (context $CONTEXT)}"
[ -n "$SERVER" ] || die "no server in the kubeconfig${CONTEXT:+ for context $CONTEXT}"
CA_DATA=$(view '{.clusters[0].cluster.certificate-authority-data}')
INSECURE=$(view '{.clusters[0].cluster.insecure-skip-tls-verify}')
TLS_SERVER_NAME=$(view '{.clusters[0].cluster.tls-server-name}')
[ -n "$CLUSTER_NAME" ] || CLUSTER_NAME=$(view '{.contexts[0].context.cluster}')
[ -n "$CLUSTER_NAME" ] || CLUSTER_NAME=cluster
if [ -z "$CA_DATA" ]; then
  if [ "$INSECURE" = true ]; then
    printf 'mint-kubeconfig: warning: the context skips TLS verification; so will the minted kubeconfig\n' >&2
  else
    printf 'mint-kubeconfig: warning: no CA in the kubeconfig; the system trust store will be used\n' >&2
  fi
fi

kc get serviceaccount "$SERVICE_ACCOUNT" -n "$NAMESPACE" -o name >/dev/null 2>&1 ||
  die "ServiceAccount $NAMESPACE/$SERVICE_ACCOUNT not found (or not readable): apply deploy/rbac.yaml first"

TOKEN=$(kc create token "$SERVICE_ACCOUNT" -n "$NAMESPACE" --duration "$DURATION") ||
  die "kubectl create token failed (needs Kubernetes >= 1.24 and permission to create serviceaccounts/token)"
[ -n "$TOKEN" ] || die "the apiserver returned an empty token"

# The expiry, from the token's own claims (JWT payload: base64url JSON).
jwt_claim() {
  local payload=${TOKEN#*.}
  payload=${payload%%.*}
  payload=$(printf '%s' "$payload" | tr '_-' '/+')
  while [ $((${#payload} % 4)) -ne 0 ]; do payload="$payload="; done
  printf '%s' "$payload" | base64 -d 2>/dev/null | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}
EXP=$(jwt_claim exp || true)
if [ -n "$EXP" ]; then
  printf 'mint-kubeconfig: token for system:serviceaccount:%s:%s expires %s (rotate before then)\n' \
    "$NAMESPACE" "$SERVICE_ACCOUNT" "$(date -u -d "@$EXP" '+%Y-%m-%dT%H:%M:%SZ' 2>/dev/null || echo "at $EXP")" >&2
fi

USER_NAME="$SERVICE_ACCOUNT@$NAMESPACE"
# YAML double-quoted scalars: every value is quoted, so no value can break the document.
q() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
kubeconfig() {
  echo "apiVersion: v1"
  echo "kind: Config"
  echo "clusters:"
  echo "- name: $(q "$CLUSTER_NAME")"
  echo "  cluster:"
  echo "    server: $(q "$SERVER")"
  [ -n "$CA_DATA" ] && echo "    certificate-authority-data: $(q "$CA_DATA")"
  [ -z "$CA_DATA" ] && [ "$INSECURE" = true ] && echo "    insecure-skip-tls-verify: true"
  [ -n "$TLS_SERVER_NAME" ] && echo "    tls-server-name: $(q "$TLS_SERVER_NAME")"
  echo "users:"
  echo "- name: $(q "$USER_NAME")"
  echo "  user:"
  echo "    token: $(q "$TOKEN")"
  echo "contexts:"
  echo "- name: $(q "pod-cleaner@$CLUSTER_NAME")"
  echo "  context:"
  echo "    cluster: $(q "$CLUSTER_NAME")"
  echo "    user: $(q "$USER_NAME")"
  echo "    namespace: $(q "$NAMESPACE")"
  echo "current-context: $(q "pod-cleaner@$CLUSTER_NAME")"
}

if [ "$BASE64" = true ]; then
  kubeconfig | base64 | tr -d '\n'
  echo
else
  kubeconfig
fi
