#!/usr/bin/env bash
# Regenerates hack/k8s/go.mod + go.sum for the K8S_VERSION in hack/versions.sh:
# requires k8s.io/kubernetes at that version and replaces every k8s.io/* staging module
# (listed as "=> ./staging/..." in its go.mod) with the matching v0.Y.Z tag.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source ../versions.sh
v=${K8S_VERSION#v}
staging_tag=v0.${v#1.}
upstream=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
{
  echo "// Wrapper module: builds the real Kubernetes control-plane binaries from k8s.io/kubernetes."
  echo "// Regenerate the replace list with hack/k8s/gen-gomod.sh when bumping the version."
  echo "module podcleaner.local/hack/k8s"
  echo
  echo "go 1.24.0"
  echo
  echo "godebug default=go1.24"
  echo
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo
  echo "replace ("
  grep -E '=> \./staging' "$upstream" | awk -v t="$staging_tag" '{ print "\t" $1 " => " $1 " " t }'
  echo ")"
} >go.mod
rm -f go.sum
go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
  "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
  "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION" \
  "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION"
echo "hack/k8s/go.mod regenerated for $K8S_VERSION (staging modules at $staging_tag)"
