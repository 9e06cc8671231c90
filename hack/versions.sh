# shellcheck shell=bash disable=SC2034 # sourced: the variables are used by its callers
# Pinned versions of the local control plane (sourced by hack/cluster.sh).
# Bumping K8S_VERSION: regenerate hack/k8s/go.mod with hack/k8s/gen-gomod.sh.
K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.16 # must match hack/etcd/go.mod
KWOK_VERSION=v0.7.0
